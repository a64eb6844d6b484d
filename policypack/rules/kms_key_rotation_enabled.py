"""kms-key-rotation-enabled: symmetric KMS keys rotate automatically."""
from __future__ import annotations

import re
from typing import Any, Dict, Iterable, Mapping, Optional

from ..examples import Example, R
from ..model import UNKNOWN, Outcome, Resource, failed, is_number, not_applicable, passed, unknown
from ..tokens.aws import KMS_KEY
from .base import Rule


_ENUM = re.compile(r"[A-Z0-9_]{1,40}")


def _named(value: Any) -> str:
    """A key spec or usage as AWS spells them; anything else is not repeated in a message."""
    return value if isinstance(value, str) and _ENUM.fullmatch(value) else "(unrecognised)"


def _spec(props: Mapping[str, Any]) -> tuple[Any, Any]:
    spec = props.get("keySpec") or props.get("customerMasterKeySpec") or "SYMMETRIC_DEFAULT"
    usage = props.get("keyUsage") or "ENCRYPT_DECRYPT"
    return spec, usage


def check_key_rotation(res: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
    spec, usage = _spec(res.props)
    if spec is UNKNOWN or usage is UNKNOWN:
        yield unknown("keySpec or keyUsage is not known during preview", path="keySpec")
        return
    if spec != "SYMMETRIC_DEFAULT" or usage != "ENCRYPT_DECRYPT":
        # AWS rotates only symmetric encryption keys automatically.
        yield not_applicable(f"key {res.name} is {_named(spec)}/{_named(usage)}; automatic rotation applies only to "
                             "SYMMETRIC_DEFAULT ENCRYPT_DECRYPT keys")
        return
    enabled = res.props.get("enableKeyRotation")
    if enabled is UNKNOWN:
        yield unknown("enableKeyRotation is not known during preview", path="enableKeyRotation")
        return
    if enabled is not True:
        yield failed(f"key {res.name} does not set enableKeyRotation", path="enableKeyRotation")
        return
    period = res.props.get("rotationPeriodInDays")
    if period is UNKNOWN:
        yield unknown("rotationPeriodInDays is not known during preview", path="rotationPeriodInDays")
        return
    if period is not None and not is_number(period):
        yield failed(f"key {res.name}: rotationPeriodInDays is not a finite number", path="rotationPeriodInDays")
        return
    # Unset means AWS's default of 365 days.
    if period is not None and period > config["maxDays"]:
        yield failed(f"key {res.name}: rotationPeriodInDays is above maxDays ({config['maxDays']})",
                     path="rotationPeriodInDays")
        return
    if period is None and 365 > config["maxDays"]:
        yield failed(f"key {res.name}: rotationPeriodInDays is unset (AWS rotates yearly), above maxDays "
                     f"({config['maxDays']})", path="rotationPeriodInDays")
        return
    yield passed()


def remediate_key_rotation(props: Mapping[str, Any], config: Mapping[str, Any]) -> Optional[Dict[str, Any]]:
    spec, usage = _spec(props)
    if spec != "SYMMETRIC_DEFAULT" or usage != "ENCRYPT_DECRYPT":
        return None
    changes: Dict[str, Any] = {}
    if props.get("enableKeyRotation") is not True and props.get("enableKeyRotation") is not UNKNOWN:
        changes["enableKeyRotation"] = True
    period = props.get("rotationPeriodInDays")
    if is_number(period) and period > config["maxDays"]:
        changes["rotationPeriodInDays"] = config["maxDays"]
    elif period is None and config["maxDays"] < 365:
        changes["rotationPeriodInDays"] = config["maxDays"]
    return changes or None


RULE = Rule(
    name="kms-key-rotation-enabled",
    title="Symmetric KMS keys rotate automatically",
    description="Symmetric encryption KMS keys must have automatic rotation enabled, at most every maxDays days.",
    severity="medium",
    enforcement="mandatory",
    kind="resource",
    check=check_key_rotation,
    remediate=remediate_key_rotation,
    resource_types=frozenset({KMS_KEY}),
    remediation="Set enable_key_rotation=True on the aws.kms.Key, and rotation_period_in_days to at most maxDays.",
    url="https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
    controls={"aws-fsbp": ["KMS.4"],
              "cis-aws-v5.0.0": ["3.6"],
              "cis-aws-v3.0.0": ["3.6"],
              "nist-800-53-r5": ["SC-12"],
              "pci-dss-v4.0.1": ["3.7.4"],
              "pci-dss-v4.0": ["3.7.4"]},
    config_schema={
        "maxDays": {"type": "integer", "default": 365, "minimum": 90, "maximum": 2560,
                    "description": "The longest rotation period allowed, in days (AWS allows 90 to 2560)."},
    },
    examples=(
        Example("rotation on", [R(KMS_KEY, "k", {"enableKeyRotation": True})], {"k": "pass"}),
        Example("rotation off", [R(KMS_KEY, "k", {"enableKeyRotation": False})], {"k": "fail:enableKeyRotation"},
            controls=("aws-fsbp:KMS.4", "cis-aws-v5.0.0:3.6", "cis-aws-v3.0.0:3.6", "nist-800-53-r5:SC-12")),
        Example("rotation unset", [R(KMS_KEY, "k", {"description": "x"})], {"k": "fail:enableKeyRotation"}),
        Example("period within bound", [R(KMS_KEY, "k", {"enableKeyRotation": True, "rotationPeriodInDays": 180})],
                {"k": "pass"}),
        Example("period above bound", [R(KMS_KEY, "k", {"enableKeyRotation": True, "rotationPeriodInDays": 730})],
                {"k": "fail:rotationPeriodInDays"},
                controls=("pci-dss-v4.0.1:3.7.4", "pci-dss-v4.0:3.7.4")),
        Example("stricter maxDays", [R(KMS_KEY, "k", {"enableKeyRotation": True, "rotationPeriodInDays": 180})],
                {"k": "fail:rotationPeriodInDays"}, config={"maxDays": 90}),
        Example("asymmetric signing key",
                [R(KMS_KEY, "k", {"keySpec": "RSA_2048", "keyUsage": "SIGN_VERIFY"})], {"k": "not_applicable"}),
        Example("HMAC key", [R(KMS_KEY, "k", {"keySpec": "HMAC_256", "keyUsage": "GENERATE_VERIFY_MAC"})],
                {"k": "not_applicable"}),
        Example("unknown during preview", [R(KMS_KEY, "k", {"enableKeyRotation": UNKNOWN})], {"k": "unknown"}),
    ),
)
