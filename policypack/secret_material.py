"""One notion of *secret material*, shared by every rule that looks for leaks.

A value is secret material when it equals (or embeds) a secret-bearing
attribute of a resource in the same stack, or when it has the shape of a
well-known credential. Findings name where the value came from, never the
value itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple

from .model import UNKNOWN, Resource, Stack

# Type token -> properties that hold a secret. Props are read from inputs at
# preview and from outputs on exports; both spell them the same way.
SECRET_ATTRIBUTES: Dict[str, Tuple[str, ...]] = {
    "aws:apigateway/apiKey:ApiKey": ("value",),
    "aws:apigateway/usagePlanKey:UsagePlanKey": ("value",),
    "aws:secretsmanager/secretVersion:SecretVersion": ("secretString", "secretBinary"),
    "aws:iam/accessKey:AccessKey": ("secret", "sesSmtpPasswordV4"),
    "random:index/randomPassword:RandomPassword": ("result",),
    "tls:index/privateKey:PrivateKey": ("privateKeyPem", "privateKeyOpenssh", "privateKeyPemPkcs8"),
    "aws:rds/instance:Instance": ("password",),
    "aws:rds/cluster:Cluster": ("masterPassword",),
}

# Values shorter than this are too common to call a match when embedded.
_MIN_EMBEDDED = 12

_AWS_ACCESS_KEY_ID = re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b")
_AWS_SECRET_KEY = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])")
_PEM_PRIVATE_KEY = re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")


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
    path: str  # where in the inspected value, e.g. "apiKey" or "config.url"
    reason: str  # e.g. "equals ApiKey.value of urn:..." or "looks like a PEM private key"


class SecretIndex:
    """The secret values of a stack, looked up by equality or by embedding."""

    def __init__(self, stack: Stack) -> None:
        self._exact: Dict[str, Source] = {}
        for res in stack.resources:
            for prop in SECRET_ATTRIBUTES.get(res.type, ()):
                value = res.props.get(prop)
                if isinstance(value, str) and value:
                    self._exact.setdefault(value, Source(res.urn, res.type, prop))
        self._long = [(v, s) for v, s in self._exact.items() if len(v) >= _MIN_EMBEDDED]

    def __len__(self) -> int:
        return len(self._exact)

    def source_of(self, text: str, exclude_urn: Optional[str] = None) -> Optional[Source]:
        src = self._exact.get(text)
        if src and src.urn != exclude_urn:
            return src
        for value, s in self._long:
            if s.urn != exclude_urn and value in text:
                return s
        return None


def credential_shape(text: str) -> Optional[str]:
    """Name the well-known credential format `text` holds, if any."""
    if _PEM_PRIVATE_KEY.search(text):
        return "a PEM private key"
    if _AWS_ACCESS_KEY_ID.search(text) and _AWS_SECRET_KEY.search(text):
        return "an AWS access key pair"
    return None


def _walk(value: Any, path: str) -> Iterator[Tuple[str, Any]]:
    if isinstance(value, Mapping):
        for k, v in value.items():
            yield from _walk(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from _walk(v, f"{path}[{i}]")
    else:
        yield path, value


def find(value: Any, index: SecretIndex, path: str = "", exclude_urn: Optional[str] = None
         ) -> Tuple[List[Match], List[str]]:
    """Secret material inside `value`, and the paths that are unknown and so undecided.

    A whole mapping or list is also checked as one string when it is small,
    so that an AWS key id and its secret in sibling fields count as a pair.
    """
    matches: List[Match] = []
    unknown_paths: List[str] = []
    leaves = list(_walk(value, path))
    for p, leaf in leaves:
        if leaf is UNKNOWN:
            unknown_paths.append(p or "(value)")
            continue
        if not isinstance(leaf, str) or not leaf:
            continue
        src = index.source_of(leaf, exclude_urn)
        if src is not None:
            how = "equals" if index._exact.get(leaf) is src else "embeds"
            matches.append(Match(p, f"{how} {src.label} of {src.urn}"))
            continue
        shape = credential_shape(leaf)
        if shape:
            matches.append(Match(p, f"looks like {shape}"))
    if not matches and isinstance(value, (Mapping, list, tuple)):
        joined = " ".join(str(v) for _, v in leaves if isinstance(v, str))
        shape = credential_shape(joined)
        if shape:
            matches.append(Match(path or "(value)", f"together look like {shape}"))
    return matches, unknown_paths


def secret_sources(resources: Iterable[Resource]) -> List[Source]:
    return [Source(r.urn, r.type, p) for r in resources for p in SECRET_ATTRIBUTES.get(r.type, ())]
