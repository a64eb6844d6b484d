"""kms-key-deletion-window: kMS keys keep a long deletion waiting period."""
from __future__ import annotations

from typing import Any, Dict, Iterable, Mapping, Optional

from ..examples import Example, R
from ..model import UNKNOWN, is_number, Outcome, Resource
from ..tokens.aws import KMS_KEY
from ..retention import window_check
from .base import Rule


def check_key_deletion_window(res: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
    yield from window_check(res, "deletionWindowInDays", config["minDays"], "key")


def remediate_key_deletion_window(props: Mapping[str, Any], config: Mapping[str, Any]) -> Optional[Dict[str, Any]]:
    days = props.get("deletionWindowInDays")
    if is_number(days) and days < config["minDays"]:
        return {"deletionWindowInDays": config["minDays"]}
    return None


RULE = Rule(
    name="kms-key-deletion-window",
    title="KMS keys keep a long deletion waiting period",
    description="A KMS key's deletionWindowInDays must be at least minDays (30), so that a key scheduled for "
                "deletion by mistake can be recovered before the data it encrypts becomes unreadable. "
                "Unset means AWS's default of 30 days and passes.",
    severity="medium",
    enforcement="advisory",
    kind="resource",
    check=check_key_deletion_window,
    remediate=remediate_key_deletion_window,
    resource_types=frozenset({KMS_KEY}),
    remediation="Set deletion_window_in_days on the aws.kms.Key to at least minDays, or leave it unset (30 days).",
    url="https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html",
    controls={"aws-fsbp": ["KMS.3"], "nist-800-53-r5": ["SC-12", "SC-12(2)"]},
    config_schema={
        "minDays": {"type": "integer", "default": 30, "minimum": 7, "maximum": 30,
                    "description": "The shortest deletion waiting period allowed, in days (AWS allows 7 to 30)."},
    },
    examples=(
        Example("unset is AWS's 30 days", [R(KMS_KEY, "k", {"enableKeyRotation": True})], {"k": "pass"}),
        Example("30 days", [R(KMS_KEY, "k", {"deletionWindowInDays": 30})], {"k": "pass"}),
        Example("7 days", [R(KMS_KEY, "k", {"deletionWindowInDays": 7})], {"k": "fail:deletionWindowInDays"},
            controls=("aws-fsbp:KMS.3", "nist-800-53-r5:SC-12", "nist-800-53-r5:SC-12(2)")),
        Example("10 days under a relaxed minDays", [R(KMS_KEY, "k", {"deletionWindowInDays": 10})], {"k": "pass"},
                config={"minDays": 7}),
        Example("not a number", [R(KMS_KEY, "k", {"deletionWindowInDays": "thirty"})], {"k": "fail:deletionWindowInDays"}),
        Example("unknown during preview", [R(KMS_KEY, "k", {"deletionWindowInDays": UNKNOWN})], {"k": "unknown"}),
        Example("several keys: unset, 29 and 30 days",
                [R(KMS_KEY, "a", {}), R(KMS_KEY, "b", {"deletionWindowInDays": 29}),
                 R(KMS_KEY, "c", {"deletionWindowInDays": 30})],
                {"a": "pass", "b": "fail:deletionWindowInDays", "c": "pass"}),
        Example("a boolean is not a number", [R(KMS_KEY, "a", {"deletionWindowInDays": True})],
                {"a": "fail:deletionWindowInDays"}),
    ),
)
