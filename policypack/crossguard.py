"""The CrossGuard adapter: the registry's rules as a pulumi-policy PolicyPack.

Each rule becomes one ResourceValidationPolicy or StackValidationPolicy that
carries all its metadata, so `pulumi policy publish` and GetAnalyzerInfo show
names, levels, severity, framework, control tags, remediation, URL and config
schema exactly as the registry has them.

Speed: `serve` swaps in the routing servicer (routing.py) when the installed
pulumi-policy is the one it was written against. Both servicers run the same
rules through `_deliver`, and the engine-protocol tests run both.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Iterable, List, Mapping, MutableMapping, Optional, Union, cast

from pulumi_policy import (
    EnforcementLevel,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    Policy,
    PolicyPack,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidation,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy import policy as _sdk
from pulumi_policy.deserialize import serialize_properties
from pulumi_policy.proxy import UnknownValueError

from . import waivers as _waivers
from .config import ConfigError, config_waivers, schema_for, with_defaults
from .frameworks import FRAMEWORKS
from .model import UNKNOWN_STRING_SENTINEL, Outcome, Resource, Stack, Status, from_engine, from_struct
from .registry import PACK_NAME, RULES
from .rules.base import Rule

PACK_DESCRIPTION = ("Guardrails for the API keys and secrets AI deployments run on: customer-managed KMS "
                    "encryption, bounded rotation, least-privilege IAM, and no secret material in outputs.")


def sdk_props(props: Any) -> Dict[str, Any]:
    """pulumi-policy's proxies (unknown-checking or secret-preserving) as plain model data."""
    return cast(Dict[str, Any], from_engine(serialize_properties(props)))


def wire_props(struct: Any) -> Dict[str, Any]:
    """A request's properties as the engine sent them (a protobuf Struct) as plain model data."""
    return cast(Dict[str, Any], from_struct(struct))


def to_resource(type: str, name: str, urn: str, props: Mapping[str, Any], parent: Optional[str] = None,
                dependencies: Iterable[str] = (),
                property_dependencies: Optional[Mapping[str, Iterable[str]]] = None,
                additional_secret_outputs: Iterable[str] = ()) -> Resource:
    """One resource of an engine request as a rule sees it, whichever servicer read the
    request; `props` already plain (`sdk_props` or `wire_props`). Analyze carries no
    dependencies; AnalyzeStack carries them, only to resources in the request."""
    return Resource(
        type=type, name=name, urn=urn, props=props, parent=parent or None,
        dependencies=tuple(dependencies),
        property_dependencies={k: tuple(v) for k, v in (property_dependencies or {}).items()},
        additional_secret_outputs=tuple(additional_secret_outputs or ()),
    )


def _waivers_of(rule: Rule, config: Optional[Mapping[str, Any]]) -> List["_waivers.Waiver"]:
    """The policy's `waivers` config. The engine validated only its shape (an array);
    an entry we cannot use waives nothing rather than stopping the whole pack."""
    try:
        return config_waivers(rule, config)
    except ConfigError:
        return []


def _deliver(rule: Rule, outcomes: Iterable[Outcome], report: Callable[..., None],
             on_unknown: Callable[[str], None], on_not_applicable: Callable[[str], None],
             subject_urn: str = "", waivers: Iterable["_waivers.Waiver"] = (), by_urn: bool = False) -> None:
    """Hand a rule's outcomes to the engine: failures as violations at the policy's level
    (unless a live waiver covers them; an expired one is named in the message), on the
    outcome's URN when judging the whole stack (`by_urn`); undecidable values as the SDK's
    advisory "can't run during preview"; and not-applicable only when nothing else was said.
    A pass says nothing: the engine cannot withdraw a violation an earlier Analyze reported."""
    unknown_paths: List[str] = []
    na: List[str] = []
    decided = False
    waivers = list(waivers)
    for o in outcomes:
        if o.status is Status.FAIL:
            decided = True
            message = o.message
            if waivers:
                state, w = _waivers.verdict(waivers, rule.name, o.urn or subject_urn)
                if state == "waived":
                    continue
                if state == "expired":
                    assert w is not None  # verdict names the waiver that expired
                    message = f"{message} [waiver expired on {w.expires.isoformat()}, approved by {w.approver}]"
            if by_urn:
                report(message, o.urn)
            else:
                report(message)
        elif o.status is Status.UNKNOWN:
            unknown_paths.append(o.path or "(value)")
        elif o.status is Status.PASS:
            decided = True
        elif o.status is Status.NOT_APPLICABLE:
            na.append(o.message)
    if unknown_paths:
        on_unknown(unknown_paths[0])
    elif na and not decided:
        on_not_applicable(na[0])


def _raise_unknown(path: str) -> None:
    raise UnknownValueError(UNKNOWN_STRING_SENTINEL, path.split("."))


def _resource_from_args(args: Any) -> Resource:
    return to_resource(args.resource_type, args.name, args.urn, sdk_props(args.props), parent=args.opts.parent,
                       additional_secret_outputs=args.opts.additional_secret_outputs)


def _stack_resource(r: Any) -> Resource:
    """A pulumi-policy PolicyResource: its links are already resources of the request."""
    return to_resource(r.resource_type, r.name, r.urn, sdk_props(r.props),
                       parent=r.parent.urn if r.parent else None,
                       dependencies=(d.urn for d in r.dependencies),
                       property_dependencies={k: (d.urn for d in v) for k, v in r.property_dependencies.items()},
                       additional_secret_outputs=r.opts.additional_secret_outputs)


def _validate_resource(rule: Rule) -> ResourceValidation:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if not rule.applies_to(args.resource_type):
            return
        raw = args.get_config()
        _deliver(rule, rule.check(_resource_from_args(args), with_defaults(rule, raw)), report_violation,
                 _raise_unknown, args.not_applicable, args.urn, _waivers_of(rule, raw))
    return validate


def _validate_stack(rule: Rule) -> StackValidation:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        stack = Stack(tuple(_stack_resource(r) for r in args.resources))
        raw = args.get_config()
        _deliver(rule, rule.check(stack, with_defaults(rule, raw)), report_violation,
                 _raise_unknown, args.not_applicable, "", _waivers_of(rule, raw), by_urn=True)
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
            validate=_validate_resource(rule),
            # pulumi-policy annotates remediate as returning an Awaitable; its servicer also takes
            # the plain mapping its docs show, which is what this returns.
            remediate=_remediate(rule) if rule.remediate else None,  # type: ignore[arg-type]
            **common,
        )
    return StackValidationPolicy(validate=_validate_stack(rule), **common)


def build_policies() -> List[Policy]:
    return [to_policy(r) for r in RULES]


def install_servicer() -> None:
    """Put the routing servicer where PolicyPack takes its servicer from (a module
    global), when routing supports the installed pulumi-policy; otherwise leave the
    stock one. Everything else (argument checks, server, port handshake) stays
    pulumi-policy's own."""
    from . import routing

    if routing.supported():
        # pulumi-policy exposes no hook for its servicer: replace its private module global.
        _sdk._PolicyAnalyzerServicer = routing.servicer_class()  # type: ignore[misc]


def serve() -> None:
    """Start the pack's gRPC server as the engine expects; never returns."""
    install_servicer()
    PolicyPack(
        name=PACK_NAME,
        policies=build_policies(),
        enforcement_level=EnforcementLevel.ADVISORY,
        description=PACK_DESCRIPTION,
        display_name="keyguard",
        provider="aws",
        tags=["secrets", "kms", "iam", "api-keys"],
    )
