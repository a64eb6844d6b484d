"""secretsmanager-secret-recovery-window: deleted secrets stay recoverable."""
from __future__ import annotations

from typing import Any, Dict, Iterable, Mapping, Optional

from ..examples import Example, R
from ..model import UNKNOWN, is_number, Outcome, Resource
from ..tokens.aws import SECRET
from ..retention import window_check
from .base import Rule


def check_recovery_window(res: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
    yield from window_check(res, "recoveryWindowInDays", config["minDays"], "secret",
                             zero_means="which deletes the secret at once with no way back")


def remediate_recovery_window(props: Mapping[str, Any], config: Mapping[str, Any]) -> Optional[Dict[str, Any]]:
    days = props.get("recoveryWindowInDays")
    if is_number(days) and days < config["minDays"]:
        # The longest window AWS allows: a deleted secret stays restorable for a month.
        return {"recoveryWindowInDays": 30}
    return None


RULE = Rule(
    name="secretsmanager-secret-recovery-window",
    title="Deleted secrets stay recoverable",
    description="A secret's recoveryWindowInDays must be at least minDays (7). 0 forces deletion without "
                "recovery and fails. Unset means AWS's default of 30 days and passes.",
    severity="high",
    enforcement="mandatory",
    kind="resource",
    check=check_recovery_window,
    remediate=remediate_recovery_window,
    resource_types=frozenset({SECRET}),
    remediation="Set recovery_window_in_days on the aws.secretsmanager.Secret to between minDays and 30, or leave "
                "it unset (30 days). Never 0: a force-deleted secret cannot be restored.",
    url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/manage_delete-secret.html",
    controls={"nist-800-53-r5": ["IA-5", "CP-10"]},
    config_schema={
        "minDays": {"type": "integer", "default": 7, "minimum": 7, "maximum": 30,
                    "description": "The shortest recovery window allowed, in days (AWS allows 7 to 30, or 0)."},
    },
    examples=(
        Example("unset is AWS's 30 days", [R(SECRET, "s", {"name": "api-key"})], {"s": "pass"}),
        Example("7 days", [R(SECRET, "s", {"recoveryWindowInDays": 7})], {"s": "pass"}),
        Example("0 forces deletion", [R(SECRET, "s", {"recoveryWindowInDays": 0})], {"s": "fail:recoveryWindowInDays"},
            controls=("nist-800-53-r5:IA-5", "nist-800-53-r5:CP-10")),
        Example("7 days under a stricter minDays", [R(SECRET, "s", {"recoveryWindowInDays": 7})], {"s": "fail:recoveryWindowInDays"},
                config={"minDays": 14}),
        Example("unknown during preview", [R(SECRET, "s", {"recoveryWindowInDays": UNKNOWN})], {"s": "unknown"}),
        Example("0, 6, 7 and 30 days, and unset",
                [R(SECRET, "z", {"recoveryWindowInDays": 0}), R(SECRET, "six", {"recoveryWindowInDays": 6}),
                 R(SECRET, "seven", {"recoveryWindowInDays": 7}), R(SECRET, "month", {"recoveryWindowInDays": 30}),
                 R(SECRET, "unset", {})],
                {"z": "fail:recoveryWindowInDays", "six": "fail:recoveryWindowInDays", "seven": "pass",
                 "month": "pass", "unset": "pass"}),
    ),
)
