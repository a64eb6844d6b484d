"""What an Allow statement grants, after wildcard expansion, and how widely.

"Unscoped" follows cloudsplaining's notion of an unconstrained grant: the
statement allows the action on a type-wide resource (see `resources`) or through
NotResource, and no condition narrows it to particular resources or call paths.
Deny statements are not subtracted: each Allow is judged on its own.
"""
from __future__ import annotations

from functools import lru_cache
from typing import FrozenSet, Iterable, List, Tuple

from . import actions as db
from .actions import glob_match
from .conditions import restricts_resource
from .document import Statement
from .resources import is_star, is_type_wide, split_arn
from .risk import APIGATEWAY_GET


def allowed(stmt: Statement) -> FrozenSet[str]:
    """Lower-case actions an Allow statement grants (NotAction: everything else)."""
    if not stmt.allows:
        return frozenset()
    if stmt.not_actions:
        return db.complement(tuple(sorted(a.lower() for a in stmt.not_actions)))
    return db.expand_all(stmt.actions)


def is_unscoped(stmt: Statement) -> bool:
    if not stmt.allows or restricts_resource(stmt):
        return False
    return bool(stmt.not_resources) or any(is_type_wide(r) for r in stmt.resources)


def on_star(stmt: Statement) -> bool:
    """Allowed on `*` (or NotResource) with no condition at all."""
    if not stmt.allows or stmt.conditions:
        return False
    return bool(stmt.not_resources) or any(is_star(r) for r in stmt.resources)


def unscoped_actions(stmt: Statement) -> FrozenSet[str]:
    if not is_unscoped(stmt):
        return frozenset()
    acts = allowed(stmt)
    if APIGATEWAY_GET in acts and not _reaches_api_keys(stmt):
        acts = acts - {APIGATEWAY_GET}
    return acts


_PROBE = "/apikeys/\u2603any-key"


@lru_cache(maxsize=1024)
def _covers_api_keys(resource: str) -> bool:
    if is_star(resource):
        return True
    arn = split_arn(resource)
    if arn is None or not glob_match(arn[1], "apigateway"):
        return False
    return glob_match(arn[4], _PROBE) or glob_match(arn[4], "/apikeys")


def _reaches_api_keys(stmt: Statement) -> bool:
    # GET on apigateway reads every API key's value only where its resource spans /apikeys.
    return bool(stmt.not_resources) or any(_covers_api_keys(r) for r in stmt.resources)


def minus(acts: FrozenSet[str], allowed_patterns: Iterable[str]) -> FrozenSet[str]:
    pats = tuple(allowed_patterns)
    return acts - db.expand_all(pats) if pats else acts


def names(acts: Iterable[str], limit: int = 6) -> str:
    """A short, sorted list of action names for a message."""
    shown = sorted(db.display(a) for a in acts)
    head = ", ".join(shown[:limit])
    return head if len(shown) <= limit else f"{head} and {len(shown) - limit} more"


def labels(stmts: Iterable[Statement]) -> str:
    return ", ".join(s.label for s in stmts)


def pairs(stmts: Iterable[Statement]) -> List[Tuple[Statement, FrozenSet[str]]]:
    return [(s, unscoped_actions(s)) for s in stmts]


@lru_cache(maxsize=256)
def resource_level_writes(acts: FrozenSet[str]) -> FrozenSet[str]:
    """Write and permissions-management actions that accept resource ARNs."""
    out = set()
    for a in acts:
        i = db.info(a)
        if i is not None and i.resource_level and i.access_level in (db.WRITE, db.PERMISSIONS):
            out.add(a)
    return frozenset(out)
