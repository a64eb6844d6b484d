"""The neutral model every rule sees, whichever adapter feeds it.

Rules never see pulumi-policy's proxies, the engine's wire encoding or a stack
export's layout: each adapter turns its input into `Resource`s whose property
values are plain JSON-like data, with secrets unwrapped and every value that is
unknown during preview replaced by the `UNKNOWN` singleton.
"""
from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Hashable, Iterable, List, Mapping, Optional, Sequence, Set, Tuple, Union

# The engine's sentinels for values not known during preview, one per kind.
UNKNOWN_SENTINELS = frozenset({
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",  # boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",  # number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",  # string
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",  # array
    "030794c1-ac77-496b-92df-f27374a8bd58",  # asset
    "e48ece36-62e2-4504-bad9-02848725956a",  # archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",  # object
})
UNKNOWN_STRING_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

# The engine's signature key and the signatures of the special objects it can carry.
SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17"
ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7"
RESOURCE_REF_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"


class _Unknown:
    """A value the engine does not know yet (preview). Compare with `is`."""

    _instance: Optional["_Unknown"] = None

    def __new__(cls) -> "_Unknown":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __reduce__(self) -> Tuple[type, Tuple[()]]:
        return (_Unknown, ())


UNKNOWN = _Unknown()


def scalars(value: Any) -> Iterable[Any]:
    """Every value inside `value` that is not a mapping or list, without recursion."""
    todo = [value]
    while todo:
        v = todo.pop()
        if isinstance(v, Mapping):
            todo.extend(v.values())
        elif isinstance(v, (list, tuple)):
            todo.extend(v)
        else:
            yield v


def contains_unknown(value: Any) -> bool:
    return any(v is UNKNOWN for v in scalars(value))


def from_engine(value: Any) -> Any:
    """Decode a value as the engine marshals it (gRPC Struct or stack state).

    Secrets are unwrapped (a `plaintext` secret from `stack export
    --show-secrets` is JSON-decoded); an encrypted `ciphertext` secret cannot be
    read and so is UNKNOWN; resource references become their id, or URN when
    there is no id; outputs values become their value, or UNKNOWN.

    Mappings and lists that hold nothing to decode are returned as they are, not
    copied: most of a stack's values are plain, and rules never change what they
    read. Properties nested far deeper than the recursion below allows are decoded
    by a walk that keeps its own stack, so they decode like any others.
    """
    try:
        return _decoded(value, 0)
    except _TooDeep:
        return _decoded_deep(value)


class _TooDeep(Exception):
    pass


# Well inside Python's recursion limit whoever calls, and deeper than any real resource.
_RECURSION_LIMIT = 200
# What JSON holds besides strings, mappings and lists: kept as it is, told apart by type alone
# (subclasses of str, dict and list still take the isinstance path).
_SCALARS = frozenset({int, float, bool, type(None)})


def _decoded(v: Any, depth: int) -> Any:
    # Returns `v` itself when nothing inside it changes (see from_engine).
    while isinstance(v, dict) and v.get(SIG_KEY) is not None:
        v = _unwrap(v)
    if isinstance(v, str):
        return UNKNOWN if v in UNKNOWN_SENTINELS else v
    if isinstance(v, dict):
        if depth > _RECURSION_LIMIT:
            raise _TooDeep
        obj: Optional[Dict[str, Any]] = None if type(v) is dict and SIG_KEY not in v else {}
        for k, c in v.items():
            t = type(c)
            if t is str:
                new = UNKNOWN if c in UNKNOWN_SENTINELS else c
            elif t is dict or t is list or (t not in _SCALARS and isinstance(c, (str, dict, list))):
                new = _decoded(c, depth + 1)
            else:
                new = c
            if obj is None:
                if new is c:
                    continue
                obj = {}
                for k2, c2 in v.items():  # the keys before this one, unchanged, in order
                    if k2 == k:
                        break
                    obj[k2] = c2
            if k != SIG_KEY:
                obj[k] = new
        return v if obj is None else obj
    if isinstance(v, list):
        if depth > _RECURSION_LIMIT:
            raise _TooDeep
        out: Optional[List[Any]] = None if type(v) is list else list(v)
        for i, c in enumerate(v):
            t = type(c)
            if t is str:
                new = UNKNOWN if c in UNKNOWN_SENTINELS else c
            elif t is dict or t is list or (t not in _SCALARS and isinstance(c, (str, dict, list))):
                new = _decoded(c, depth + 1)
            else:
                continue
            if new is not c:
                if out is None:
                    out = list(v)
                out[i] = new
        return v if out is None else out
    return v


def _decoded_deep(value: Any) -> Any:
    """from_engine's answer, by a walk that keeps its own stack instead of recursing
    (and copies every mapping and list)."""
    root: List[Any] = [None]
    # (value to decode, container to put the result in, key or index there)
    todo: List[Tuple[Any, Any, Any]] = [(value, root, 0)]
    while todo:
        v, into, at = todo.pop()
        while isinstance(v, dict) and v.get(SIG_KEY) is not None:
            v = _unwrap(v)
        if isinstance(v, str):
            into[at] = UNKNOWN if v in UNKNOWN_SENTINELS else v
        elif isinstance(v, list):
            out: List[Any] = [None] * len(v)
            into[at] = out
            todo.extend((c, out, i) for i, c in enumerate(v))
        elif isinstance(v, dict):
            obj: Dict[str, Any] = {}
            into[at] = obj
            for k, c in v.items():
                if k != SIG_KEY:
                    obj[k] = None  # keep the source's key order
                    todo.append((c, obj, k))
        else:
            into[at] = v
    return root[0]


def _unwrap(value: Dict[str, Any]) -> Any:
    """One special object (secret, resource reference, output) as the value it stands for,
    still to be decoded; assets and archives keep their fields without the signature."""
    sig = value.get(SIG_KEY)
    if sig == SECRET_SIG:
        if "value" in value:
            return value["value"]
        if "plaintext" in value:
            import json

            try:
                return json.loads(value["plaintext"])
            except (TypeError, ValueError, RecursionError):
                return UNKNOWN_STRING_SENTINEL
        return UNKNOWN_STRING_SENTINEL
    if sig == RESOURCE_REF_SIG:
        ref = value.get("id")
        if ref not in (None, ""):
            return ref
        urn = value.get("urn")
        return urn if urn is not None else UNKNOWN_STRING_SENTINEL
    if sig == OUTPUT_SIG:
        return value["value"] if "value" in value else UNKNOWN_STRING_SENTINEL
    # Assets and archives: rules only care that something is there.
    return {k: v for k, v in value.items() if k != SIG_KEY}


def from_struct(struct: Any) -> Any:
    """A protobuf `Struct` (an engine request's properties) as model data, decoded without
    recursion; the same result as `from_engine(json_format.MessageToDict(struct))`."""
    root: List[Any] = [None]
    todo: List[Tuple[Any, Any, Any, bool]] = [(struct, root, 0, True)]
    while todo:
        msg, into, at, is_struct = todo.pop()
        if is_struct:
            plain: Dict[str, Any] = {}
            into[at] = plain
            for k, v in msg.fields.items():
                plain[k] = None
                todo.append((v, plain, k, False))
            continue
        kind = msg.WhichOneof("kind")
        if kind == "struct_value":
            todo.append((msg.struct_value, into, at, True))
        elif kind == "list_value":
            items: List[Any] = [None] * len(msg.list_value.values)
            into[at] = items
            todo.extend((c, items, i, False) for i, c in enumerate(msg.list_value.values))
        elif kind == "string_value":
            into[at] = msg.string_value
        elif kind == "number_value":
            into[at] = msg.number_value
        elif kind == "bool_value":
            into[at] = msg.bool_value
        else:
            into[at] = None
    return from_engine(root[0])


def non_finite(value: Any) -> bool:
    """Whether a NaN or an infinity occurs anywhere in `value`: numbers no JSON or
    CrossGuard answer can carry, and which every rule treats as invalid numbers."""
    return any(isinstance(v, float) and not math.isfinite(v) for v in scalars(value))


def nesting_depth(value: Any) -> int:
    """How many mappings and lists deep `value` goes (0 for a scalar)."""
    deepest, todo = 0, [(value, 0)]
    while todo:
        v, d = todo.pop()
        if isinstance(v, Mapping):
            todo.extend((c, d + 1) for c in v.values())
        elif isinstance(v, (list, tuple)):
            todo.extend((c, d + 1) for c in v)
        else:
            deepest = max(deepest, d)
            continue
        deepest = max(deepest, d + 1)
    return deepest


MAX_PATH = 200


def short_path(path: str, limit: int = MAX_PATH) -> str:
    """A property path for a message: a path deeper than `limit` characters keeps its two ends."""
    if len(path) <= limit:
        return path
    half = (limit - 5) // 2
    return f"{path[:half]}[...]{path[-half:]}"


# pulumi-policy decodes and encodes properties recursively: this deep, it still can.
SDK_SAFE_DEPTH = 100


def is_number(v: Any) -> bool:
    """A usable number: not a bool, not NaN, not infinite."""
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


class Status(str, enum.Enum):
    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"
    UNKNOWN = "unknown"
    WAIVED = "waived"


@dataclass(frozen=True)
class Resource:
    """One resource as a rule sees it.

    `props` are the inputs (resource rules during preview and update) or the
    outputs (stack rules, stack exports). `property_dependencies` maps an input
    property name to the URNs it was computed from; it is empty for stack
    exports of old CLIs and under mocks unless the mock monitor records it.
    """

    type: str
    name: str
    urn: str
    props: Mapping[str, Any]
    id: Any = None
    parent: Optional[str] = None
    dependencies: Tuple[str, ...] = ()
    property_dependencies: Mapping[str, Tuple[str, ...]] = field(default_factory=dict)
    additional_secret_outputs: Tuple[str, ...] = ()
    custom: bool = True
    # The inputs too, when the source has both (stack exports, programs under
    # mocks): the engine hands resource rules the inputs and stack rules the
    # outputs, and `evaluate` does the same with a resource that carries both.
    inputs: Optional[Mapping[str, Any]] = None

    def get(self, path: str, default: Any = None) -> Any:
        return get_path(self.props, path, default)

    def depends_on(self, prop: str) -> Tuple[str, ...]:
        return tuple(self.property_dependencies.get(prop, ()))


STACK_TYPE = "pulumi:pulumi:Stack"


@dataclass(frozen=True)
class Stack:
    """Every resource of a stack, for stack rules, with URN lookups."""

    resources: Sequence[Resource]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_urn", {r.urn: r for r in self.resources})

    def by_urn(self, urn: str) -> Optional[Resource]:
        return self._by_urn.get(urn)  # type: ignore[attr-defined,no-any-return]

    @property
    def index(self) -> "StackIndex":
        """The stack's look-ups (by type, identifier, reverse dependency), built on first use."""
        idx = self.__dict__.get("_index")
        if idx is None:
            idx = StackIndex(tuple(self.resources))
            object.__setattr__(self, "_index", idx)
        return idx

    def of_type(self, *types: str) -> Iterable[Resource]:
        if len(types) == 1:
            return iter(self.index.of_type(types[0]))
        return (r for r in self.resources if r.type in types)

    @property
    def root(self) -> Optional[Resource]:
        return next((r for r in self.resources if r.type == STACK_TYPE), None)


# -- the stack index ----------------------------------------------------------------------------
# One index per stack, so that stack rules link resources in time linear in the stack.
#
# A stack rule that asks "which rotation points at this secret?" by walking every
# rotation, for every secret, costs the square of the stack: minutes at 100,000
# resources. The index answers the same questions from maps built once, on first
# use, per `Stack` (so once per AnalyzeStack and once per scan, whatever the number
# of rules that ask): resources by type and by every identifier an `ids_of`
# function gives them (id, ARN, name...), and the reverse maps of dependencies and
# property dependencies. Answers keep the stack's order, so a rule that switches
# from walking to asking gives the same outcomes in the same order.
#
# The index is part of the model the rules receive (`Stack.index`): rules stay
# pure functions of the stack.

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
    def linked(self, source: Resource, prop: str, rtypes: Union[str, Tuple[str, ...]], ids_of: Identifiers
               ) -> Tuple[List[Resource], bool]:
        """The one way keyguard resolves a reference: the resources of `rtypes` that `source.prop`
        (a string, or a list of them) points at, in stack order, and whether part of it is undecided.

        During preview a reference is usually unknown, but the engine says which resources the
        property was computed from (propertyDependencies); in exports and under mocks the value
        is known and is matched against each candidate's identifiers (`ids_of`: id, ARN,
        name...). Both count. An unknown part is undecided only when the property depends on
        nothing: computed from resources none of which is a candidate, it points elsewhere."""
        self.lookups += 1
        types = (rtypes,) if isinstance(rtypes, str) else rtypes
        deps = source.depends_on(prop)
        hits: List[Resource] = []
        if deps:
            self._build()
            hits = [r for u in dict.fromkeys(deps) for t in types for r in self._by_type_urn.get((t, u), ())]
        value: Any = source.props.get(prop)
        undecided = False
        for v in value if isinstance(value, list) else (value,):
            if v is UNKNOWN:
                undecided = undecided or not deps
            elif isinstance(v, str) and v:
                for t in types:
                    hits.extend(self.by_identifier(t, ids_of, v))
        return self._in_order(hits), undecided

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


@dataclass(frozen=True)
class Outcome:
    """What a rule says about one resource. `urn` defaults to the resource checked."""

    status: Status
    message: str = ""
    urn: Optional[str] = None
    path: str = ""


def passed(message: str = "", urn: Optional[str] = None, path: str = "") -> Outcome:
    return Outcome(Status.PASS, message, urn, path)


def failed(message: str, urn: Optional[str] = None, path: str = "") -> Outcome:
    return Outcome(Status.FAIL, message, urn, path)


def unknown(message: str, urn: Optional[str] = None, path: str = "") -> Outcome:
    return Outcome(Status.UNKNOWN, message, urn, path)


def not_applicable(message: str = "", urn: Optional[str] = None) -> Outcome:
    return Outcome(Status.NOT_APPLICABLE, message, urn)


@dataclass(frozen=True)
class Result:
    """An outcome stamped with its policy and resource: what reports carry."""

    policy: str
    status: Status
    urn: str
    resource_type: str
    message: str = ""
    path: str = ""
    enforcement: str = "advisory"
    severity: str = "medium"
    # The waiver that accepts a WAIVED result: {"reason", "approver", "expires"}.
    waiver: Optional[Mapping[str, str]] = None


_MISSING = object()


def get_path(props: Any, path: str, default: Any = None) -> Any:
    """Read `a.b[0].c` from nested props. UNKNOWN anywhere on the way is returned as is."""
    cur = props
    for part in _split(path):
        if cur is UNKNOWN:
            return UNKNOWN
        if isinstance(part, int):
            if not isinstance(cur, (list, tuple)) or part >= len(cur):
                return default
            cur = cur[part]
        else:
            if not isinstance(cur, Mapping):
                return default
            cur = cur.get(part, _MISSING)
            if cur is _MISSING:
                return default
    return cur


def _split(path: str) -> List[Union[str, int]]:
    parts: List[Union[str, int]] = []
    for chunk in path.split("."):
        while "[" in chunk:
            head, _, rest = chunk.partition("[")
            if head:
                parts.append(head)
            idx, _, chunk = rest.partition("]")
            parts.append(int(idx))
        if chunk:
            parts.append(chunk)
    return parts
