"""Which Condition entries actually narrow a statement.

A condition restricts only when a request that lacks the key, or carries any
value, cannot satisfy it. So these never count: negated operators
(`StringNotEquals`, `ArnNotLike`...), `...IfExists` (a missing key passes),
`Null`, `ForAllValues:` (true for an empty set), and values that are only
wildcards (`"*"` under `StringLike`).
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Callable, Iterable, List, Optional, Tuple

from .document import Statement

# Keys that tie a public or foreign principal to an organisation, account or caller.
PRINCIPAL_RESTRICTING = frozenset(k.lower() for k in (
    "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalAccount", "aws:PrincipalArn",
    "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:SourceOwner",
    "aws:SourceVpce", "aws:SourceVpc", "kms:CallerAccount", "sts:ExternalId",
))

# Keys that narrow an identity statement to particular resources or call paths.
_RESOURCE_RESTRICTING = frozenset(k.lower() for k in (
    "kms:ViaService", "kms:CallerAccount", "kms:EncryptionContextKeys", "secretsmanager:SecretId",
    "aws:SourceArn", "aws:SourceAccount", "aws:PrincipalOrgID",
))


def is_resource_restricting(key: str) -> bool:
    k = key.lower()
    return (k in _RESOURCE_RESTRICTING or k.startswith("kms:encryptioncontext:")
            or "resourcetag/" in k)


def _restricting_operator(op: str) -> bool:
    o = op.lower()
    return not ("not" in o or o.endswith("ifexists") or o == "null" or o.startswith("forallvalues:"))


def entries(stmt: Statement) -> Iterable[Tuple[str, str, Tuple[str, ...]]]:
    for op, body in stmt.conditions.items():
        for key, values in body.items():
            yield op, key, values


def restricting_keys(stmt: Statement, accept: Callable[[str], bool]) -> List[str]:
    """Condition keys of `stmt` that `accept` names and that really narrow it."""
    out = []
    for op, key, values in entries(stmt):
        if not accept(key) or not _restricting_operator(op):
            continue
        if values and all(set(v) <= {"*", "?"} for v in values):
            continue
        out.append(key)
    return out


def restricts_principal(stmt: Statement) -> bool:
    return bool(restricting_keys(stmt, lambda k: k.lower() in PRINCIPAL_RESTRICTING))


def restricts_resource(stmt: Statement) -> bool:
    return bool(restricting_keys(stmt, is_resource_restricting))


def values_of(stmt: Statement, key: str) -> List[Tuple[str, Tuple[str, ...]]]:
    """(operator, values) of every entry for `key` (case-insensitive)."""
    k = key.lower()
    return [(op, vals) for op, ck, vals in entries(stmt) if ck.lower() == k]


# Date operators that hold only up to (or at) the instant they name. Their IfExists forms
# never narrow (a missing key passes), so they are left out, as are the negated ones.
_UNTIL = frozenset({"datelessthan", "datelessthanequals", "dateequals"})
_CLOCK_KEYS = frozenset({"aws:currenttime", "aws:tokenissuetime"})


def _instant(value: str) -> Optional[_dt.datetime]:
    """A condition's date value (ISO 8601 or epoch seconds) in UTC, or None if unreadable."""
    v = value.strip()
    try:
        when = _dt.datetime.fromtimestamp(int(v), _dt.timezone.utc) if v.isdigit() else \
            _dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=_dt.timezone.utc)


def expired_by(stmt: Statement, today: Optional[_dt.date]) -> Optional[str]:
    """The condition key that limits `stmt` to a time already past on `today`, or None.

    `aws:CurrentTime` before a past date never holds again; `aws:TokenIssueTime` before a
    past date admits only sessions issued then, and none of those is still valid two days
    later (sessions last at most 36 hours), so both grant nothing. A date counts as past
    when it lies more than two days before `today`: the margin covers time zones and
    session lifetimes, and errs towards judging the grant live. Without a date (a caller
    that supplies none) nothing is judged expired.
    """
    if today is None or not stmt.conditions:
        return None
    start = _dt.datetime.combine(today, _dt.time.min, _dt.timezone.utc) - _dt.timedelta(days=2)
    for op, key, values in entries(stmt):
        if op.lower() not in _UNTIL or key.lower() not in _CLOCK_KEYS or not values:
            continue
        instants = [_instant(v) for v in values]
        if all(i is not None and i < start for i in instants):
            return key
    return None


def parse_day(value: Any) -> Optional[_dt.date]:
    """A configured day (YYYY-MM-DD or a date) or None when absent or unreadable."""
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return _dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None
