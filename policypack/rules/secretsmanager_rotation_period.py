"""secretsmanager-rotation-period: secrets rotate at least every maxDays."""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional

from ..examples import Example, R
from ..model import UNKNOWN, Outcome, Resource, failed, is_number, passed, unknown
from ..schedule import INFINITE, ScheduleError, longest_gap_days
from ..tokens.aws import ROTATION
from .base import Rule


def _gap_of(rules: Mapping[str, Any]) -> tuple[Optional[float], str, Optional[str]]:
    """(longest gap in days, property path, problem); gap None with no problem means unknown."""
    after: Any = rules.get("automaticallyAfterDays")
    expr = rules.get("scheduleExpression")
    if after is UNKNOWN or expr is UNKNOWN:
        return None, "rotationRules", None
    if after not in (None, ""):
        if not is_number(after):
            return None, "rotationRules.automaticallyAfterDays", "is not a finite number"
        return float(after), "rotationRules.automaticallyAfterDays", None
    if expr:
        if not isinstance(expr, str):
            return None, "rotationRules.scheduleExpression", "is not a string"
        try:
            return longest_gap_days(expr), "rotationRules.scheduleExpression", None
        except ScheduleError as e:
            return None, "rotationRules.scheduleExpression", f"is not a valid schedule ({e})"
    return None, "rotationRules", "sets neither automaticallyAfterDays nor scheduleExpression"


def check_rotation_period(res: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
    max_days = config["maxDays"]
    rules = res.props.get("rotationRules")
    if rules is UNKNOWN:
        yield unknown("rotationRules is not known during preview", path="rotationRules")
        return
    if not isinstance(rules, Mapping):
        yield failed(f"rotation {res.name} has no rotationRules", path="rotationRules")
        return
    gap, path, problem = _gap_of(rules)
    if problem:
        yield failed(f"rotation {res.name}: {path} {problem}", path=path)
    elif gap is None:
        yield unknown(f"{path} is not known during preview", path=path)
    elif gap == INFINITE:
        yield failed(f"rotation {res.name}: {path} stops rotating (its year field ends)", path=path)
    elif gap > max_days:
        yield failed(f"rotation {res.name}: {path} leaves up to {gap:g} days between rotations, "
                     f"more than maxDays ({max_days})", path=path)
    else:
        yield passed(path=path)


RULE = Rule(
    name="secretsmanager-rotation-period",
    title="Secrets rotate at least every maxDays",
    description="A SecretRotation's schedule must rotate the secret at least every maxDays days "
                "(automaticallyAfterDays, rate() or cron() by its longest gap).",
    severity="medium",
    enforcement="mandatory",
    kind="resource",
    check=check_rotation_period,
    resource_types=frozenset({ROTATION}),
    remediation="Set rotation_rules.automatically_after_days (or a schedule_expression such as "
                "rate(30 days)) to at most maxDays.",
    url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html",
    # AC-2(1) and AC-3(15) are Security Hub's own NIST mapping for SecretsManager.4.
    controls={"aws-fsbp": ["SecretsManager.1", "SecretsManager.4"],
              "nist-800-53-r5": ["IA-5"],
              "pci-dss-v4.0.1": ["8.6.3"],
              "pci-dss-v4.0": ["8.6.3"]},
    config_schema={
        "maxDays": {"type": "integer", "default": 90, "minimum": 1, "maximum": 1000,
                    "description": "The longest time, in days, a secret may go without rotation."},
    },
    examples=(
        Example("30 days", [R(ROTATION, "r", {"rotationRules": {"automaticallyAfterDays": 30}})], {"r": "pass"}),
        Example("365 days", [R(ROTATION, "r", {"rotationRules": {"automaticallyAfterDays": 365}})], {"r": "fail:rotationRules.automaticallyAfterDays"},
            controls=("aws-fsbp:SecretsManager.1", "aws-fsbp:SecretsManager.4", "nist-800-53-r5:IA-5",
                      "pci-dss-v4.0.1:8.6.3", "pci-dss-v4.0:8.6.3")),
        Example("rate in days", [R(ROTATION, "r", {"rotationRules": {"scheduleExpression": "rate(10 days)"}})],
                {"r": "pass"}),
        Example("rate in hours", [R(ROTATION, "r", {"rotationRules": {"scheduleExpression": "rate(4 hours)"}})],
                {"r": "pass"}),
        Example("rate too slow", [R(ROTATION, "r", {"rotationRules": {"scheduleExpression": "rate(120 days)"}})],
                {"r": "fail:rotationRules.scheduleExpression"}),
        Example("cron twice a month",
                [R(ROTATION, "r", {"rotationRules": {"scheduleExpression": "cron(0 16 1,15 * ? *)"}})],
                {"r": "pass"}),
        Example("cron twice a year has a 184-day gap",
                [R(ROTATION, "r", {"rotationRules": {"scheduleExpression": "cron(0 0 1 1,7 ? *)"}})],
                {"r": "fail:rotationRules.scheduleExpression"}),
        Example("stricter maxDays", [R(ROTATION, "r", {"rotationRules": {"automaticallyAfterDays": 30}})],
                {"r": "fail:rotationRules.automaticallyAfterDays"}, config={"maxDays": 14}),
        Example("no rules", [R(ROTATION, "r", {"secretId": "s"})], {"r": "fail:rotationRules"}),
        Example("empty rules", [R(ROTATION, "r", {"rotationRules": {}})], {"r": "fail:rotationRules"}),
        Example("not a schedule", [R(ROTATION, "r", {"rotationRules": {"scheduleExpression": "weekly"}})],
                {"r": "fail:rotationRules.scheduleExpression"}),
        Example("unknown during preview",
                [R(ROTATION, "r", {"rotationRules": {"automaticallyAfterDays": UNKNOWN}})], {"r": "unknown"}),
    ),
)
