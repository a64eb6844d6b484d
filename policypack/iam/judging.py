"""The common walk of every IAM rule: find the documents, parse them once, judge each.

A document that is unknown during preview gives `unknown`; one that is not valid
is left to iam-policy-document-valid (not applicable here), so a broken document
yields one finding, not one per rule. A judge returns the problems it found, each
a phrase naming the statement and the offending actions or principals.
"""
from __future__ import annotations

from typing import (
    Any,
    Callable,
    FrozenSet,
    Iterable,
    Iterator,
    List,
    Mapping,
    Set,
    Tuple,
    Union,
)

from ..model import UNKNOWN, Outcome, Resource, failed, not_applicable, passed, unknown
from .conditions import parse_day, restricts_principal
from .document import IDENTITY, Document, Invalid, identity_documents, parse_cached
from .grants import Context, alone, minus, names, pairs
from .principals import public_principals

# A judge returns problem phrases (failures) or ready Outcomes (e.g. unknown, when a fact is
# missing). The Context says which Denies, boundary and day apply (see grants.Context).
Judge = Callable[[Document, Mapping[str, Any], Context], List[Union[str, Outcome]]]

AS_OF = "asOf"
AS_OF_SCHEMA: Mapping[str, Any] = {
    "type": "string", "default": "",
    "description": "The day (YYYY-MM-DD) aws:CurrentTime and aws:TokenIssueTime conditions are judged on; "
                   "empty: the day the pack or the scan runs.",
}


def today_of(config: Mapping[str, Any]):
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
