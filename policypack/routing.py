"""The routing servicer: pulumi-policy's servicer with the same answers, less work per request.

pulumi-policy decodes a request's properties once per registered policy, even for
policies that do not apply to the resource's type, and re-applies the engine's
environment on every request. This servicer routes by type first, decodes each
request at most once and applies the environment once.

It subclasses pulumi-policy's private `_PolicyAnalyzerServicer` and reads its
private methods and name-mangled state, so `supported()` turns it on only when the
installed pulumi-policy is the pinned version and every one of those attributes is
there; otherwise, or with KEYGUARD_ROUTING=0, the pack runs on the stock servicer.
"""
from __future__ import annotations

import importlib.metadata
import os
from typing import Any, Callable, Dict, FrozenSet, Iterable, List, Optional, Tuple, Union

from pulumi.runtime import proto
from pulumi_policy import EnforcementLevel
from pulumi_policy import policy as _sdk
from pulumi_policy.proxy import UnknownValueError

from .config import with_defaults
from .crossguard import _deliver, _waivers_of, to_resource, wire_props
from .gcpause import paused_gc
from .model import (SDK_SAFE_DEPTH, UNKNOWN_STRING_SENTINEL, Outcome, Resource, Stack, counted_level, from_struct,
                    nesting_depth, non_finite)
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


def supported() -> bool:
    if os.environ.get("KEYGUARD_ROUTING", "1") == "0":
        return False
    if installed_version() != PINNED_PULUMI_POLICY:
        return False
    base = getattr(_sdk, "_PolicyAnalyzerServicer", None)
    return base is not None and _has_internals(base)


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
    return to_resource(r.type, r.name, r.urn, wire_props(r.properties),
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
            msg = UnknownValueError(UNKNOWN_STRING_SENTINEL, path.split(".")).message
            return proto.AnalyzeDiagnostic(
                policyName=policy.name, policyPackName=name, policyPackVersion=version,
                message=f"can't run policy '{policy.name}' from policy pack '{name}@v{version}' during preview: {msg}",
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
                self._prepared[rule.name] = (with_defaults(rule, raw), _waivers_of(rule, raw))
            return self._prepared[rule.name]

        # Per resource type (or "" for AnalyzeStack): the policies that judge it, each with its
        # rule and level. Levels change only with Configure, so the walk over every policy of
        # the pack happens once per type, not on every Analyze: a request costs only the rules
        # that declare its type, however many rules (and clouds) the pack holds.
        _routes: Dict[str, List[Tuple[Any, Rule, EnforcementLevel]]] = {}

        def Configure(self, request: Any, context: Any) -> Any:
            response = super().Configure(request, context)
            self._prepared = None
            self._routes = {}
            # The engine's last call before the resources: load first-use tables off the request path.
            from . import warmup

            warmup.start()
            return response

        def _route(self, kind: str, rtype: str) -> List[Tuple[Any, Rule, EnforcementLevel]]:
            key = rtype if kind == "resource" else ""
            route = self._routes.get(key)
            if route is None:
                route = []
                for policy in self._policies():
                    rule = BY_NAME.get(policy.name)
                    level = self._get_enforcement_level(policy)
                    if level == EnforcementLevel.DISABLED or rule is None:
                        continue
                    if kind == "resource" and (rule.kind != "resource" or not rule.applies_to(rtype)):
                        continue
                    if kind != "resource" and rule.stack_phase is None:
                        continue
                    route.append((policy, rule, EnforcementLevel(counted_level(level.value))))
                routes = dict(self._routes)  # copy-on-write: concurrent callers read the old map
                routes[key] = route
                self._routes = routes
            return route

        def _run(self, request: Any, response: Any, kind: str,
                 subject_factory: Callable[[], Union[Resource, Stack]]) -> Any:
            # AnalyzeStack runs stack rules and the stack phase of resource rules (Rule.stack_check);
            # the stock servicer knows no such phase, so only this servicer reports it.
            subject = None
            for policy, rule, level in self._route(kind, request.type if kind == "resource" else ""):
                check: Optional[Callable[..., Iterable[Outcome]]] = (
                    rule.check if kind == "resource" else rule.stack_phase)
                if check is None:
                    continue
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
                _deliver(rule, check(subject, config), report, on_unknown, on_na,
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
                return Stack(tuple(_decode(r, urns) for r in request.resources))
            with paused_gc():  # see gcpause: collections would grow with the square of the stack
                return self._run(request, proto.AnalyzeResponse(), "stack", stack)

    return RoutingServicer
