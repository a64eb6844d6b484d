"""The common walk of every IAM rule: find the documents, parse them once, judge each.

A document that is unknown during preview gives `unknown`; one that is not valid
is left to iam-policy-document-valid (not applicable here), so a broken document
yields one finding, not one per rule. A judge returns the problems it found, each
a phrase naming the statement and the offending actions or principals.
"""
from __future__ import annotations

import datetime as _dt
from typing import (
    Any,
    Callable,
    Dict,
    FrozenSet,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Set,
    Tuple,
    Union,
)

from ..model import UNKNOWN, Outcome, Resource, Stack, failed, not_applicable, passed, unknown
from .conditions import parse_day, restricts_principal
from .document import IDENTITY, Document, Invalid, identity_documents, parse_cached
from .effective import Model, Principal, model_of
from .grants import Context, alone, minus, names, pairs
from .principals import public_principals

# A judge returns problem phrases (failures) or ready Outcomes (e.g. unknown, when a fact is
# missing). The Context says which Denies, boundary and day apply (see grants.Context).
Judge = Callable[[Document, Mapping[str, Any], Context], Sequence[Union[str, Outcome]]]

AS_OF = "asOf"
AS_OF_SCHEMA: Mapping[str, Any] = {
    "type": "string", "default": "", "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$",
    "description": "The day (YYYY-MM-DD) aws:CurrentTime and aws:TokenIssueTime conditions are judged on; "
                   "empty: the day the pack or the scan runs.",
}


def today_of(config: Mapping[str, Any]) -> Optional[_dt.date]:
    """The day a rule judges time conditions on: its `asOf` config, which the adapters fill in
    (policypack/config.py). A rule never reads the clock itself."""
    return parse_day(config.get(AS_OF))


def judge_documents(res: Resource, docs: Iterable[Tuple[str, Any]], kind: str, judge: Judge,
                    config: Mapping[str, Any], absent: str) -> Iterator[Outcome]:
    seen = False
    for path, raw in docs:
        seen = True
        doc = parse_cached(raw, kind)
        if doc is UNKNOWN:
            yield unknown(f"{res.name}: {path} is not known during preview", path=path)
            continue
        if isinstance(doc, Invalid):
            yield not_applicable(f"{res.name}: {path} is not a valid policy document")
            continue
        assert isinstance(doc, Document)
        problems = judge(doc, config, alone(doc, today_of(config)))
        for p in problems:
            if isinstance(p, Outcome):
                yield Outcome(p.status, f"{res.name}: {path} {p.message}", p.urn, p.path or path)
            else:
                yield failed(f"{res.name}: {path} {p}", path=path)
        if not problems:
            yield passed(path=path)
    if not seen:
        yield not_applicable(f"{res.name} {absent}")


def allow_list(config: Mapping[str, Any], prop: str, field: str) -> Set[str]:
    """Lower-cased `field` of each {field, reason} entry of an allow-list."""
    out = set()
    for entry in config.get(prop) or ():
        if isinstance(entry, Mapping) and isinstance(entry.get(field), str):
            out.add(entry[field].lower())
    return out


def allow_list_schema(field: str, description: str) -> Mapping[str, Any]:
    return {
        "type": "array",
        "default": [],
        "description": description,
        "items": {
            "type": "object",
            "properties": {field: {"type": "string"}, "reason": {"type": "string"}},
            "required": [field, "reason"],
        },
    }


ACTIONS_ALLOW = allow_list_schema(
    "action", "Actions (or patterns) this rule accepts, each with the reason it is acceptable.")


def identity_check(judge: Judge) -> Callable[[Resource, Mapping[str, Any]], Iterable[Outcome]]:
    """A resource check that applies `judge` to every identity policy a resource carries."""
    def check(res: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
        return judge_documents(res, identity_documents(res), IDENTITY, judge, config,
                               "carries no identity policy")
    return check


def _finding_key(problem: str) -> str:
    # Judges phrase a problem as "<statement labels> allow(s) ...": the labels name the finding.
    return problem.split(" allow", 1)[0]


# Findings only a whole principal shows (escalations split across documents), given the model.
Combine = Callable[[Model, Mapping[str, Any]], Iterable[Outcome]]


def _adds_anything(model: Model, doc: Document, holders: Iterable[Any], today: Any) -> bool:
    """Whether any holder changes how `doc` is judged: Denies beyond its own, a boundary, or
    own IAM entities that its IAM resource patterns might match. Most documents in a stack
    have none, and are then judged once, by the resource phase."""
    for h in holders:
        ctx = model.context(h, today)
        if ctx.boundary is not None or len(ctx.denies) != len(doc.denies) or (ctx.own and doc.names_iam):
            return True
    return False


def principal_phase(judge: Judge, combine: Optional[Combine] = None
                    ) -> Callable[[Stack, Mapping[str, Any]], Iterator[Outcome]]:
    """The stack phase of an identity rule: each document judged as it applies to its principals.

    The resource phase judged every document alone (all that Analyze can see). Here each
    document that applies to a role, user or group of the stack is judged with everything
    else that principal holds (see effective.py). Only differences are reported, on the
    document's own resource and path, so no finding is reported twice:
    - a finding only the principal shows (its own policy matched by a name pattern, an
      escalation split across documents): a failure, or `unknown` when part of the
      principal is not known yet;
    - a document whose every finding the principal's Denies or boundary remove: a pass
      that supersedes the resource phase's failure where the whole stack is judged at
      once (the scanner). The engine cannot withdraw a violation Analyze already
      reported, so there the document-alone verdict stands.
    """
    def check(stack: Stack, config: Mapping[str, Any]) -> Iterator[Outcome]:
        model = model_of(stack)
        today = today_of(config)
        for (urn, path), (doc, holders) in model.receiving().items():
            if not _adds_anything(model, doc.document, holders, today):
                continue
            alone_keys = {_finding_key(p) for p in judge(doc.document, config, alone(doc.document, today))
                          if isinstance(p, str)}
            found: Dict[str, Tuple[str, Principal]] = {}
            for holder in holders:
                for p in judge(doc.document, config, model.context(holder, today)):
                    if isinstance(p, str):
                        found.setdefault(_finding_key(p), (p, holder))
            name = doc.resource.name
            new = [(p, h) for k, (p, h) in found.items() if k not in alone_keys]
            if new:
                if any(h.incomplete() for h in holders):
                    yield unknown(f"{name}: {path} may grant more as part of "
                                  f"{', '.join(h.label for h in holders)}, parts of which are not known "
                                  "during preview", urn=urn, path=path)
                else:
                    for p, h in new:
                        yield failed(f"{name}: {path} {p}, as {h.label} holds it", urn=urn, path=path)
            elif alone_keys and not found:
                yield passed(f"{name}: {path}: Denies or the permissions boundary of "
                             f"{', '.join(h.label for h in holders)} remove what it was failed for",
                             urn=urn, path=path)
        if combine is not None:
            yield from combine(model, config)
    return check


def public_grants(d: Document, config: Mapping[str, Any], ctx: Context) -> List[Union[str, Outcome]]:
    """Allow statements of a resource policy open to anyone with no condition that narrows them."""
    out: List[Union[str, Outcome]] = []
    for s in d.statements:
        if not s.allows:
            continue
        public = public_principals(s)
        if public and not restricts_principal(s):
            listed = list(s.actions or s.not_actions)
            acts = ", ".join(listed[:6]) + (f" and {len(listed) - 6} more" if len(listed) > 6 else "")
            out.append(f"{s.label} allows {acts} to any principal ({', '.join(public)}) without a restricting "
                       "condition (aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceAccount, aws:SourceArn, "
                       "kms:CallerAccount)")
    return out


def risk_category(what: str, members: Callable[[], FrozenSet[str]]) -> Judge:
    """A judge failing statements that allow, on unscoped resources, any action of a risk set."""
    def judge(d: Document, config: Mapping[str, Any], ctx: Context) -> List[str]:
        ok = allow_list(config, "allowedActions", "action")
        out = []
        for s, acts in pairs(d.statements, ctx):
            hit = minus(acts & members(), ok)
            if hit:
                out.append(f"{s.label} allows {names(hit)}, which {what}, on unscoped resources")
        return out
    return judge
