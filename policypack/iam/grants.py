"""What an Allow statement grants, after wildcard expansion, explicit Denies and a boundary.

"Unscoped" follows cloudsplaining's notion of an unconstrained grant: the
statement allows the action on an unscoped resource (see `resources`), or through
NotResource, and no condition narrows it to particular resources or call paths.

A `Context` says what else applies to the statement: the Deny statements of its
own document (judged alone) or of every policy of its principal (judged per
principal), the actions a permissions boundary lets through, the principal's own
IAM entities (a pattern that matches one of them is no scope), and the day that
time conditions are judged on. An unconditional Deny removes the actions it names
(Action, or everything but NotAction) from an Allow whose every resource it covers
(Resource patterns, or "*"; NotResource covers only a literal ARN outside it). A
Deny with a condition may not apply, so it removes nothing: keyguard errs towards
reporting. A statement limited to a time already past grants nothing.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

from . import actions as db
from .actions import glob, glob_match, has_wildcard
from .conditions import expired_by, restricts_resource
from .document import Document, Statement
from .resources import is_star, is_unscoped, split_arn
from .risk import APIGATEWAY_GET


@dataclass(frozen=True)
class Context:
    """What else limits a statement's grant: denies, a permissions boundary, the principal's own entities."""
    denies: Tuple[Statement, ...] = ()
    # Actions a permissions boundary lets through; None: no boundary keyguard can read.
    boundary: Optional[FrozenSet[str]] = None
    # Resource parts ("policy/team-deploy", "role/app") of the principal's own IAM entities.
    own: Tuple[str, ...] = ()
    today: Optional[_dt.date] = None
    # What statements grant in this context, worked out once and shared by every rule that asks
    # (see `_memoised`); None: not kept (the bare default context, which lives for ever).
    memo: Optional[Dict[Tuple[str, int], Tuple[Statement, FrozenSet[str]]]] = field(
        default_factory=dict, compare=False, repr=False)


_BARE = Context(memo=None)


def alone(d: Document, today: Optional[_dt.date] = None) -> Context:
    """The context of a document judged on its own: only its own Deny statements apply. One
    per document and day, kept on the document: a document is parsed once per text, so every
    rule that judges the same text alone shares what the first one worked out."""
    key = ("alone", today)
    ctx = d.memo.get(key)
    if ctx is None:
        ctx = d.memo[key] = Context(denies=d.denies, today=today)
    return ctx


def _memoised(kind: str, fn: Callable[[Statement, Context], FrozenSet[str]]
              ) -> Callable[[Statement, Context], FrozenSet[str]]:
    """`fn` answered once per statement and context. The memo holds the statement itself next
    to its answer, so the id it is keyed by cannot be reused while the entry lives."""
    def memoised(stmt: Statement, ctx: Context = _BARE) -> FrozenSet[str]:
        memo = ctx.memo
        if memo is None:
            return fn(stmt, ctx)
        key = (kind, id(stmt))
        hit = memo.get(key)
        if hit is not None and hit[0] is stmt:
            return hit[1]
        acts = fn(stmt, ctx)
        memo[key] = (stmt, acts)
        return acts
    memoised.__doc__ = fn.__doc__
    return memoised


def _actions_of(stmt: Statement) -> FrozenSet[str]:
    if stmt.not_actions:
        return db.complement(tuple(sorted(a.lower() for a in stmt.not_actions)))
    return db.expand_all(stmt.actions)


def allowed(stmt: Statement) -> FrozenSet[str]:
    """Lower-case actions an Allow statement names (NotAction: everything else), before Denies."""
    return _actions_of(stmt) if stmt.allows else frozenset()


def _deny_covers(deny: Statement, resource: Optional[str]) -> bool:
    """Whether an unconditional Deny reaches every resource `resource` names (None: NotResource)."""
    if deny.not_resources:
        return resource is not None and not has_wildcard(resource) and \
            not any(glob(p).fullmatch(resource) for p in deny.not_resources)
    if resource is None:
        return any(p == "*" for p in deny.resources)
    return any(p == "*" or glob(p).fullmatch(resource) for p in deny.resources)


def _denied(resource: Optional[str], ctx: Context) -> FrozenSet[str]:
    out: FrozenSet[str] = frozenset()
    for d in ctx.denies:
        # A conditional Deny (a past-dated one included) may not apply: it removes nothing.
        if d.conditions or not _deny_covers(d, resource):
            continue
        out = out | _actions_of(d)
    return out


def live(stmt: Statement, ctx: Context) -> bool:
    """An Allow that can still grant something today."""
    return stmt.allows and expired_by(stmt, ctx.today) is None


def _on(stmt: Statement, resource: Optional[str], ctx: Context) -> FrozenSet[str]:
    acts = allowed(stmt) - _denied(resource, ctx)
    return acts & ctx.boundary if ctx.boundary is not None else acts


def _targets(stmt: Statement) -> Sequence[Optional[str]]:
    return (None,) if stmt.not_resources else stmt.resources


def _granted(stmt: Statement, ctx: Context) -> FrozenSet[str]:
    """Actions the statement still grants on at least one of its resources."""
    if not live(stmt, ctx):
        return frozenset()
    return frozenset().union(*(_on(stmt, r, ctx) for r in _targets(stmt)))


granted = _memoised("granted", _granted)


def grants_nothing(stmt: Statement, ctx: Context) -> bool:
    """An Allow that Denies, a boundary or a past date leave empty."""
    return stmt.allows and not granted(stmt, ctx)


def _own(resource: str, ctx: Context) -> bool:
    if not ctx.own:
        return False
    arn = split_arn(resource)
    if arn is None or arn[1] != "iam" or arn[3] == "aws":
        return False
    pattern = glob(arn[4])
    return any(pattern.fullmatch(o) for o in ctx.own)


# Handing one's own role to a service gains nothing: the service acts with what one already has.
_HANDS_OVER = frozenset({"iam:passrole"})


@lru_cache(maxsize=256)
def permissions_management(acts: FrozenSet[str]) -> FrozenSet[str]:
    """The permissions-management actions among `acts`. Kept per set: a `*` grant holds some
    20,000 actions, and the same statement's set is asked about for every principal holding it."""
    return frozenset(a for a in acts if db.access_level(a) == db.PERMISSIONS)


def _rewriting(acts: FrozenSet[str]) -> FrozenSet[str]:
    """The permissions-management actions among `acts` that rewrite an IAM entity: only these
    make one's own entity no scope."""
    return permissions_management(acts) - _HANDS_OVER


def _unscoped_actions(stmt: Statement, ctx: Context) -> FrozenSet[str]:
    if not live(stmt, ctx) or restricts_resource(stmt):
        return frozenset()
    acts: FrozenSet[str] = frozenset()
    for r in _targets(stmt):
        if r is None or is_unscoped(r):
            acts = acts | _on(stmt, r, ctx)
        elif _own(r, ctx):
            acts = acts | _rewriting(_on(stmt, r, ctx))
    if APIGATEWAY_GET in acts and not _reaches_api_keys(stmt):
        acts = acts - {APIGATEWAY_GET}
    return acts


unscoped_actions = _memoised("unscoped", _unscoped_actions)


def _star_actions(stmt: Statement, ctx: Context) -> FrozenSet[str]:
    """Actions allowed on `*` (or through NotResource) with no condition at all."""
    if not live(stmt, ctx) or stmt.conditions:
        return frozenset()
    acts: FrozenSet[str] = frozenset()
    for r in _targets(stmt):
        if r is None or is_star(r):
            acts = acts | _on(stmt, r, ctx)
    return acts


star_actions = _memoised("star", _star_actions)


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
    shown, count = db.first_displayed(acts, limit)
    head = ", ".join(shown)
    return head if count <= limit else f"{head} and {count - limit} more"


def labels(stmts: Iterable[Statement]) -> str:
    return ", ".join(s.label for s in stmts)


def pairs(stmts: Iterable[Statement], ctx: Context = _BARE) -> List[Tuple[Statement, FrozenSet[str]]]:
    return [(s, unscoped_actions(s, ctx)) for s in stmts]


@lru_cache(maxsize=256)
def resource_level_writes(acts: FrozenSet[str]) -> FrozenSet[str]:
    """Write and permissions-management actions that accept resource ARNs."""
    out = set()
    for a in acts:
        i = db.info(a)
        if i is not None and i.resource_level and i.access_level in (db.WRITE, db.PERMISSIONS):
            out.add(a)
    return frozenset(out)
