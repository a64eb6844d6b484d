"""kms-key-no-lockout-bypass: KMS keys keep the policy lockout safety check."""
from __future__ import annotations

from ..examples import DEFAULT_KEY_STATEMENT, Example, R, doc
from ..iam.document import KMS_POLICY_TYPES
from ..model import UNKNOWN
from ..property_check import PropertyCheck
from ..tokens.aws import KEY_POLICY
from ..tokens.aws import KMS_KEY as KEY
from .base import Rule


# Only an explicit true bypasses the check; unset and false keep it.
check_lockout_bypass = PropertyCheck(
    paths={t: "bypassPolicyLockoutSafetyCheck" for t in KMS_POLICY_TYPES},
    judge=lambda value, _config: value is not True,
    problem="is set, so a key policy that locks every principal out of the key is accepted",
    absent="pass",
)


RULE = Rule(
    name="kms-key-no-lockout-bypass",
    title="KMS keys keep the policy lockout safety check",
    description="bypassPolicyLockoutSafetyCheck lets a key policy that nobody can manage take effect, making "
                "the key, and everything encrypted under it, unmanageable.",
    severity="high",
    enforcement="mandatory",
    kind="resource",
    check=check_lockout_bypass,
    resource_types=check_lockout_bypass.resource_types,
    remediation="Remove bypass_policy_lockout_safety_check (it defaults to false).",
    url="https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html",
    controls={"nist-800-53-r5": ["SC-12"]},
    examples=(
        Example("not set", [R(KEY, "k", {"enableKeyRotation": True})], {"k": "pass"}),
        Example("set on a key", [R(KEY, "k", {"bypassPolicyLockoutSafetyCheck": True})], {"k": "fail:bypassPolicyLockoutSafetyCheck"},
            controls=("nist-800-53-r5:SC-12",)),
        Example("set on a KeyPolicy", [R(KEY_POLICY, "k", {"keyId": "k1", "policy": doc(DEFAULT_KEY_STATEMENT),
                                                          "bypassPolicyLockoutSafetyCheck": True})], {"k": "fail:bypassPolicyLockoutSafetyCheck"}),
        Example("explicitly false", [R(KEY, "k", {"bypassPolicyLockoutSafetyCheck": False})], {"k": "pass"}),
        Example("unknown during preview", [R(KEY, "k", {"bypassPolicyLockoutSafetyCheck": UNKNOWN})],
                {"k": "unknown"}),
        Example("a stack of keys and key policies", [
            R(KEY, "unset", {}), R(KEY, "off", {"bypassPolicyLockoutSafetyCheck": False}),
            R(KEY, "on", {"bypassPolicyLockoutSafetyCheck": True}),
            R(KEY_POLICY, "kp_on", {"keyId": "k", "policy": doc(DEFAULT_KEY_STATEMENT),
                                    "bypassPolicyLockoutSafetyCheck": True}),
            R(KEY, "preview", {"bypassPolicyLockoutSafetyCheck": UNKNOWN}),
        ], {"unset": "pass", "off": "pass", "on": "fail:bypassPolicyLockoutSafetyCheck",
            "kp_on": "fail:bypassPolicyLockoutSafetyCheck", "preview": "unknown"}),
    ),
)
