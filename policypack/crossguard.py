"""The CrossGuard adapter: the registry's rules as pulumi-policy policies.

Each rule becomes one ResourceValidationPolicy or StackValidationPolicy that
carries all its metadata, so `pulumi policy publish` and GetAnalyzerInfo show
names, levels, severity, framework, control tags, remediation, URL and config
schema exactly as the registry has them. Judging is the routing servicer's
(routing.py, started by serving.py); a rule's safe local fix reaches the engine
through pulumi-policy's Remediate, as `remediate` here.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, MutableMapping, Optional, Union, cast

from pulumi_policy import (
    EnforcementLevel,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    Policy,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationPolicy,
)
from pulumi_policy.deserialize import serialize_properties

from .config import schema_for, with_defaults
from .frameworks import FRAMEWORKS
from .model import from_engine
from .registry import RULES
from .rules.base import Rule

PACK_DESCRIPTION = ("Guardrails for the API keys and secrets AI deployments run on, on AWS, Azure and Google "
                    "Cloud: customer-managed key encryption, bounded rotation, least-privilege access, and no "
                    "secret material in outputs, config or plaintext places.")


def sdk_props(props: Any) -> Dict[str, Any]:
    """pulumi-policy's proxies (unknown-checking or secret-preserving) as plain model data."""
    return cast(Dict[str, Any], from_engine(serialize_properties(props)))


def _judged_by_keyguard(rule: Rule) -> Callable[..., None]:
    """The `validate` pulumi-policy requires of a policy. keyguard's servicer judges every
    policy itself (routing.py) and serving.py starts no other, so this never runs; if a
    different servicer ever called it, it says so rather than judging nothing."""
    def validate(_args: Any, _report: Any) -> None:
        raise RuntimeError(f"{rule.name}: keyguard's policies are judged by keyguard's own servicer "
                           "(policypack/serving.py), not by pulumi-policy's")
    return validate


def _remediate(rule: Rule) -> Callable[[ResourceValidationArgs], Optional[Mapping[str, Any]]]:
    def remediate(args: ResourceValidationArgs) -> Optional[Mapping[str, Any]]:
        if not rule.applies_to(args.resource_type):
            return None
        assert rule.remediate is not None  # to_policy asks only rules that remediate
        changes = rule.remediate(sdk_props(args.props), with_defaults(rule, args.get_config()))
        if not changes:
            return None
        # Writing through the SDK's secret-preserving proxy keeps a secret value secret,
        # and the properties we leave alone (unknowns included) go back untouched.
        props = cast(MutableMapping[str, Any], args.props)  # the SDK's proxy takes assignments
        for key, value in changes.items():
            props[key] = value
        return props
    return remediate


def to_policy(rule: Rule) -> Union[ResourceValidationPolicy, StackValidationPolicy]:
    fw = FRAMEWORKS[rule.framework] if rule.framework else None
    common: Dict[str, Any] = dict(
        name=rule.name,
        description=rule.description,
        enforcement_level=EnforcementLevel(rule.enforcement),
        # Every policy also takes `waivers`, added here so rules keep their own schemas.
        config_schema=PolicyConfigSchema(properties=schema_for(rule)),
        display_name=rule.title,
        severity=Severity(rule.severity),
        framework=PolicyComplianceFramework(
            name=fw["name"], version=fw["version"], reference=fw["reference"],
            specification=", ".join(rule.framework_controls(cast(str, rule.framework))),
        ) if fw else None,
        # The primary framework's controls are its specification; every other mapping is a tag.
        tags=rule.secondary_tags,
        remediation_steps=rule.remediation,
        url=rule.url,
    )
    if rule.kind == "resource":
        return ResourceValidationPolicy(
            validate=_judged_by_keyguard(rule),
            # pulumi-policy annotates remediate as returning an Awaitable; its servicer also takes
            # the plain mapping its docs show, which is what this returns.
            remediate=_remediate(rule) if rule.remediate else None,  # type: ignore[arg-type]
            **common,
        )
    return StackValidationPolicy(validate=_judged_by_keyguard(rule), **common)


def build_policies() -> List[Policy]:
    return [to_policy(r) for r in RULES]
