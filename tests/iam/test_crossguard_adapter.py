"""Each IAM policy, hosted by the CrossGuard adapter, reports its first bad example as a violation.

The engine-protocol harness (issue 2) drives the real gRPC path; this checks the
adapter's side of it for every policy of issue 3 without starting a process.
"""
from types import SimpleNamespace

import pytest

from policypack.crossguard import _validate_resource, build_policies
from policypack.registry import BY_NAME

NEW = ["iam-policy-document-valid", "iam-policy-no-service-wildcard", "iam-policy-sensitive-actions-scoped",
       "iam-policy-resource-scoped", "iam-policy-no-privilege-escalation", "iam-policy-no-data-exfiltration",
       "iam-policy-no-credentials-exposure", "iam-policy-no-not-action", "iam-no-admin-managed-policy",
       "iam-no-user-policies", "iam-role-trust-restricted", "kms-key-policy-no-public-principal",
       "kms-key-no-lockout-bypass", "secretsmanager-secret-policy-no-public-principal"]
LEVELS = {"iam-policy-resource-scoped": "advisory", "iam-policy-no-data-exfiltration": "advisory",
          "iam-policy-no-credentials-exposure": "advisory", "iam-no-user-policies": "advisory"}
SEVERITY = {"iam-policy-document-valid": "medium", "iam-policy-resource-scoped": "medium",
            "iam-no-user-policies": "medium", "iam-policy-no-privilege-escalation": "critical",
            "iam-no-admin-managed-policy": "critical", "iam-role-trust-restricted": "critical",
            "kms-key-policy-no-public-principal": "critical",
            "secretsmanager-secret-policy-no-public-principal": "critical"}


def _args(r, config):
    return SimpleNamespace(resource_type=r.type, name=r.name, urn=r.urn(), props=dict(r.props),
                           opts=SimpleNamespace(additional_secret_outputs=None, parent=None),
                           get_config=lambda: config, not_applicable=lambda reason: None)


@pytest.mark.parametrize("name", NEW)
def test_metadata_matches_issue_table(name):
    rule = BY_NAME[name]
    assert rule.enforcement == LEVELS.get(name, "mandatory")
    assert rule.severity == SEVERITY.get(name, "high")
    policy = next(p for p in build_policies() if p.name == name)
    assert policy.enforcement_level.value == rule.enforcement


@pytest.mark.parametrize("name", NEW)
def test_first_bad_example_is_a_violation(name):
    rule = BY_NAME[name]
    ex = next(e for e in rule.examples if not e.good)
    bad = [r for r in ex.resources if ex.statuses.get(r.name) == "fail"]
    violations = []
    for r in bad:
        _validate_resource(rule)(_args(r, dict(ex.config)), lambda msg, urn=None: violations.append(msg))
    assert len(violations) >= 1 and all(v for v in violations)
