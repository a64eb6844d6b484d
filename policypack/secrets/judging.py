"""Judging one property of a resource for secret material, as the sprawl rules share it."""
from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Mapping

from ..model import UNKNOWN, Outcome, Resource, Stack, failed, passed, unknown
from . import SecretIndex, find, secret_bearing


def undecided_outcome(stack: Stack, res: Resource, prop: str, unknown_paths: List[str], what: str
                       ) -> Outcome:
    """A value unknown during preview carries secret material only if it is computed from a resource
    that holds some; propertyDependencies say which resources it was computed from."""
    deps = res.depends_on(prop)
    sources = [stack.by_urn(u) for u in deps]
    if deps and all(s is not None and not secret_bearing(s) for s in sources):
        return passed(f"{what} {unknown_paths[0]} is computed only from resources that hold no secret",
                      urn=res.urn, path=unknown_paths[0])
    return unknown(f"{what} {unknown_paths[0]} is not known during preview", urn=res.urn, path=unknown_paths[0])


def judge_value(stack: Stack, index: SecretIndex, res: Resource, prop: str, value: Any, path: str, what: str,
           advice: str) -> Iterable[Outcome]:
    if value is None:
        yield passed(urn=res.urn, path=path)
        return
    matches, unknown_paths = find(value, index, path, exclude_urn=res.urn)
    for m in matches:
        yield failed(f"{res.name}: {what} {m.path} {m.reason}; {advice}", urn=res.urn, path=m.path)
    if not matches:
        yield undecided_outcome(stack, res, prop, unknown_paths, what) if unknown_paths \
            else passed(urn=res.urn, path=path)


def name_value_map(entries: Any) -> Any:
    """Environment entries as ECS, Batch and EKS write them, [{"name": N, "value": V}, ...],
    as {N: V}, so that secret-like names count; UNKNOWN stays UNKNOWN."""
    if entries is UNKNOWN or not isinstance(entries, list):
        return entries if entries is UNKNOWN else {}
    out: Dict[str, Any] = {}
    for i, entry in enumerate(entries):
        if entry is UNKNOWN:
            out[f"[{i}]"] = UNKNOWN
        elif isinstance(entry, Mapping):
            name = entry.get("name")
            out[name if isinstance(name, str) and name else f"[{i}]"] = entry.get("value")
    return out


def json_value(value: Any) -> Any:
    """A property that holds a JSON document as a string (ECS containerDefinitions): the
    document, UNKNOWN as is, or None when it is not JSON."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value
