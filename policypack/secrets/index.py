"""The secret values of a stack, and the search for them inside other values.

Findings name where a value came from (resource, property) or which format it
has, never the value itself.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple, cast

from ..model import UNKNOWN, Resource, Stack, get_path, short_path
from .ai_formats import named_credential
from .catalogue import SECRET_ATTRIBUTES, holds_secret, secret_like_name
from .formats import credential_shape, embedded_candidates, looks_random
from .substrings import Needles

# Secret values shorter than this are too common to call a match when found inside
# a longer string; they still match exactly, inside JSON and as a URL's password.
_MIN_EMBEDDED = 12
# Up to this many embeddable secrets, searching for each one is cheaper than indexing them.
_FEW = 16


@dataclass(frozen=True)
class Source:
    """Where a known secret value lives: resource URN, type and property."""

    urn: str
    type: str
    prop: str

    @property
    def label(self) -> str:
        short = self.type.rsplit(":", 1)[-1]
        return f"{short}.{self.prop}"


@dataclass(frozen=True)
class Match:
    """Secret material found: where, and why it counts (never the value)."""

    path: str  # where in the inspected value, e.g. "apiKey" or "config.url"
    reason: str  # e.g. "equals ApiKey.value of urn:..." or "looks like a PEM private key"
    source: Optional[Source] = None


# Every value longer than this many characters is examined only up to it, unless a
# policy's `maxScanChars` says otherwise; the outcome then names what was left out.
DEFAULT_SCAN_LIMIT = 262_144
SCAN_LIMIT_SCHEMA = {
    "maxScanChars": {
        "type": "integer", "default": DEFAULT_SCAN_LIMIT, "minimum": 1024,
        "description": "Characters of one value examined for secret material; a longer value is examined "
                       "up to this limit and reported as not fully examined.",
    },
}


def parse_json(text: str) -> Any:
    """`text` as JSON, or None when it is not JSON or nests deeper than the parser goes."""
    t = text.strip()
    if not t or t[0] not in "{[":
        return None
    try:
        return json.loads(t)
    except (ValueError, RecursionError):
        # Nested past the parser's limit: opaque text to every rule but the one that
        # judges documents (iam-policy-document-valid reports it).
        return None


def _json_leaves(text: str) -> List[Tuple[str, str]]:
    """(field name, string) pairs of a JSON document, or nothing when `text` is not JSON."""
    doc = parse_json(text)
    if doc is None:
        return []
    return [(p, v) for p, v in _walk(doc, "") if isinstance(v, str) and v]


class SecretIndex:
    """The secret values of a stack, looked up by equality or by embedding.

    A JSON secret (a SecretVersion's secretString, typically) also contributes the
    fields whose names are secret-like or "value", so that the API key alone,
    lifted out of `{"apiKeyId": ..., "value": ...}`, is still recognised.
    """

    def __init__(self, stack: Stack) -> None:
        self._exact: Dict[str, Source] = {}
        for res in stack.resources:
            for prop in SECRET_ATTRIBUTES.get(res.type, ()):
                # A dotted name is a nested input (azure-native's properties.value).
                value = get_path(res.props, prop) if "." in prop else res.props.get(prop)
                # Only values known to be secret (an SSM parameter of unknown type is not).
                if not value or holds_secret(res.type, prop, res.props) is not True:
                    continue
                for item in (value if isinstance(value, list) else [value]):  # ElastiCache User.passwords
                    if isinstance(item, str) and item:
                        self._add(item, Source(res.urn, res.type, prop))
        self._long = [(v, s) for v, s in self._exact.items() if len(v) >= _MIN_EMBEDDED]
        # With many secrets, find the embedded ones in one pass over the text rather than
        # one search per secret; the first in `_long` order wins either way.
        self._rank = {v: i for i, (v, _) in enumerate(self._long)}
        self._needles = Needles(self._rank) if len(self._long) > _FEW else None

    def _add(self, value: str, source: Source) -> None:
        self._exact.setdefault(value, source)
        for name, field in _json_leaves(value):
            leaf = name.rsplit(".", 1)[-1]
            if leaf == "value" or secret_like_name(leaf):
                self._exact.setdefault(field, Source(source.urn, source.type, f"{source.prop}.{name}"))

    def __len__(self) -> int:
        return len(self._exact)

    def _lookup(self, text: str, exclude_urn: Optional[str]) -> Optional[Tuple[str, Source]]:
        src = self._exact.get(text)
        if src and src.urn != exclude_urn:
            return "equals", src
        if self._needles is not None:
            hits = sorted(self._rank[v] for v in self._needles.found_in(text))
            for i in hits:
                s = self._long[i][1]
                if s.urn != exclude_urn:
                    return "embeds", s
            return None
        for value, s in self._long:
            if s.urn != exclude_urn and value in text:
                return "embeds", s
        return None

    def match(self, text: str, exclude_urn: Optional[str] = None) -> Optional[Tuple[str, Source]]:
        """("equals" | "embeds", source) when `text` is or carries a secret of the stack."""
        hit = self._lookup(text, exclude_urn)
        if hit:
            return hit
        for piece in embedded_candidates(text):
            hit = self._lookup(piece, exclude_urn)
            if hit:
                return "embeds", hit[1]
        for _, leaf in _json_leaves(text):
            hit = self._lookup(leaf, exclude_urn)
            if hit:
                return "embeds", hit[1]
        return None


def stack_secrets(stack: Stack) -> SecretIndex:
    """The stack's secret index, built once however many rules ask for it."""
    return cast(SecretIndex, stack.index.memo(SecretIndex, lambda: SecretIndex(stack)))


def _walk(value: Any, path: str) -> Iterator[Tuple[str, Any]]:
    """(path, leaf) pairs in document order, without recursion: values nest as deep as
    their source allows, far past Python's recursion limit."""
    stack: List[Tuple[str, Any]] = [(path, value)]
    while stack:
        p, v = stack.pop()
        if isinstance(v, Mapping):
            stack.extend((f"{p}.{_key(k)}" if p else _key(k), c) for k, c in reversed(list(v.items())))
        elif isinstance(v, (list, tuple)):
            stack.extend((f"{p}[{i}]", c) for i, c in reversed(list(enumerate(v))))
        else:
            yield p, v


CREDENTIAL_KEY = "<credential-like key>"


def _key(k: Any) -> str:
    """A map key as it appears in a path: replaced when it looks like a credential itself
    (an environment variable named by a token), since paths are shown to everyone."""
    text = str(k)
    if len(text) >= 16 and not _WORDS.fullmatch(text) and (credential_shape(text) or looks_random(text)):
        return CREDENTIAL_KEY
    return text


# Words run together name a setting, however random their mixed case looks: capitalised
# ("AzureWebJobsStorage", Azure Functions' own), camel case ("storageAccountName") or upper case
# between underscores ("WEBSITE_RUN_FROM_PACKAGE"). A key written as a name has none of these shapes.
_WORDS = re.compile(r"(?:[A-Z][a-z]{2,})+|[a-z]{2,}(?:[A-Z][a-z]{2,})+|[A-Z][A-Z0-9]+(?:_[A-Z][A-Z0-9]+)+")


def safe_path(path: str) -> str:
    """A top-level property name (a stack output's) with a credential-like name replaced."""
    return _key(path) if path and "." not in path and "[" not in path else path


def _leaf_name(path: str) -> str:
    tail = path.rsplit(".", 1)[-1]
    return tail.split("[", 1)[0] or tail


def _judge_string(text: str, path: str, index: SecretIndex, exclude_urn: Optional[str],
                  depth: int = 0) -> Optional[Match]:
    hit = index.match(text, exclude_urn)
    if hit is not None:
        how, src = hit
        return Match(path, f"{how} {src.label} of {src.urn}", src)
    shape = credential_shape(text)
    if shape:
        return Match(path, f"looks like {shape}")
    name = _leaf_name(path)
    # The mask stands for a name that looked random, not for one that said "credential":
    # judging the value by the mask's own words made every masked output a secret.
    if name != CREDENTIAL_KEY and secret_like_name(name):
        if looks_random(text):
            return Match(path, "is a random-looking value under a secret-like name")
        vendor = named_credential(name, text)
        if vendor:
            return Match(path, f"looks like {vendor} under a secret-like name")
    if depth == 0:
        # A JSON document in a string: judge its fields by their own names.
        for name, leaf in _json_leaves(text):
            found = _judge_string(leaf, f"{path}.{name}" if path else name, index, exclude_urn, depth + 1)
            if found:
                return Match(path, f"holds JSON whose field '{short_path(name, 80)}' {found.reason}", found.source)
    return None


def find(value: Any, index: SecretIndex, path: str = "", exclude_urn: Optional[str] = None,
         limit: int = DEFAULT_SCAN_LIMIT, not_examined: Optional[List[Tuple[str, int]]] = None
         ) -> Tuple[List[Match], List[str]]:
    """Secret material inside `value`, and the paths that are unknown and so undecided.

    A whole mapping or list is also checked as one string when it is small,
    so that an AWS key id and its secret in sibling fields count as a pair.
    A string longer than `limit` characters is examined up to `limit`; its path and
    length are added to `not_examined` when the caller passes a list.
    """
    matches: List[Match] = []
    unknown_paths: List[str] = []
    leaves = list(_walk(value, safe_path(path)))
    for p, leaf in leaves:
        p = short_path(p)
        if leaf is UNKNOWN:
            unknown_paths.append(p or "(value)")
            continue
        if not isinstance(leaf, str) or not leaf:
            continue
        if len(leaf) > limit:
            if not_examined is not None:
                not_examined.append((p or "(value)", len(leaf)))
            leaf = leaf[:limit]
        found = _judge_string(leaf, p, index, exclude_urn)
        if found:
            matches.append(found)
    if not matches and isinstance(value, (Mapping, list, tuple)):
        joined = " ".join(str(v) for _, v in leaves if isinstance(v, str))
        shape = credential_shape(joined[:limit])
        if shape:
            matches.append(Match(safe_path(path) or "(value)", f"together look like {shape}"))
    return matches, unknown_paths


def secret_bearing(res: Resource) -> bool:
    """Whether a resource has a property that may hold a secret (for property-dependency links)."""
    return any(holds_secret(res.type, p, res.props) is not False for p in SECRET_ATTRIBUTES.get(res.type, ()))
