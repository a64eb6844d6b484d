"""How one resource points at another: by property dependency, or by a matching value.

During preview a reference is usually unknown, but the engine says which
resources a property was computed from (propertyDependencies). On a stack
export, and under mocks, the values are known and are compared with the
target's identifiers (id, ARN, name). Rules use both, in that order.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, List, Set, Tuple

from .model import UNKNOWN, Resource

Identifiers = Callable[[Resource], Set[str]]


def identifiers(res: Resource, *props: str) -> Set[str]:
    """The resource's id plus the string values of `props` (e.g. "arn", "name")."""
    # Filter before building the set: an output of the wrong type (a list where a name
    # belongs) is no identifier, and would not even hash.
    ids = (res.id, res.props.get("id"), *(res.props.get(p) for p in props))
    return {v for v in ids if isinstance(v, str) and v}


def linked(source: Resource, prop: str, candidates: Iterable[Resource], ids_of: Identifiers
           ) -> Tuple[List[Resource], bool]:
    """The candidates `source.prop` points at, and whether that is undecided (unknown, no dependency).

    A property that depends on a candidate links to it whatever its value; a
    known string links to the candidates that list it among their identifiers.
    """
    cands = list(candidates)
    deps = set(source.depends_on(prop))
    by_dep = [c for c in cands if c.urn in deps]
    if by_dep:
        return by_dep, False
    value: Any = source.props.get(prop)
    if value is UNKNOWN:
        # Computed from resources none of which is a candidate: it points elsewhere.
        return [], not deps
    if isinstance(value, str) and value:
        return [c for c in cands if value in ids_of(c)], False
    return [], False


def secret_ids(res: Resource) -> Set[str]:
    """What a secretId can hold to name a secret: its id, ARN or name."""
    return identifiers(res, "arn", "name")
