"""Rule-level remediation: pure props in, fixed props out, and the fix passes the check."""
import pytest

from policypack.config import with_defaults
from policypack.model import UNKNOWN, Resource, Status
from policypack.registry import BY_NAME

# (policy, type, props, config, expected changes or None)
CASES = [
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
        fixed = Resource(rtype, "r", "urn:r", {**props, **changes})
        assert [o.status for o in rule.check(fixed, cfg)] == [Status.PASS]


def test_policies_without_a_safe_local_fix_have_none():
    for name in ("state-secret-outputs-encrypted", "apigateway-api-key-generated"):
        assert BY_NAME[name].remediate is None
