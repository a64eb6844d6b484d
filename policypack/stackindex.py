"""One index per stack, so that stack rules link resources in time linear in the stack.

A stack rule that asks "which rotation points at this secret?" by walking every
rotation, for every secret, costs the square of the stack: minutes at 100,000
resources. The index answers the same questions from maps built once, on first
use, per `Stack` (so once per AnalyzeStack and once per scan, whatever the number
of rules that ask): resources by type and by every identifier an `ids_of`
function gives them (id, ARN, name...), and the reverse maps of dependencies and
property dependencies. Answers keep the stack's order, so a rule that switches
from walking to asking gives the same outcomes in the same order.

The index is part of the model the rules receive (`Stack.index`): rules stay
pure functions of the stack.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Hashable, Iterable, List, Set, Tuple

from .model import UNKNOWN, Resource

Identifiers = Callable[[Resource], Set[str]]


class StackIndex:
    """Lazily built look-ups over one stack's resources. `lookups` counts the questions
    asked, so that a test can check the work grows with the stack, not its square."""

    def __init__(self, resources: Tuple[Resource, ...]) -> None:
        self._resources = resources
        self._position: Dict[int, int] = {}
        self._by_type: Dict[str, List[Resource]] = {}
        self._by_type_urn: Dict[Tuple[str, str], List[Resource]] = {}
        self._built = False
        self._ids: Dict[Tuple[str, Identifiers], Dict[str, List[Resource]]] = {}
        self._prop_dependents: Dict[Tuple[str, str], List[Resource]] = {}
        self._dependents: Dict[str, List[Resource]] = {}
        self._reverse_built = False
        self._memo: Dict[Hashable, Any] = {}
        self.lookups = 0

    def _build(self) -> None:
        if self._built:
            return
        for i, res in enumerate(self._resources):
            self._position[id(res)] = i
            self._by_type.setdefault(res.type, []).append(res)
            self._by_type_urn.setdefault((res.type, res.urn), []).append(res)
        self._built = True

    def _build_reverse(self) -> None:
        if self._reverse_built:
            return
        for res in self._resources:
            for urn in dict.fromkeys(res.dependencies):
                self._dependents.setdefault(urn, []).append(res)
            for prop, urns in res.property_dependencies.items():
                for urn in dict.fromkeys(urns):
                    self._prop_dependents.setdefault((prop, urn), []).append(res)
        self._reverse_built = True

    def _in_order(self, resources: Iterable[Resource]) -> List[Resource]:
        """Distinct resources in the stack's order."""
        self._build()
        unique = {id(r): r for r in resources}
        return sorted(unique.values(), key=lambda r: self._position[id(r)])

    # -- plain look-ups -------------------------------------------------------
    def of_type(self, rtype: str) -> List[Resource]:
        """The resources of one type, in the stack's order."""
        self._build()
        self.lookups += 1
        return self._by_type.get(rtype, [])

    def by_identifier(self, rtype: str, ids_of: Identifiers, value: str) -> List[Resource]:
        """The resources of `rtype` that list `value` among `ids_of(resource)`, in stack order.
        `ids_of` keys the map: pass the same function object each time (a module-level one)."""
        self.lookups += 1
        table = self._ids.get((rtype, ids_of))
        if table is None:
            table = {}
            for res in self.of_type(rtype):
                for ident in ids_of(res):
                    table.setdefault(ident, []).append(res)
            self._ids[(rtype, ids_of)] = table
        return table.get(value, [])

    def dependents(self, urn: str, prop: str = "") -> List[Resource]:
        """The resources whose property `prop` depends on `urn` (any dependency when `prop`
        is empty), in stack order."""
        self._build_reverse()
        self.lookups += 1
        if prop:
            return self._prop_dependents.get((prop, urn), [])
        return self._dependents.get(urn, [])

    def memo(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """A value derived from the whole stack (e.g. its secret index), built once."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    # -- links ----------------------------------------------------------------
    def linked(self, source: Resource, prop: str, rtype: str, ids_of: Identifiers) -> Tuple[List[Resource], bool]:
        """`links.linked(source, prop, stack.of_type(rtype), ids_of)`, from the maps: the
        resources of `rtype` that `source.prop` points at, and whether that is undecided."""
        self.lookups += 1
        deps = source.depends_on(prop)
        if deps:
            self._build()
            by_dep = [r for u in dict.fromkeys(deps) for r in self._by_type_urn.get((rtype, u), ())]
            if by_dep:
                return self._in_order(by_dep), False
        value: Any = source.props.get(prop)
        if value is UNKNOWN:
            return [], not deps
        if isinstance(value, str) and value:
            return list(self.by_identifier(rtype, ids_of, value)), False
        return [], False

    def referrers(self, target: Resource, prop: str, rtype: str, target_ids: Iterable[str]) -> List[Resource]:
        """The resources of `rtype` whose `prop` points at `target`: by a property dependency
        on it, or by a string value among `target_ids`. The reverse of `linked` with `target`
        as the only candidate, for every source at once."""
        self.lookups += 1
        found = [r for r in self.dependents(target.urn, prop) if r.type == rtype]
        for ident in target_ids:
            found.extend(self.by_identifier(rtype, _value_of(prop), ident))
        return self._in_order(found)


_VALUE_FUNCTIONS: Dict[str, Identifiers] = {}


def _value_of(prop: str) -> Identifiers:
    """An `ids_of` that gives a resource's own non-empty string `prop` (what it points at)."""
    fn = _VALUE_FUNCTIONS.get(prop)
    if fn is None:
        def fn(res: Resource, prop: str = prop) -> Set[str]:
            v = res.props.get(prop)
            return {v} if isinstance(v, str) and v else set()
        _VALUE_FUNCTIONS[prop] = fn
    return fn
