"""apigateway-api-key-usage-plan: aPI keys are throttled and metered by a usage plan."""
from __future__ import annotations

from typing import Any, Iterable, List, Mapping

from ..examples import API_KEY_ID, USAGE_PLAN_ID, Example, R
from ..links import identifiers
from ..model import UNKNOWN, Outcome, Resource, Stack, failed, not_applicable, passed, unknown
from ..tokens.aws import API_KEY, USAGE_PLAN, USAGE_PLAN_KEY
from .base import Rule


def _has_limits(plan: Resource) -> Any:
    """Whether a usage plan sets both throttling and a quota: True, False or UNKNOWN."""
    throttle, quota = plan.props.get("throttleSettings"), plan.props.get("quotaSettings")
    if throttle is UNKNOWN or quota is UNKNOWN:
        return UNKNOWN

    def set_(v: Any) -> bool:
        return isinstance(v, Mapping) and any(x not in (None, 0) for x in v.values()) or \
            isinstance(v, list) and bool(v) and set_(v[0])
    return set_(throttle) and set_(quota)


def check_key_usage_plan(stack: Stack, config: Mapping[str, Any]) -> Iterable[Outcome]:
    index = stack.index
    # An attachment whose keyId is unknown and computed from nothing might attach any key.
    blind = any(att.props.get("keyId") is UNKNOWN and not att.depends_on("keyId")
                for att in index.of_type(USAGE_PLAN_KEY))
    for key in stack.of_type(API_KEY):
        enabled = key.props.get("enabled", True)
        if enabled is False:
            yield not_applicable(f"api key {key.name} is disabled", urn=key.urn)
            continue
        verdicts: List[Any] = [UNKNOWN] if blind else []
        attachments = index.referrers(key, "keyId", USAGE_PLAN_KEY, identifiers(key))
        for att in attachments:
            found, plan_undecided = index.linked(att, "usagePlanId", USAGE_PLAN, identifiers)
            if plan_undecided:
                verdicts.append(UNKNOWN)
            verdicts.extend(_has_limits(p) for p in found)
        if enabled is UNKNOWN and True not in verdicts:
            verdicts.append(UNKNOWN)
        if True in verdicts:
            yield passed(urn=key.urn)
        elif UNKNOWN in verdicts:
            yield unknown(f"api key {key.name}: a usage plan attachment or its limits are not known during "
                          "preview", urn=key.urn)
        elif attachments:
            yield failed(f"api key {key.name} is in a usage plan without both throttleSettings and "
                         "quotaSettings", urn=key.urn)
        else:
            yield failed(f"api key {key.name} is enabled but no aws.apigateway.UsagePlanKey attaches it to a "
                         "usage plan", urn=key.urn)


_LIMITED = {"throttleSettings": {"burstLimit": 20, "rateLimit": 10},
            "quotaSettings": {"limit": 10000, "period": "MONTH"}}


RULE = Rule(
    name="apigateway-api-key-usage-plan",
    title="API keys are throttled and metered by a usage plan",
    description="An enabled aws.apigateway.ApiKey must be attached through an aws.apigateway.UsagePlanKey to an "
                "aws.apigateway.UsagePlan that sets both throttleSettings and quotaSettings, so a leaked key "
                "has a bounded rate and volume.",
    severity="medium",
    enforcement="advisory",
    kind="stack",
    check=check_key_usage_plan,
    resource_types=frozenset({API_KEY, USAGE_PLAN, USAGE_PLAN_KEY}),
    remediation="Create an aws.apigateway.UsagePlan with throttle_settings and quota_settings and attach the key "
                "with aws.apigateway.UsagePlanKey(key_id=key.id, key_type=\"API_KEY\", usage_plan_id=plan.id, "
                "opts=pulumi.ResourceOptions(additional_secret_outputs=[\"value\"])).",
    url="https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html",
    controls={"nist-800-53-r5": ["SC-5", "AC-3"]},
    examples=(
        Example("attached to a limited plan (export)",
                [R(API_KEY, "key", {"enabled": True}, id=API_KEY_ID), R(USAGE_PLAN, "plan", _LIMITED, id=USAGE_PLAN_ID),
                 R(USAGE_PLAN_KEY, "att", {"keyId": API_KEY_ID, "usagePlanId": USAGE_PLAN_ID, "keyType": "API_KEY"})],
                {"key": "pass"}),
        Example("attached by property dependencies (preview)",
                [R(API_KEY, "key", {}), R(USAGE_PLAN, "plan", _LIMITED),
                 R(USAGE_PLAN_KEY, "att", {"keyId": UNKNOWN, "usagePlanId": UNKNOWN},
                   property_dependencies={"keyId": [f"{API_KEY}::key"], "usagePlanId": [f"{USAGE_PLAN}::plan"]})],
                {"key": "pass"}),
        Example("in no usage plan",
                [R(API_KEY, "key", {}, id=API_KEY_ID), R(USAGE_PLAN, "plan", _LIMITED, id=USAGE_PLAN_ID)],
                {"key": "fail"},
                controls=("nist-800-53-r5:SC-5", "nist-800-53-r5:AC-3")),
        Example("plan without a quota",
                [R(API_KEY, "key", {}, id=API_KEY_ID),
                 R(USAGE_PLAN, "plan", {"throttleSettings": _LIMITED["throttleSettings"]}, id=USAGE_PLAN_ID),
                 R(USAGE_PLAN_KEY, "att", {"keyId": API_KEY_ID, "usagePlanId": USAGE_PLAN_ID})],
                {"key": "fail"}),
        Example("plan without throttling",
                [R(API_KEY, "key", {}, id=API_KEY_ID),
                 R(USAGE_PLAN, "plan", {"quotaSettings": _LIMITED["quotaSettings"]}, id=USAGE_PLAN_ID),
                 R(USAGE_PLAN_KEY, "att", {"keyId": API_KEY_ID, "usagePlanId": USAGE_PLAN_ID})],
                {"key": "fail"}),
        Example("disabled key", [R(API_KEY, "key", {"enabled": False})], {"key": "not_applicable"}),
        Example("attachment unknown without dependency",
                [R(API_KEY, "key", {}, id=API_KEY_ID), R(USAGE_PLAN, "plan", _LIMITED, id=USAGE_PLAN_ID),
                 R(USAGE_PLAN_KEY, "att", {"keyId": UNKNOWN, "usagePlanId": UNKNOWN})],
                {"key": "unknown"}),
        Example("attached to another key only (export)",
                [R(API_KEY, "key", {"enabled": True}, id=API_KEY_ID), R(API_KEY, "k2", {}, id="k2"),
                 R(USAGE_PLAN, "plan", _LIMITED, id=USAGE_PLAN_ID),
                 R(USAGE_PLAN_KEY, "att", {"keyId": "k2", "usagePlanId": USAGE_PLAN_ID})],
                {"key": "fail", "k2": "pass"}),
        Example("preview: plan limits unknown",
                [R(API_KEY, "key", {"value": UNKNOWN}),
                 R(USAGE_PLAN, "plan", {"throttleSettings": UNKNOWN, "quotaSettings": UNKNOWN}),
                 R(USAGE_PLAN_KEY, "att", {"keyId": UNKNOWN, "usagePlanId": UNKNOWN},
                   property_dependencies={"keyId": [f"{API_KEY}::key"], "usagePlanId": [f"{USAGE_PLAN}::plan"]})],
                {"key": "unknown"}),
        Example("preview: key missing from the plan",
                [R(API_KEY, "key", {"value": UNKNOWN}), R(API_KEY, "k2", {"value": UNKNOWN}),
                 R(USAGE_PLAN, "plan", _LIMITED, id=USAGE_PLAN_ID),
                 R(USAGE_PLAN_KEY, "att", {"keyId": UNKNOWN, "usagePlanId": UNKNOWN},
                   property_dependencies={"keyId": [f"{API_KEY}::k2"], "usagePlanId": [f"{USAGE_PLAN}::plan"]})],
                {"key": "fail", "k2": "pass"}),
    ),
)
