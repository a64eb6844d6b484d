"""The routing servicer: how keyguard answers the engine's Analyze, AnalyzeStack and Remediate.

pulumi-policy's own servicer cannot judge as keyguard does: it has no stack phase for
resource rules (the principal model's verdicts), it fails the whole call on a NaN or an
infinity in a request, and it decodes a request's properties once per registered policy,
even for policies that do not apply to the resource's type. This servicer routes by type
first, decodes each request once (records.py), runs resource rules' stack phase in
AnalyzeStack, and answers hostile values as invalid numbers; the SDK still does
everything else (Handshake, GetAnalyzerInfo, Configure, the remediation write-back).

It subclasses pulumi-policy's private `_PolicyAnalyzerServicer` and reads its private
methods and name-mangled state, so `supported()` says whether the installed
pulumi-policy is the pinned version with every one of those attributes; serving.py
refuses to start the pack otherwise.
"""
from __future__ import annotations

import importlib.metadata
from typing import Any, Callable, Dict, FrozenSet, Iterable, List, Optional, Tuple, Union

from pulumi.runtime import proto
from pulumi_policy import EnforcementLevel
from pulumi_policy import policy as _sdk

from . import levels
from .config import with_defaults
from .delivery import deliver, preview_message, waivers_of
from .gcpause import paused_gc
from .model import SDK_SAFE_DEPTH, Outcome, Resource, Stack, from_struct, nesting_depth, non_finite
from .records import resource, wire_props
from .registry import BY_NAME
from .rules.base import Rule

# The pulumi-policy release the servicer was written against; requirements.txt and
# pyproject.toml pin the same one (a test checks that they agree).
PINNED_PULUMI_POLICY = "1.21.0"

# Every attribute of the stock servicer that the routing one calls or reads: its
# methods, and instance state that its __init__ sets under name-mangled names.
SDK_METHODS = ("_get_enforcement_level", "_create_report_violation", "_get_policy_config",
               "_configure_runtime_settings", "_map_enforcement_level", "Configure")
SDK_STATE = ("_PolicyAnalyzerServicer__policies", "_PolicyAnalyzerServicer__policy_pack_name",
             "_PolicyAnalyzerServicer__policy_pack_version")


def installed_version() -> Optional[str]:
    try:
        return importlib.metadata.version("pulumi-policy")
    except importlib.metadata.PackageNotFoundError:
        return None


def _defines(base: Any, name: str) -> bool:
    """Whether pulumi-policy's servicer implements `name` itself: the generated gRPC base
    class has every RPC too, but only as "not implemented"."""
    generated = set(proto.AnalyzerServicer.__mro__)
    return any(name in vars(k) for k in base.__mro__ if k not in generated)


def _has_internals(base: Any) -> bool:
    """Whether `base` has every method routing calls and an instance of it, built as
    PolicyPack builds one, every attribute routing reads: instance state exists only
    after __init__, so an instance is checked."""
    if not all(_defines(base, name) for name in SDK_METHODS):
        return False
    try:
        probe = base("keyguard-probe", "0.0.1", [None], EnforcementLevel.ADVISORY)
    except Exception:  # noqa: BLE001 - a constructor we do not know is a servicer we do not route
        return False
    return all(hasattr(probe, name) for name in SDK_STATE)


def unsupported_reason() -> Optional[str]:
    """Why this servicer cannot run on the installed pulumi-policy, or None when it can."""
    version = installed_version()
    if version != PINNED_PULUMI_POLICY:
        return (f"keyguard needs pulumi-policy {PINNED_PULUMI_POLICY}, found {version or 'none'}: "
                f"install the pack's requirements.txt")
    base = getattr(_sdk, "_PolicyAnalyzerServicer", None)
    if base is None or not _has_internals(base):
        return (f"the installed pulumi-policy {version} lacks the servicer internals keyguard "
                f"{PINNED_PULUMI_POLICY} relies on: reinstall the pack's requirements.txt")
    return None


def supported() -> bool:
    return unsupported_reason() is None


def _decode(r: Any, stack_urns: Optional[FrozenSet[str]] = None) -> Resource:
    """One request resource as the model sees it. For AnalyzeStack (`stack_urns` given),
    links to URNs outside the request are dropped, as pulumi-policy drops them when it
    resolves them to resource objects; otherwise the two servicers would disagree."""
    links: Dict[str, Any] = {"parent": r.options.parent}
    if stack_urns is not None:
        links = dict(
            parent=r.parent if r.parent in stack_urns else None,
            dependencies=(u for u in r.dependencies if u in stack_urns),
            property_dependencies={k: (u for u in v.urns if u in stack_urns)
                                   for k, v in r.propertyDependencies.items()},
        )
    return resource(r.type, r.urn, wire_props(r.properties), name=r.name,
                    additional_secret_outputs=r.options.additionalSecretOutputs, **links)


def _sdk_decodes(properties: Any) -> bool:
    """Whether pulumi-policy can decode these properties (it asserts on a malformed secret)."""
    from google.protobuf import json_format
    from pulumi_policy.deserialize import deserialize_properties

    try:
        deserialize_properties(json_format.MessageToDict(properties), True)
    except (AssertionError, ValueError, TypeError, KeyError, RecursionError):
        return False
    return True


def servicer_class() -> "type[_sdk._PolicyAnalyzerServicer]":
    base = _sdk._PolicyAnalyzerServicer

    class RoutingServicer(base):  # type: ignore[misc, valid-type]
        def _policies(self) -> Any:
            return self._PolicyAnalyzerServicer__policies  # noqa: SLF001 (see module docstring)

        def _preview_diag(self, policy: Any, path: str) -> Any:
            name, version = self._PolicyAnalyzerServicer__policy_pack_name, self._PolicyAnalyzerServicer__policy_pack_version
            return proto.AnalyzeDiagnostic(
                policyName=policy.name, policyPackName=name, policyPackVersion=version,
                message=preview_message(policy.name, name, version, path),
                urn="", description=policy.description,
                enforcementLevel=self._map_enforcement_level(EnforcementLevel.ADVISORY),
            )

        _prepared: Optional[Dict[str, Tuple[Dict[str, Any], List[Any]]]] = None

        def _settings_of(self, rule: Rule) -> Tuple[Dict[str, Any], List[Any]]:
            # A policy's config and waivers change only with Configure, so they are
            # filled in and parsed once, not on every Analyze.
            if self._prepared is None:
                self._prepared = {}
            if rule.name not in self._prepared:
                raw = self._get_policy_config(rule.name)
                self._prepared[rule.name] = (with_defaults(rule, raw), waivers_of(rule, raw))
            return self._prepared[rule.name]

        # The stack's config from ConfigureStack, judged as a pseudo-resource at AnalyzeStack;
        # None when no ConfigureStack came (policy analyze), and the config rule is then not applicable.
        _stack_config: Optional[Resource] = None

        def ConfigureStack(self, request: Any, context: Any) -> Any:
            from .inputs.stackconfig import from_configure_stack

            # An empty config is no config: nothing to judge, as in policy analyze.
            self._stack_config = from_configure_stack(request) if request.config else None
            return super().ConfigureStack(request, context)

        def Configure(self, request: Any, context: Any) -> Any:
            response = super().Configure(request, context)
            self._prepared = None
            # The engine's last call before the resources: load first-use tables off the request path.
            from . import warmup

            warmup.start()
            return response

        _routes: Optional[Dict[Tuple[str, str], List[Tuple[Any, Rule, Callable[..., Iterable[Outcome]]]]]] = None

        def _route(self, kind: str, rtype: str) -> List[Tuple[Any, Rule, Callable[..., Iterable[Outcome]]]]:
            """The policies that judge a request of `kind` (and, for Analyze, of resource type
            `rtype`), with the check each runs. The pack's policies and rules are fixed for the
            life of the process, so each list is built once: a request for a type no rule
            declares costs a dictionary look-up, however many rules the pack has."""
            if self._routes is None:
                self._routes = {}
            key = (kind, rtype if kind == "resource" else "")
            route = self._routes.get(key)
            if route is None:
                route = []
                for policy in self._policies():
                    rule = BY_NAME.get(policy.name)
                    if rule is None:
                        continue
                    if kind == "resource" and (rule.kind != "resource" or not rule.applies_to(rtype)):
                        continue
                    # AnalyzeStack runs stack rules and the stack phase of resource rules (Rule.stack_check).
                    check = rule.check if kind == "resource" else rule.stack_phase
                    if check is not None:
                        route.append((policy, rule, check))
                self._routes[key] = route
            return route

        def _run(self, request: Any, response: Any, kind: str,
                 subject_factory: Callable[[], Union[Resource, Stack]]) -> Any:
            subject = None
            for policy, rule, check in self._route(kind, request.type if kind == "resource" else ""):
                level = self._get_enforcement_level(policy)
                if level == EnforcementLevel.DISABLED:
                    continue
                level = EnforcementLevel(levels.counted(level.value))
                if subject is None:
                    subject = subject_factory()
                report = self._create_report_violation(response, policy.name, policy.description, level,
                                                       policy.severity)
                config, waivers = self._settings_of(rule)

                def on_unknown(path: str, policy: Any = policy) -> None:
                    response.diagnostics.append(self._preview_diag(policy, path))

                own_phase = rule.kind == kind

                def on_na(reason: Optional[str], policy: Any = policy, own_phase: bool = own_phase) -> None:
                    if own_phase:  # a stack phase never makes a resource policy not applicable
                        response.not_applicable.append(proto.PolicyNotApplicable(policy_name=policy.name,
                                                                                 reason=reason or ""))
                deliver(rule, check(subject, config), report, on_unknown, on_na,
                         request.urn if kind == "resource" else "", waivers, by_urn=kind == "stack")
            return response

        _settings_applied = False

        def _settings_once(self) -> None:
            # The engine fixes this process's environment (PULUMI_CONFIG, project, stack)
            # when it starts it; pulumi-policy re-applies it on every request, which costs
            # about 40 us, more than routing and checking a resource. Once is enough.
            if not self._settings_applied:
                self._configure_runtime_settings()
                self._settings_applied = True

        def Remediate(self, request: Any, context: Any) -> Any:
            # pulumi-policy decodes the properties before it asks which policy remediates, and
            # cannot decode a NaN, an infinity or a deep nesting: answer without it when no policy
            # remediates, or when the properties could not be written back anyway.
            remediating = [p for p in self._policies() if self._get_enforcement_level(p) == EnforcementLevel.REMEDIATE]
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

        def Analyze(self, request: Any, _context: Any) -> Any:
            self._settings_once()
            return self._run(request, proto.AnalyzeResponse(), "resource", lambda: _decode(request))

        def AnalyzeStack(self, request: Any, _context: Any) -> Any:
            self._settings_once()

            def stack() -> Stack:
                urns = frozenset(r.urn for r in request.resources)
                extra = (self._stack_config,) if self._stack_config is not None else ()
                return Stack((*(_decode(r, urns) for r in request.resources), *extra))
            with paused_gc():  # see gcpause: collections would grow with the square of the stack
                return self._run(request, proto.AnalyzeResponse(), "stack", stack)

    return RoutingServicer
