"""`keyguard diff --documents OLD NEW`: IAM Access Analyzer's CheckNoNewAccess, offline and sound.

NEW passes when every request it allows, OLD allows too. keyguard proves that statement by
statement, per action and per Resource pattern of each Allow of NEW ("a grant"):

- some Allow of OLD covers it: the action, a Resource pattern that contains the grant's
  (a glob containment test that never guesses: `?` does not stand for a `*` it might
  have to match), its principals (resource policies: the same or a wider principal, an
  account covering its own principals), and conditions no weaker than OLD's: each of
  OLD's condition entries appears in the grant's statement with the same operator and
  no more values. Anything keyguard cannot compare counts as new access, never as none;
- or an unconditional Deny of NEW removes the grant whole;
- and no Deny of OLD takes away part of it that NEW does not also deny. OLD's Denies
  are taken to apply whatever their conditions say, except where the grant's own
  conditions show they cannot (a grant that requires `aws:RequestTag/k` to equal a value
  is never matched by a Deny on `Null aws:RequestTag/k = true`, or by `StringNotEquals`
  the same key and a superset of values).

Two patterns are disjoint when their literal heads or tails (before the first, after the
last wildcard) cannot match; otherwise they may overlap. The result errs towards new
access, which is what a gate needs. It prints the statements of NEW that add access.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import IO, Any, Dict, FrozenSet, List, Optional, Sequence, Tuple

from ..iam.actions import Container, has_wildcard
from ..iam.document import IDENTITY, RESOURCE, Document, Invalid, Statement, parse
from ..iam.grants import _actions_of
from ..iam.principals import account_of

# -- patterns ----------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _container(p: str) -> Container:
    return Container(p)


def contains(p: str, q: str) -> bool:
    """Whether every string pattern `q` matches, pattern `p` matches too."""
    return p == "*" or _container(p).fullmatch(q)


def _head(p: str) -> str:
    return re.split(r"[*?]", p, maxsplit=1)[0].lower()


def _tail(p: str) -> str:
    return re.split(r"[*?]", p)[-1].lower()


def disjoint(p: str, q: str) -> bool:
    """True only when no resource can match both patterns. Resources are well-formed ARNs, whose
    partition, service, region and account hold no colon, so two ARN patterns are compared
    field by field; anything else as one string."""
    fp, fq = p.split(":", 5), q.split(":", 5)
    if len(fp) == 6 and len(fq) == 6 and fp[0] == fq[0] == "arn":
        return any(_disjoint(a, b) for a, b in zip(fp[1:], fq[1:]))
    return _disjoint(p, q)


def _disjoint(p: str, q: str) -> bool:
    hp, hq = _head(p), _head(q)
    if not (hp.startswith(hq) or hq.startswith(hp)):
        return True
    wild_p, wild_q = has_wildcard(p), has_wildcard(q)
    if not wild_p and not wild_q:
        return p.lower() != q.lower()
    if not wild_p:
        return not _container(q).fullmatch(p)
    if not wild_q:
        return not _container(p).fullmatch(q)
    tp, tq = _tail(p), _tail(q)
    return not (tp.endswith(tq) or tq.endswith(tp))


# -- statements as grants ----------------------------------------------------------------------

_STAR = ("*",)


def _resources(s: Statement) -> Tuple[str, ...]:
    return s.resources or (() if s.not_resources else _STAR)


def _covers_resource(q: Statement, r: Optional[str], p: Statement) -> bool:
    """Whether q's resources contain the grant's resource `r` (None: p's NotResource set)."""
    if r is None:
        if q.not_resources:
            return all(any(contains(pn, qn) for pn in p.not_resources) for qn in q.not_resources)
        return any(x == "*" for x in _resources(q))
    if q.not_resources:
        return all(disjoint(qn, r) for qn in q.not_resources)
    return any(contains(x, r) for x in _resources(q))


def _meets(q: Statement, r: Optional[str], p: Statement) -> bool:
    """Whether q's resources may overlap the grant's."""
    if r is None:
        if q.not_resources:
            return True
        return not all(any(contains(pn, x) for pn in p.not_resources) for x in _resources(q))
    if q.not_resources:
        return not any(contains(qn, r) for qn in q.not_resources)
    return any(not disjoint(x, r) for x in _resources(q))


def _principal_set(s: Statement) -> List[Tuple[str, str]]:
    if s.not_principals:
        return [("!", "*")]
    return [(t, v) for t, vals in s.principals.items() for v in vals]


def _principal_contains(q: Tuple[str, str], p: Tuple[str, str]) -> bool:
    qt, qv = q
    pt, pv = p
    if pt == "!":
        return (qt in ("*", "AWS") and qv == "*")
    if (qt in ("*", "AWS")) and qv == "*":
        return True
    if qt != pt:
        return False
    if qt == "AWS":
        qa = account_of(qv)
        if qa is not None and (qv == qa or qv.endswith(":root")):
            return account_of(pv) == qa
    return contains(qv, pv)


def _covers_principals(q: Statement, p: Statement) -> bool:
    if not p.has_principal:
        return True
    qs = _principal_set(q)
    if ("!", "*") in qs:
        return False  # NotPrincipal in OLD: not compared
    return all(any(_principal_contains(x, y) for x in qs) for y in _principal_set(p))


_POSITIVE = frozenset({"stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike", "bool",
                       "ipaddress", "numericequals", "dateequals"})


# A statement's conditions as (operator, key) -> values, both lower-cased.
_Entries = Dict[Tuple[str, str], FrozenSet[str]]


def _entries(s: Statement) -> _Entries:
    return {(op.lower(), key.lower()): frozenset(vals) for op, body in s.conditions.items() for key, vals in body.items()}


def _conditions_within(qe: _Entries, pe: _Entries) -> bool:
    """Whether p's conditions (entries `pe`) are at least as strict as q's (`qe`): every entry of
    q appears in p with the same operator and, for a positive operator, no other values; others
    must be equal."""
    for (op, key), vals in qe.items():
        got = pe.get((op, key))
        if got is None:
            return False
        if op in _POSITIVE:
            if not got <= vals:
                return False
        elif got != vals:
            return False
    return True


def _excluded_by_conditions(deny: Statement, de: _Entries, pe: _Entries) -> bool:
    """Whether p's conditions (entries `pe`) show that `deny` (entries `de`) cannot apply to any
    request p allows."""
    if not deny.conditions:
        return False
    required = {key for (op, key) in pe if op in _POSITIVE}
    for (op, key), vals in de.items():
        if op == "null" and vals == frozenset({"true"}) and (
                key in required or pe.get(("null", key)) == frozenset({"false"})):
            return True  # the deny needs the key absent; p needs it present
        if op in ("stringnotequals", "stringnotlike"):
            mine = pe.get(("stringequals", key))
            if mine is not None and mine <= vals:
                return True  # p's values are all ones the deny exempts
    return False


@dataclass(frozen=True)
class NewAccess:
    statement: Statement
    actions: Tuple[str, ...]
    resource: str

    def describe(self) -> str:
        shown = ", ".join(self.actions[:5]) + (f" and {len(self.actions) - 5} more" if len(self.actions) > 5 else "")
        return f"{self.statement.label} allows {shown} on {self.resource}"


def _denies_whole(d: Statement, r: Optional[str], p: Statement) -> bool:
    return not d.conditions and _covers_resource(d, r, p) and _covers_principals(d, p)


def check(old: Document, new: Document) -> List[NewAccess]:
    """The grants of NEW that OLD does not cover (empty: no new access)."""
    # Each statement's actions and condition entries are worked out once, not per grant they
    # are compared with.
    old_allows = [(q, _actions_of(q), _entries(q)) for q in old.statements if q.allows]
    old_denies = [(e, _actions_of(e), _entries(e)) for e in old.statements if not e.allows]
    new_denies = [(d, _actions_of(d)) for d in new.statements if not d.allows]
    # Per Deny of OLD (by position), what the Denies of NEW that apply wherever it does deny:
    # this depends on neither the grant nor the action, so it is worked out once, when needed.
    also: Dict[int, FrozenSet[str]] = {}
    out: List[NewAccess] = []
    for p in new.statements:
        if not p.allows:
            continue
        acts = _actions_of(p)
        pe = _entries(p)
        for r in (p.resources or (None,)) if not p.not_resources else (None,):
            label = r if r is not None else "NotResource " + ", ".join(p.not_resources)
            # What NEW itself removes from this grant, whole.
            gone = frozenset().union(*(a for d, a in new_denies if _denies_whole(d, r, p))) if new_denies \
                else frozenset()
            todo = acts - gone
            covered: FrozenSet[str] = frozenset()
            for q, qa, qe in old_allows:
                hit = todo & qa
                if hit and _covers_resource(q, r, p) and _covers_principals(q, p) and _conditions_within(qe, pe):
                    covered = covered | hit
            uncovered = todo - covered
            for i, (e, ea, ee) in enumerate(old_denies):
                hit = (todo & ea) - uncovered
                if not hit or not _meets(e, r, p) or _excluded_by_conditions(e, ee, pe):
                    continue
                # NEW must deny that part too, as widely and at least whenever OLD does.
                denied = also.get(i)
                if denied is None:
                    denied = also[i] = frozenset().union(*(da for d, da in new_denies if _deny_within(d, e)))
                uncovered = uncovered | (hit - denied)
            if uncovered:
                out.append(NewAccess(p, tuple(sorted(uncovered)), label))
    return out


def _deny_within(d: Statement, e: Statement) -> bool:
    """Whether NEW's Deny `d` applies wherever OLD's Deny `e` does: resources and principals at
    least as wide, and conditions no stricter (every entry of d appears in e)."""
    if d.not_resources or e.not_resources:
        # Everything but d's exceptions covers everything but e's when each of d's exceptions
        # lies within one of e's.
        wide = bool(d.not_resources and e.not_resources and all(
            any(contains(en, dn) for en in e.not_resources) for dn in d.not_resources)) or \
            (not d.not_resources and any(x == "*" for x in _resources(d)))
    else:
        wide = all(any(contains(x, y) for x in _resources(d)) for y in _resources(e))
    if not wide:
        return False
    if e.has_principal and not all(any(_principal_contains(x, y) for x in _principal_set(d))
                                   for y in _principal_set(e)):
        return False
    de, ee = _entries(d), _entries(e)
    for (op, key), vals in de.items():
        if ee.get((op, key)) == vals:
            continue
        # A negated string operator holds when the key is absent, which is when e's Null
        # condition holds: d applies there too.
        if op in ("stringnotequals", "stringnotlike") and ee.get(("null", key)) == frozenset({"true"}):
            continue
        return False
    return True


# -- the command -------------------------------------------------------------------------------

def load(path: str, kind: str) -> Document:
    from ..inputs import InputError

    try:
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
    except FileNotFoundError:
        raise InputError(f"input not found: {path}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read {path}: {getattr(e, 'strerror', None) or 'not a text file'}") from None
    try:
        raw = json.loads(text)
    except ValueError as e:
        raise InputError(f"{path} is not JSON: {e.args[0].split(':')[0]}") from None
    parsed = parse(raw, kind)
    if isinstance(parsed, Invalid):
        raise InputError(f"{path} is not a valid {kind} policy: {parsed.reason}")
    if not isinstance(parsed, Document):
        raise InputError(f"{path} is not a policy document")
    return parsed


def run(old_path: str, new_path: str, policy_type: str) -> List[NewAccess]:
    kind = IDENTITY if policy_type == "identity" else RESOURCE
    return check(load(old_path, kind), load(new_path, kind))


def cmd_documents(args: Any, stdout: IO[str]) -> int:
    from ..command import EXIT_OK, EXIT_VIOLATIONS, UsageError, emit, refuse_output_over_input

    if args.policy_type not in ("identity", "resource"):
        raise UsageError(f"--policy-type must be identity or resource, got {args.policy_type!r}")
    if len(args.paths) != 2:
        raise UsageError("diff --documents takes OLD NEW")
    if args.format not in ("table", "json"):
        raise UsageError(f"unknown format {args.format!r} for diff --documents (available: table, json)")
    refuse_output_over_input(args.output, args.paths)
    found = run(args.paths[0], args.paths[1], args.policy_type)
    if args.format == "json":
        text = json.dumps({"schema": "keyguard.diff-documents/v1", "result": "FAIL" if found else "PASS",
                           "new_access": [{"statement": f.statement.label, "sid": f.statement.sid,
                                           "actions": list(f.actions), "resource": f.resource} for f in found]},
                          indent=2) + "\n"
    elif found:
        text = "FAIL: NEW grants access OLD does not\n" + "".join(f"  {f.describe()}\n" for f in found)
    else:
        text = "PASS: NEW grants nothing OLD does not\n"
    emit(text, args.output, stdout)
    return EXIT_VIOLATIONS if found else EXIT_OK


__all__: Sequence[str] = ("check", "contains", "disjoint", "run", "cmd_documents")
