"""Each resource policy, hosted by the CrossGuard adapter, reports its first bad example as a violation.

tests/engine/test_protocol.py drives the real gRPC path; this checks the adapter's
side of it without starting a process.
"""
from types import SimpleNamespace

import pytest

from policypack.crossguard import _validate_resource, build_policies
from policypack.model import UNKNOWN
from policypack.registry import RULES

RESOURCE_RULES = [r for r in RULES if r.kind == "resource"]


def _known(value):
    # UNKNOWN is the rules' marker; this direct call has no wire form to carry the engine's sentinel.
    if isinstance(value, dict):
        return all(_known(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_known(v) for v in value)
    return value is not UNKNOWN


def _args(r, config):
    return SimpleNamespace(resource_type=r.type, name=r.name, urn=r.urn(), props=dict(r.props),
                           opts=SimpleNamespace(additional_secret_outputs=None, parent=None),
                           get_config=lambda: config, not_applicable=lambda reason: None)


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_policy_carries_the_rules_enforcement(rule):
    policy = next(p for p in build_policies() if p.name == rule.name)
    assert policy.enforcement_level.value == rule.enforcement


@pytest.mark.parametrize("rule", RESOURCE_RULES, ids=[r.name for r in RESOURCE_RULES])
def test_first_bad_example_is_a_violation(rule):
    ex = next(e for e in rule.examples if not e.good and all(_known(r.props) for r in e.resources))
    expected = ex.outcomes()
    for r in ex.resources:
        violations = []
        _validate_resource(rule)(_args(r, dict(ex.config)), lambda msg, urn=None: violations.append(msg))
        # One violation per failure the example states for this resource, each saying something.
        fails = [t for t in expected.get(r.name, []) if t.partition(":")[0] == "fail"]
        assert len(violations) == len(fails), (r.name, violations, fails)
        assert all(violations)
    assert any(t.startswith("fail") for ts in expected.values() for t in ts)
