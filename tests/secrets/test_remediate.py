"""Rule-level remediation: pure props in, fixed props out, and the fix passes the check."""
import pytest

from policypack.config import with_defaults
from policypack.model import UNKNOWN, Status
from policypack.registry import BY_NAME, RULES

from tests.builders import resource

KEY, SECRET = "aws:kms/key:Key", "aws:secretsmanager/secret:Secret"
# The policies with a safe local fix, written out: the others (public principals, plaintext
# secrets, missing rotation resources...) need a decision only the stack's author can make.
REMEDIATING = {"kms-key-deletion-window", "kms-key-rotation-enabled", "secretsmanager-secret-recovery-window"}

# (policy, type, props, config, expected changes or None)
CASES = [
    ("kms-key-rotation-enabled", KEY, {"enableKeyRotation": False}, {}, {"enableKeyRotation": True}),
    ("kms-key-rotation-enabled", KEY, {}, {}, {"enableKeyRotation": True}),
    ("kms-key-rotation-enabled", KEY, {"enableKeyRotation": True, "rotationPeriodInDays": 400}, {},
     {"rotationPeriodInDays": 365}),
    ("kms-key-rotation-enabled", KEY, {"enableKeyRotation": False}, {"maxDays": 90},
     {"enableKeyRotation": True, "rotationPeriodInDays": 90}),
    ("kms-key-rotation-enabled", KEY, {"enableKeyRotation": True, "rotationPeriodInDays": 90}, {}, None),
    ("kms-key-rotation-enabled", KEY, {"enableKeyRotation": True}, {}, None),  # unset: AWS's 365 days
    # AWS rotates only symmetric encryption keys: nothing to set on the others.
    ("kms-key-rotation-enabled", KEY, {"keySpec": "RSA_2048", "keyUsage": "SIGN_VERIFY"}, {}, None),
    ("kms-key-rotation-enabled", KEY, {"customerMasterKeySpec": "ECC_NIST_P256"}, {}, None),
    # Unknown during preview: never overwritten.
    ("kms-key-rotation-enabled", KEY, {"enableKeyRotation": UNKNOWN}, {}, None),
    ("kms-key-rotation-enabled", KEY, {"enableKeyRotation": True, "rotationPeriodInDays": UNKNOWN}, {}, None),
    ("kms-key-deletion-window", "aws:kms/key:Key", {"deletionWindowInDays": 7}, {}, {"deletionWindowInDays": 30}),
    ("kms-key-deletion-window", "aws:kms/key:Key", {"deletionWindowInDays": 7}, {"minDays": 14},
     {"deletionWindowInDays": 14}),
    ("kms-key-deletion-window", "aws:kms/key:Key", {"deletionWindowInDays": 30}, {}, None),
    ("kms-key-deletion-window", "aws:kms/key:Key", {}, {}, None),
    ("kms-key-deletion-window", "aws:kms/key:Key", {"deletionWindowInDays": UNKNOWN}, {}, None),
    ("secretsmanager-secret-recovery-window", "aws:secretsmanager/secret:Secret", {"recoveryWindowInDays": 0}, {},
     {"recoveryWindowInDays": 30}),
    ("secretsmanager-secret-recovery-window", "aws:secretsmanager/secret:Secret", {"recoveryWindowInDays": 3},
     {"minDays": 7}, {"recoveryWindowInDays": 30}),
    ("secretsmanager-secret-recovery-window", "aws:secretsmanager/secret:Secret", {"recoveryWindowInDays": 10}, {},
     None),
    ("secretsmanager-secret-recovery-window", "aws:secretsmanager/secret:Secret", {}, {}, None),
    ("secretsmanager-secret-recovery-window", "aws:secretsmanager/secret:Secret",
     {"recoveryWindowInDays": UNKNOWN}, {}, None),
]


@pytest.mark.parametrize("policy,rtype,props,config,expected", CASES,
                         ids=[f"{c[0]}:{c[2]}:{c[3]}" for c in CASES])
def test_remediate(policy, rtype, props, config, expected):
    rule = BY_NAME[policy]
    cfg = with_defaults(rule, config)
    before = dict(props)
    changes = rule.remediate(props, cfg)
    assert changes == expected
    assert props == before, "remediate must not mutate its input"
    if changes:
        fixed = resource(rtype, "r", {**props, **changes})
        assert [o.status for o in rule.check(fixed, cfg)] == [Status.PASS]


def test_exactly_the_policies_with_a_safe_local_fix_remediate():
    assert {r.name for r in RULES if r.remediate is not None} == REMEDIATING


def test_every_remediating_policy_has_a_fixing_case_and_a_leave_alone_case():
    for name in sorted(REMEDIATING):
        expected = [c[4] for c in CASES if c[0] == name]
        assert any(e for e in expected), f"{name}: no case where remediation changes something"
        assert any(e is None for e in expected), f"{name}: no case where remediation leaves the resource alone"
