"""What a rule is: one pure check plus every piece of metadata about it.

A rule is the single source of truth for its name, severity, default level,
controls, remediation, config schema and examples; the CrossGuard adapter, the
scanner, the reporters and the README table all read it from here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Tuple, Union, cast

from ..examples import Example
from ..frameworks import FRAMEWORKS, primary_framework
from ..levels import LEVELS
from ..model import Outcome, Stack

SEVERITIES = ("low", "medium", "high", "critical")

@dataclass(frozen=True)
class Control:
    """One control of a framework a rule maps to (`nist-800-53-r5`, `SC-28`)."""

    framework: str
    id: str

    @property
    def tag(self) -> str:
        return f"{self.framework}:{self.id}"


StackCheck = Callable[[Stack, Mapping[str, Any]], Iterable[Outcome]]
Remediate = Callable[[Mapping[str, Any], Mapping[str, Any]], Optional[Dict[str, Any]]]


@dataclass(frozen=True)
class Rule:
    """One policy: its metadata, its check, its examples (see docs/adding-a-policy.md)."""

    name: str
    title: str
    description: str
    severity: str
    enforcement: str
    kind: str  # "resource" | "stack"
    check: Callable[..., Iterable[Outcome]]
    remediation: str
    url: str
    # Control ids keyed by framework key ({"aws-fsbp": ["KMS.4"], ...}); stored as Controls.
    controls: Union[Mapping[str, Sequence[str]], Tuple[Control, ...]]
    # Resource types this rule looks at: adapters route on it before decoding anything.
    resource_types: FrozenSet[str]
    config_schema: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    examples: Tuple[Example, ...] = ()
    # For resource rules whose fix is safe and local: props, config -> fixed props or None.
    remediate: Optional[Remediate] = None
    # A resource rule's second phase, run once over the whole stack (AnalyzeStack, and once per
    # scanned stack) after every resource was judged alone. It reports only what the stack adds
    # on a resource's URN and path: a failure or unknown the resource alone did not show, or a
    # pass that supersedes the resource phase's outcomes at that URN and path (see evaluate).
    stack_check: Optional[StackCheck] = None

    def __post_init__(self) -> None:
        if isinstance(self.controls, Mapping):
            object.__setattr__(self, "controls", tuple(
                Control(fw, cid) for fw, ids in self.controls.items() for cid in ids))
        if self.severity not in SEVERITIES:
            raise ValueError(f"{self.name}: bad severity {self.severity!r}")
        if self.enforcement not in LEVELS:
            raise ValueError(f"{self.name}: bad enforcement level {self.enforcement!r}")
        if self.kind not in ("resource", "stack"):
            raise ValueError(f"{self.name}: bad kind {self.kind!r}")
        if self.stack_check is not None and self.kind != "resource":
            raise ValueError(f"{self.name}: only a resource rule has a stack phase")
        for c in self._controls:
            if c.framework not in FRAMEWORKS:
                raise ValueError(f"{self.name}: unknown framework {c.framework!r}")
        for prop, schema in self.config_schema.items():
            if "default" not in schema or "type" not in schema:
                raise ValueError(f"{self.name}: config property {prop!r} needs a type and a default")

    @property
    def _controls(self) -> Tuple[Control, ...]:
        # __post_init__ has turned a mapping into Controls.
        return cast(Tuple[Control, ...], self.controls)

    @property
    def tags(self) -> List[str]:
        return [c.tag for c in self._controls]

    @property
    def framework(self) -> Optional[str]:
        """The one framework CrossGuard shows (PolicyComplianceFramework), by frameworks.PRIMARY_ORDER."""
        return primary_framework(c.framework for c in self._controls)

    @property
    def secondary_tags(self) -> List[str]:
        """Every mapping outside the primary framework, as `<framework>:<control id>`."""
        return [c.tag for c in self._controls if c.framework != self.framework]

    def framework_controls(self, framework: str) -> List[str]:
        return [c.id for c in self._controls if c.framework == framework]

    @property
    def controls_by_framework(self) -> Dict[str, List[str]]:
        """Control ids per framework key, frameworks in FRAMEWORKS order, only those mapped."""
        return {fw: ids for fw in FRAMEWORKS if (ids := self.framework_controls(fw))}

    @property
    def stack_phase(self) -> Optional[StackCheck]:
        """What runs over the whole stack: a stack rule's check, or a resource rule's stack_check."""
        return self.check if self.kind == "stack" else self.stack_check

    def defaults(self) -> Dict[str, Any]:
        return {k: v["default"] for k, v in self.config_schema.items()}

    def applies_to(self, resource_type: str) -> bool:
        return resource_type in self.resource_types
