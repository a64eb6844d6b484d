"""gcp-secretmanager-secret-rotation: Secret Manager secrets have a rotation schedule within maxDays."""
from __future__ import annotations

from typing import Any

from ..durations import judge_period
from ..examples import Example, R
from ..model import UNKNOWN
from ..property_check import PropertyCheck
from ..tokens.gcp import REGIONAL_SECRET, SECRET
from .base import Rule

_TOPIC = [{"name": "projects/acme-ai-prod/topics/secret-rotation"}]


check_secret_rotation = PropertyCheck(
    paths={SECRET: "rotation.rotationPeriod", REGIONAL_SECRET: "rotation.rotationPeriod"},
    judge=judge_period,
    problem="is not a rotation period within maxDays",
    absent_problem="the secret has no rotation schedule",
)


def _secret(rotation: Any = None, name: str = "s", rtype: str = SECRET) -> R:
    props = {"secretId": name, "replication": {"auto": {}}, "topics": _TOPIC}
    if rotation is not None:
        props["rotation"] = rotation
    return R(rtype, name, props)


RULE = Rule(
    name="gcp-secretmanager-secret-rotation",
    title="Secret Manager secrets are rotated on a schedule",
    description="A Secret Manager secret carries a rotation schedule (rotation.rotationPeriod) no longer than "
                "maxDays. Secret Manager then publishes SECRET_ROTATE to the secret's Pub/Sub topics on that "
                "schedule; what rotates the value is the subscriber, so a schedule is the necessary part this "
                "rule can see.",
    severity="medium",
    enforcement="advisory",
    kind="resource",
    check=check_secret_rotation,
    resource_types=check_secret_rotation.resource_types,
    remediation="Set rotation=gcp.secretmanager.SecretRotationArgs(rotation_period=\"7776000s\", "
                "next_rotation_time=...) and topics=[...] naming a Pub/Sub topic whose subscriber rotates the "
                "value and adds a new gcp.secretmanager.SecretVersion.",
    url="https://cloud.google.com/secret-manager/docs/secret-rotation",
    controls={"nist-800-53-r5": ["IA-5", "SC-12"], "pci-dss-v4.0.1": ["8.6.3"], "pci-dss-v4.0": ["8.6.3"]},
    config_schema={
        "maxDays": {"type": "integer", "default": 90, "minimum": 1,
                    "description": "The longest rotation period accepted, in days."},
    },
    examples=(
        Example("rotates every 90 days", [_secret({"rotationPeriod": "7776000s",
                                                   "nextRotationTime": "2026-12-31T00:00:00Z"})], {"s": "pass"}),
        Example("no rotation", [_secret()], {"s": "fail:rotation.rotationPeriod"},
                controls=("nist-800-53-r5:IA-5", "nist-800-53-r5:SC-12", "pci-dss-v4.0.1:8.6.3", "pci-dss-v4.0:8.6.3")),
        Example("rotates yearly", [_secret({"rotationPeriod": "31536000s"})], {"s": "fail:rotation.rotationPeriod"}),
        Example("a yearly rotation with maxDays 365", [_secret({"rotationPeriod": "31536000s"})], {"s": "pass"},
                config={"maxDays": 365}),
        Example("not a duration", [_secret({"rotationPeriod": "90d"})], {"s": "fail:rotation.rotationPeriod"}),
        Example("regional secrets", [_secret({"rotationPeriod": "2592000s"}, "r30", REGIONAL_SECRET),
                                     _secret(None, "rnone", REGIONAL_SECRET)],
                {"r30": "pass", "rnone": "fail:rotation.rotationPeriod"}),
        Example("rotation period unknown during preview", [_secret({"rotationPeriod": UNKNOWN})], {"s": "unknown"}),
    ),
)
