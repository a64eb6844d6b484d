"""Which Condition entries actually narrow a statement.

A condition restricts only when a request that lacks the key, or carries any
value, cannot satisfy it. So these never count: negated operators
(`StringNotEquals`, `ArnNotLike`...), `...IfExists` (a missing key passes),
`Null`, `ForAllValues:` (true for an empty set), and values that are only
wildcards (`"*"` under `StringLike`).
"""
from __future__ import annotations

from typing import Callable, Iterable, List, Tuple

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
