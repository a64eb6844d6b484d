"""The CrossGuard adapter: the registry's rules as a pulumi-policy PolicyPack.

Each rule becomes one ResourceValidationPolicy or StackValidationPolicy that
carries all its metadata, so `pulumi policy publish` and GetAnalyzerInfo show
names, levels, severity, framework, control tags, remediation, URL and config
schema exactly as the registry has them.

Speed: pulumi-policy decodes a request's properties once per registered policy,
even for policies that do not apply to the resource's type. The servicer below
routes by type first and decodes each request at most once; it relies on
pulumi-policy's servicer internals, so it is used only when they are the ones it
was written against (KEYGUARD_ROUTING=0 turns it off). Both paths run the same
rules through `_deliver`, and the engine-protocol tests run both.
"""
from __future__ import annotations

import os
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional

from pulumi.runtime import proto
from pulumi_policy import (
    EnforcementLevel,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    PolicyPack,
    ResourceValidationPolicy,
    Severity,
    StackValidationPolicy,
)
from pulumi_policy import policy as _sdk
from pulumi_policy.deserialize import serialize_properties
from pulumi_policy.proxy import UnknownValueError

from . import waivers as _waivers
from .config import ConfigError, config_waivers, schema_for, with_defaults
from .frameworks import FRAMEWORKS
from .model import (SDK_SAFE_DEPTH, UNKNOWN_STRING_SENTINEL, Outcome, Resource, Stack, Status, from_engine,
                    from_struct, nesting_depth, non_finite)
from .registry import BY_NAME, PACK_NAME, RULES
from .rules.base import Rule

PACK_DESCRIPTION = ("Guardrails for the API keys and secrets AI deployments run on: customer-managed KMS "
                    "encryption, bounded rotation, least-privilege IAM, and no secret material in outputs.")


def _plain(props: Any) -> Dict[str, Any]:
    """pulumi-policy's proxies (unknown-checking or secret-preserving) as plain model data."""
    return from_engine(serialize_properties(props))


def _waivers_of(rule: Rule, config: Optional[Mapping[str, Any]]) -> List["_waivers.Waiver"]:
    """The policy's `waivers` config. The engine validated only its shape (an array);
    an entry we cannot use waives nothing rather than stopping the whole pack."""
    try:
        return config_waivers(rule, config)
    except ConfigError:
        return []


def _deliver(rule: Rule, outcomes: Iterable[Outcome], report: Callable[..., None],
             on_unknown: Callable[[str], None], on_not_applicable: Callable[[str], None],
             subject_urn: str = "", waivers: Iterable["_waivers.Waiver"] = ()) -> None:
    """Hand a rule's outcomes to the engine: failures as violations at the policy's level
    (unless a live waiver covers them; an expired one is named in the message);
    undecidable values as the SDK's advisory "can't run during preview"; and not-applicable
    only when nothing else was said."""
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
                    message = f"{message} [waiver expired on {w.expires.isoformat()}, approved by {w.approver}]"
            if rule.kind == "stack":
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
    return Resource(
        type=args.resource_type,
        name=args.name,
        urn=args.urn,
        props=_plain(args.props),
        additional_secret_outputs=tuple(args.opts.additional_secret_outputs or ()),
        parent=args.opts.parent,
    )


def _validate_resource(rule: Rule):
    def validate(args, report_violation):
        if not rule.applies_to(args.resource_type):
            return
        raw = args.get_config()
        _deliver(rule, rule.check(_resource_from_args(args), with_defaults(rule, raw)), report_violation,
                 _raise_unknown, args.not_applicable, args.urn, _waivers_of(rule, raw))
    return validate


def _validate_stack(rule: Rule):
    def validate(args, report_violation):
        resources = [
            Resource(
                type=r.resource_type, name=r.name, urn=r.urn, props=_plain(r.props),
                parent=r.parent.urn if r.parent else None,
                dependencies=tuple(d.urn for d in r.dependencies),
                property_dependencies={k: tuple(d.urn for d in v) for k, v in r.property_dependencies.items()},
                additional_secret_outputs=tuple(r.opts.additional_secret_outputs or ()),
            )
            for r in args.resources
        ]
        raw = args.get_config()
        _deliver(rule, rule.check(Stack(tuple(resources)), with_defaults(rule, raw)), report_violation,
                 _raise_unknown, args.not_applicable, "", _waivers_of(rule, raw))
    return validate


def _remediate(rule: Rule):
    def remediate(args):
        if not rule.applies_to(args.resource_type):
            return None
        changes = rule.remediate(_plain(args.props), with_defaults(rule, args.get_config()))
        if not changes:
            return None
        # Writing through the SDK's secret-preserving proxy keeps a secret value secret,
        # and the properties we leave alone (unknowns included) go back untouched.
        props = args.props
        for key, value in changes.items():
            props[key] = value
        return props
    return remediate


def to_policy(rule: Rule):
    fw = FRAMEWORKS[rule.framework] if rule.framework else None
    common = dict(
        name=rule.name,
        description=rule.description,
        enforcement_level=EnforcementLevel(rule.enforcement),
        # Every policy also takes `waivers`, added here so rules keep their own schemas.
        config_schema=PolicyConfigSchema(properties=schema_for(rule)),
        display_name=rule.title,
        severity=Severity(rule.severity),
        framework=PolicyComplianceFramework(
            name=fw["name"], version=fw["version"], reference=fw["reference"],
            specification=", ".join(rule.framework_controls(rule.framework)),
        ) if fw else None,
        tags=rule.tags,
        remediation_steps=rule.remediation,
        url=rule.url,
    )
    if rule.kind == "resource":
        return ResourceValidationPolicy(
            validate=_validate_resource(rule),
            remediate=_remediate(rule) if rule.remediate else None,
            **common,
        )
    return StackValidationPolicy(validate=_validate_stack(rule), **common)


def build_policies() -> list:
    return [to_policy(r) for r in RULES]


# ---------------------------------------------------------------------------
# The routing servicer: same answers as pulumi-policy's, less work per request.

_SDK_PARTS = ("_get_enforcement_level", "_create_report_violation", "_get_policy_config",
              "_configure_runtime_settings", "_map_enforcement_level")


def routing_supported() -> bool:
    base = getattr(_sdk, "_PolicyAnalyzerServicer", None)
    return base is not None and all(hasattr(base, p) for p in _SDK_PARTS) and \
        os.environ.get("KEYGUARD_ROUTING", "1") != "0"


def _decode(r: Any, stack_urns: Optional[frozenset] = None) -> Resource:
    """One request resource as the model sees it. For AnalyzeStack (`stack_urns` given),
    links to URNs outside the request are dropped, as pulumi-policy drops them when it
    resolves them to resource objects; otherwise the two servicers would disagree."""
    props = from_struct(r.properties)
    opts = r.options
    kwargs: Dict[str, Any] = {}
    if stack_urns is not None:
        kwargs = dict(
            parent=r.parent if r.parent in stack_urns else None,
            dependencies=tuple(u for u in r.dependencies if u in stack_urns),
            property_dependencies={k: tuple(u for u in v.urns if u in stack_urns)
                                   for k, v in r.propertyDependencies.items()},
        )
    else:
        kwargs = dict(parent=opts.parent or None)
    return Resource(type=r.type, name=r.name, urn=r.urn, props=props,
                    additional_secret_outputs=tuple(opts.additionalSecretOutputs), **kwargs)


def _sdk_decodes(properties: Any) -> bool:
    """Whether pulumi-policy can decode these properties (it asserts on a malformed secret)."""
    from google.protobuf import json_format
    from pulumi_policy.deserialize import deserialize_properties

    try:
        deserialize_properties(json_format.MessageToDict(properties), True)
    except (AssertionError, ValueError, TypeError, KeyError, RecursionError):
        return False
    return True


def _make_routing_servicer():
    base = _sdk._PolicyAnalyzerServicer

    class RoutingServicer(base):  # type: ignore[misc, valid-type]
        def _policies(self):
            return self._PolicyAnalyzerServicer__policies  # noqa: SLF001 (see module docstring)

        def _preview_diag(self, policy, path: str):
            name, version = self._PolicyAnalyzerServicer__policy_pack_name, self._PolicyAnalyzerServicer__policy_pack_version
            msg = UnknownValueError(UNKNOWN_STRING_SENTINEL, path.split(".")).message
            return proto.AnalyzeDiagnostic(
                policyName=policy.name, policyPackName=name, policyPackVersion=version,
                message=f"can't run policy '{policy.name}' from policy pack '{name}@v{version}' during preview: {msg}",
                urn="", description=policy.description,
                enforcementLevel=self._map_enforcement_level(EnforcementLevel.ADVISORY),
            )

        _prepared: Optional[Dict[str, Any]] = None

        def _settings_of(self, rule: Rule):
            # A policy's config and waivers change only with Configure, so they are
            # filled in and parsed once, not on every Analyze.
            if self._prepared is None:
                self._prepared = {}
            if rule.name not in self._prepared:
                raw = self._get_policy_config(rule.name)
                self._prepared[rule.name] = (with_defaults(rule, raw), _waivers_of(rule, raw))
            return self._prepared[rule.name]

        def Configure(self, request, context):
            response = super().Configure(request, context)
            self._prepared = None
            return response

        def _run(self, request, response, kind: str, subject_factory):
            subject = None
            for policy in self._policies():
                rule = BY_NAME.get(policy.name)
                level = self._get_enforcement_level(policy)
                if level == EnforcementLevel.DISABLED or rule is None or rule.kind != kind:
                    continue
                if kind == "resource" and not rule.applies_to(request.type):
                    continue
                if level == EnforcementLevel.REMEDIATE:
                    level = EnforcementLevel.MANDATORY
                if subject is None:
                    subject = subject_factory()
                report = self._create_report_violation(response, policy.name, policy.description, level,
                                                       policy.severity)
                config, waivers = self._settings_of(rule)

                def on_unknown(path, policy=policy):
                    response.diagnostics.append(self._preview_diag(policy, path))

                def on_na(reason, policy=policy):
                    response.not_applicable.append(proto.PolicyNotApplicable(policy_name=policy.name,
                                                                             reason=reason or ""))
                _deliver(rule, rule.check(subject, config), report, on_unknown, on_na,
                         request.urn if kind == "resource" else "", waivers)
            return response

        _settings_applied = False

        def _settings_once(self) -> None:
            # The engine fixes this process's environment (PULUMI_CONFIG, project, stack)
            # when it starts it; pulumi-policy re-applies it on every request, which costs
            # about 40 us, more than routing and checking a resource. Once is enough.
            if not self._settings_applied:
                self._configure_runtime_settings()
                self._settings_applied = True

        def Remediate(self, request, context):
            # pulumi-policy decodes the properties before it asks which policy remediates, and
            # cannot decode a NaN, an infinity or a deep nesting: answer without it when no policy
            # remediates, or when the properties could not be written back anyway.
            levels = [(p, self._get_enforcement_level(p)) for p in self._policies()]
            remediating = [p for p, level in levels if level == EnforcementLevel.REMEDIATE]
            if not remediating:
                self._settings_once()
                return proto.RemediateResponse()
            props = from_struct(request.properties)
            if non_finite(props) or nesting_depth(props) > SDK_SAFE_DEPTH or not _sdk_decodes(request.properties):
                self._settings_once()
                return proto.RemediateResponse(not_applicable=[proto.PolicyNotApplicable(
                    policy_name=p.name, reason="the properties hold a NaN, an infinity, a nesting too deep or a "
                                               "malformed special object, which cannot be written back; Analyze "
                                               "judges them") for p in remediating])
            return super().Remediate(request, context)

        def Analyze(self, request, _context):
            self._settings_once()
            return self._run(request, proto.AnalyzeResponse(), "resource", lambda: _decode(request))

        def AnalyzeStack(self, request, _context):
            self._settings_once()

            def stack() -> Stack:
                urns = frozenset(r.urn for r in request.resources)
                return Stack(tuple(_decode(r, urns) for r in request.resources))
            return self._run(request, proto.AnalyzeResponse(), "stack", stack)

    return RoutingServicer


def serve() -> None:
    """Start the pack's gRPC server as the engine expects; never returns."""
    if routing_supported():
        # PolicyPack builds its servicer from this module global; everything else
        # (argument checks, server, port handshake) stays pulumi-policy's own.
        _sdk._PolicyAnalyzerServicer = _make_routing_servicer()
    PolicyPack(
        name=PACK_NAME,
        policies=build_policies(),
        enforcement_level=EnforcementLevel.ADVISORY,
        description=PACK_DESCRIPTION,
        display_name="keyguard",
        provider="aws",
        tags=["secrets", "kms", "iam", "api-keys"],
    )
