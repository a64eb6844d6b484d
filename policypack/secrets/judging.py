"""Judging one property of a resource for secret material, as the sprawl rules share it."""
from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from ..model import UNKNOWN, Outcome, Resource, Stack, failed, passed, unknown
from . import SecretIndex, find, secret_bearing
from .index import DEFAULT_SCAN_LIMIT


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


def scan_limit(config: Mapping[str, Any]) -> int:
    """The policy's `maxScanChars`: how much of one value the detectors examine."""
    limit = config.get("maxScanChars", DEFAULT_SCAN_LIMIT)
    return limit if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0 else DEFAULT_SCAN_LIMIT


def not_examined_outcome(res: Resource, what: str, not_examined: List[Tuple[str, int]], limit: int) -> Outcome:
    """Nothing was found in the part examined, but a value was longer than the limit."""
    path, size = not_examined[0]
    more = f" (and {len(not_examined) - 1} more values)" if len(not_examined) > 1 else ""
    return unknown(f"{res.name}: {what} {path} is {size} characters long; only its first {limit} were examined "
                   f"for secret material{more} (raise maxScanChars to examine more)", urn=res.urn, path=path)


def judge_value(stack: Stack, index: SecretIndex, res: Resource, prop: str, value: Any, path: str, what: str,
           advice: str, config: Optional[Mapping[str, Any]] = None) -> Iterable[Outcome]:
    if value is None:
        yield passed(urn=res.urn, path=path)
        return
    limit = scan_limit(config or {})
    cut: List[Tuple[str, int]] = []
    matches, unknown_paths = find(value, index, path, exclude_urn=res.urn, limit=limit, not_examined=cut)
    for m in matches:
        yield failed(f"{res.name}: {what} {m.path} {m.reason}; {advice}", urn=res.urn, path=m.path)
    if not matches:
        if unknown_paths:
            yield undecided_outcome(stack, res, prop, unknown_paths, what)
        if cut:
            yield not_examined_outcome(res, what, cut, limit)
        if not unknown_paths and not cut:
            yield passed(urn=res.urn, path=path)


def name_value_map(entries: Any, value_key: str = "value") -> Any:
    """Environment entries as ECS, Batch and EKS write them, [{"name": N, "value": V}, ...],
    as {N: V}, so that secret-like names count; UNKNOWN stays UNKNOWN. `value_key` names the
    value's key where it is not "value" (an App Service connection string's `connectionString`)."""
    if entries is UNKNOWN or not isinstance(entries, list):
        return entries if entries is UNKNOWN else {}
    out: Dict[str, Any] = {}
    for i, entry in enumerate(entries):
        if entry is UNKNOWN:
            out[f"[{i}]"] = UNKNOWN
        elif isinstance(entry, Mapping):
            name = entry.get("name")
            out[name if isinstance(name, str) and name else f"[{i}]"] = entry.get(value_key)
    return out


def json_value(value: Any) -> Any:
    """A property that holds a JSON document as a string (ECS containerDefinitions): the
    document, UNKNOWN as is, or None when it is not JSON or nests deeper than the parser goes."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except (ValueError, RecursionError):
            return None
    return value
