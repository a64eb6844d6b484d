"""What a rule is: one pure check plus every piece of metadata about it.

A rule is the single source of truth for its name, severity, default level,
controls, remediation, config schema and examples; the CrossGuard adapter, the
scanner, the reporters and the README table all read it from here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Tuple

from ..model import Outcome, Resource, Stack

SEVERITIES = ("low", "medium", "high", "critical")
LEVELS = ("advisory", "mandatory", "remediate", "disabled")

# Framework keys used in controls, tags and reports (design.md).
FRAMEWORKS: Dict[str, Dict[str, str]] = {
    "aws-fsbp": {
        "name": "AWS Foundational Security Best Practices",
        "version": "1.0.0",
        "reference": "https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html",
    },
    "cis-aws-v3.0.0": {
        "name": "CIS Amazon Web Services Foundations Benchmark",
        "version": "3.0.0",
        "reference": "https://www.cisecurity.org/benchmark/amazon_web_services",
    },
    "nist-800-53-r5": {
        "name": "NIST SP 800-53",
        "version": "Revision 5",
        "reference": "https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
    },
    "pci-dss-v4.0": {
        "name": "PCI DSS",
        "version": "4.0",
        "reference": "https://docs-prv.pcisecuritystandards.org/PCI%20DSS/Standard/PCI-DSS-v4_0.pdf",
    },
}


@dataclass(frozen=True)
class Control:
    framework: str
    id: str

    @property
    def tag(self) -> str:
        return f"{self.framework}:{self.id}"


def controls(**by_framework: Sequence[str]) -> Tuple[Control, ...]:
    """controls(aws_fsbp=["KMS.4"], nist_800_53_r5=["SC-12"]) with keys spelt as Python names."""
    key = {
        "aws_fsbp": "aws-fsbp",
        "cis_aws_v3": "cis-aws-v3.0.0",
        "nist": "nist-800-53-r5",
        "pci": "pci-dss-v4.0",
    }
    return tuple(Control(key[k], cid) for k, ids in by_framework.items() for cid in ids)


@dataclass(frozen=True)
class R:
    """A resource in an example: just enough to build a model Resource."""

    type: str
    name: str
    props: Mapping[str, Any] = field(default_factory=dict)
    id: Any = None
    property_dependencies: Mapping[str, Sequence[str]] = field(default_factory=dict)
    additional_secret_outputs: Sequence[str] = ()
    parent: Optional[str] = None

    def urn(self, stack: str = "dev", project: str = "example") -> str:
        return f"urn:pulumi:{stack}::{project}::{self.type}::{self.name}"

    def build(self) -> Resource:
        def urn_of(ref: str) -> str:
            # Examples name dependencies as "type::name" to stay readable.
            t, _, n = ref.rpartition("::")
            return R(t, n).urn()

        return Resource(
            type=self.type,
            name=self.name,
            urn=self.urn(),
            props=dict(self.props),
            id=self.id,
            parent=self.parent,
            dependencies=tuple(sorted({urn_of(d) for ds in self.property_dependencies.values() for d in ds})),
            property_dependencies={k: tuple(urn_of(d) for d in v) for k, v in self.property_dependencies.items()},
            additional_secret_outputs=tuple(self.additional_secret_outputs),
        )


@dataclass(frozen=True)
class Example:
    """A good or bad example: resources, config, and the exact statuses expected.

    `expect` maps a resource name to the one status the rule must give it
    ("pass", "fail", "unknown", "not_applicable"); a resource absent from
    `expect` must get no result at all, so over-reporting fails the example.
    """

    description: str
    resources: Sequence[R]
    expect: Mapping[str, str]
    config: Mapping[str, Any] = field(default_factory=dict)

    @property
    def good(self) -> bool:
        return all(v != "fail" for v in self.expect.values())


ResourceCheck = Callable[[Resource, Mapping[str, Any]], Iterable[Outcome]]
StackCheck = Callable[[Stack, Mapping[str, Any]], Iterable[Outcome]]
Remediate = Callable[[Mapping[str, Any], Mapping[str, Any]], Optional[Dict[str, Any]]]


@dataclass(frozen=True)
class Rule:
    name: str
    title: str
    description: str
    severity: str
    enforcement: str
    kind: str  # "resource" | "stack"
    check: Callable[..., Iterable[Outcome]]
    remediation: str
    url: str
    controls: Tuple[Control, ...]
    # Resource types this rule looks at: adapters route on it before decoding anything.
    resource_types: FrozenSet[str]
    config_schema: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    examples: Tuple[Example, ...] = ()
    # For resource rules whose fix is safe and local: props, config -> fixed props or None.
    remediate: Optional[Remediate] = None
    # The framework CrossGuard shows (PolicyComplianceFramework); defaults to the first control's.
    primary_framework: Optional[str] = None

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"{self.name}: bad severity {self.severity!r}")
        if self.enforcement not in LEVELS:
            raise ValueError(f"{self.name}: bad enforcement level {self.enforcement!r}")
        if self.kind not in ("resource", "stack"):
            raise ValueError(f"{self.name}: bad kind {self.kind!r}")
        for c in self.controls:
            if c.framework not in FRAMEWORKS:
                raise ValueError(f"{self.name}: unknown framework {c.framework!r}")
        for prop, schema in self.config_schema.items():
            if "default" not in schema or "type" not in schema:
                raise ValueError(f"{self.name}: config property {prop!r} needs a type and a default")

    @property
    def tags(self) -> List[str]:
        return [c.tag for c in self.controls]

    @property
    def framework(self) -> Optional[str]:
        if self.primary_framework:
            return self.primary_framework
        return self.controls[0].framework if self.controls else None

    def framework_controls(self, framework: str) -> List[str]:
        return [c.id for c in self.controls if c.framework == framework]

    @property
    def controls_by_framework(self) -> Dict[str, List[str]]:
        """Control ids per framework key, frameworks in FRAMEWORKS order, only those mapped."""
        return {fw: ids for fw in FRAMEWORKS if (ids := self.framework_controls(fw))}

    def defaults(self) -> Dict[str, Any]:
        return {k: v["default"] for k, v in self.config_schema.items()}

    def applies_to(self, resource_type: str) -> bool:
        return resource_type in self.resource_types
