"""The neutral model every rule sees, whichever adapter feeds it.

Rules never see pulumi-policy's proxies, the engine's wire encoding or a stack
export's layout: each adapter turns its input into `Resource`s whose property
values are plain JSON-like data, with secrets unwrapped and every value that is
unknown during preview replaced by the `UNKNOWN` singleton.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

if TYPE_CHECKING:
    from .stackindex import StackIndex

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


def contains_unknown(value: Any) -> bool:
    if value is UNKNOWN:
        return True
    if isinstance(value, Mapping):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(contains_unknown(v) for v in value)
    return False


def from_engine(value: Any) -> Any:
    """Decode a value as the engine marshals it (gRPC Struct or stack state).

    Secrets are unwrapped (a `plaintext` secret from `stack export
    --show-secrets` is JSON-decoded); an encrypted `ciphertext` secret cannot be
    read and so is UNKNOWN; resource references become their id, or URN when
    there is no id; outputs values become their value, or UNKNOWN.
    """
    if isinstance(value, str):
        return UNKNOWN if value in UNKNOWN_SENTINELS else value
    if isinstance(value, list):
        return [from_engine(v) for v in value]
    if isinstance(value, dict):
        sig = value.get(SIG_KEY)
        if sig is None:
            return {k: from_engine(v) for k, v in value.items()}
        if sig == SECRET_SIG:
            if "value" in value:
                return from_engine(value["value"])
            if "plaintext" in value:
                import json

                try:
                    return from_engine(json.loads(value["plaintext"]))
                except (TypeError, ValueError):
                    return UNKNOWN
            return UNKNOWN
        if sig == RESOURCE_REF_SIG:
            ref = value.get("id")
            return from_engine(ref) if ref not in (None, "") else value.get("urn", UNKNOWN)
        if sig == OUTPUT_SIG:
            return from_engine(value["value"]) if "value" in value else UNKNOWN
        # Assets and archives: rules only care that something is there.
        return {k: from_engine(v) for k, v in value.items() if k != SIG_KEY}
    return value


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
            from .stackindex import StackIndex

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


def counted_level(level: str) -> str:
    """The enforcement level a violation counts at: a remediate policy's violation counts
    as mandatory. Outside the engine nothing fixed the resource; inside it, a violation
    still reported is one the remediation did not fix (pulumi-policy says the same)."""
    return "mandatory" if level == "remediate" else level


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
