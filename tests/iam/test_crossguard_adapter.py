"""The CrossGuard adapter's policies: the rules' metadata, and no judging of their own.

tests/engine/test_protocol.py drives the real gRPC path through keyguard's servicer.
"""
from types import SimpleNamespace

import pytest

from policypack.crossguard import build_policies
from policypack.registry import RULES


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_policy_carries_the_rules_enforcement(rule):
    policy = next(p for p in build_policies() if p.name == rule.name)
    assert policy.enforcement_level.value == rule.enforcement


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_pulumi_policys_own_validate_path_refuses_to_judge(rule):
    """Judging is the routing servicer's (tests/engine/test_protocol.py drives it); a
    servicer that called the policy's validate would judge nothing, so it must say so."""
    policy = next(p for p in build_policies() if p.name == rule.name)
    args = SimpleNamespace(resource_type="t", name="n", urn="u", props={}, get_config=lambda: {})
    with pytest.raises(RuntimeError, match=f"^{rule.name}: keyguard's policies are judged by keyguard's own servicer"):
        policy.validate(args, lambda *a: None)
