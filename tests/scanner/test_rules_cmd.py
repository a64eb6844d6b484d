"""`keyguard rules`: what it lists and how it filters.

The expectations are written here, not read back from policypack.registry (the code that
produces the listing): the policy names come from the rule files on disk, and each filter's
answer is a hand-written set, with the control ids checked against the published frameworks
(AWS Security Hub FSBP: IAM.1 full admin, IAM.2 user policies, IAM.21 service wildcards, KMS.1
and KMS.2 decrypt on all keys, KMS.3 scheduled deletion, KMS.4 rotation, KMS.5 public keys,
SecretsManager.1 rotation on, .2 rotation succeeds, .4 rotation period). The filters are
combined with an AWS service or framework so that a policy for another cloud does not change
them.
"""
import json
from pathlib import Path

from policypack.registry import NOT_RULES

from .conftest import keyguard

RULE_FILES = Path(__file__).resolve().parents[2] / "policypack" / "rules"

FSBP = {
    "ecs-task-definition-environment-no-secrets": ["ECS.8"],
    "iam-no-user-policies": ["IAM.2"],
    "iam-policy-no-admin-wildcard": ["IAM.1"],
    "iam-policy-no-service-wildcard": ["IAM.21"],
    "iam-policy-sensitive-actions-scoped": ["KMS.1", "KMS.2"],
    "kms-key-deletion-window": ["KMS.3"],
    "kms-key-policy-no-public-principal": ["KMS.5"],
    "kms-key-rotation-enabled": ["KMS.4"],
    "secretsmanager-rotation-lambda-invocable": ["SecretsManager.2"],
    "secretsmanager-rotation-period": ["SecretsManager.1", "SecretsManager.4"],
    "secretsmanager-secret-rotation-enabled": ["SecretsManager.1"],
}
KMS = {"kms-key-deletion-window", "kms-key-no-lockout-bypass", "kms-key-policy-no-public-principal",
       "kms-key-rotation-enabled", "iam-policy-document-valid", "program-secret-inputs-not-literal",
       "state-secret-outputs-encrypted", "secretsmanager-secret-readers-allowlisted"}
CRITICAL_IAM = {"iam-no-admin-managed-policy", "iam-policy-no-admin-wildcard", "iam-policy-no-privilege-escalation",
                "iam-role-trust-restricted"}
HIGH_SECRETSMANAGER = {"apigateway-api-key-stored-in-secret", "program-secret-inputs-not-literal",
                       "secretsmanager-rotation-lambda-invocable", "secretsmanager-secret-kms-cmk",
                       "secretsmanager-secret-recovery-window", "secretsmanager-secret-rotation-enabled",
                       "secretsmanager-secret-readers-allowlisted"}


def _rows(*args):
    r = keyguard("rules", "--format", "json", *args)
    assert r.code == 0 and r.err == ""
    return json.loads(r.out)


def _names(*args):
    return [x["policy"] for x in _rows(*args)]


def test_every_rule_file_is_listed_once_in_name_order():
    on_disk = sorted(p.stem.replace("_", "-") for p in RULE_FILES.glob("*.py")
                     if p.stem not in NOT_RULES and not p.stem.startswith("_"))
    assert len(on_disk) >= 35
    assert _names() == on_disk


def test_framework_filter_gives_the_fsbp_policies_with_their_control_ids():
    rows = _rows("--framework", "aws-fsbp")
    assert {x["policy"]: x["controls"]["aws-fsbp"] for x in rows} == FSBP


def test_service_and_severity_filters_give_exactly_their_policies():
    assert set(_names("--service", "kms")) == KMS
    assert set(_names("--service", "iam", "--severity", "critical")) == CRITICAL_IAM
    assert set(_names("--service", "secretsmanager", "--severity", "high")) == HIGH_SECRETSMANAGER
    assert _names("--service", "KMS") == _names("--service", "kms")  # services are matched case-insensitively


def test_the_severity_filters_partition_the_listing():
    by_severity = {s: _rows("--severity", s) for s in ("low", "medium", "high", "critical")}
    for severity, rows in by_severity.items():
        assert {x["severity"] for x in rows} <= {severity}
    assert sorted(x["policy"] for rows in by_severity.values() for x in rows) == _names()
    assert "kms-key-rotation-enabled" in {x["policy"] for x in by_severity["medium"]}
    assert "iam-policy-no-admin-wildcard" in {x["policy"] for x in by_severity["critical"]}


def test_unknown_service_is_a_usage_error_not_an_empty_list():
    r = keyguard("rules", "--service", "kmss")
    assert r.code == 2 and r.out == "" and len(r.err_lines) == 1
    assert r.err.startswith("keyguard: error: unknown service 'kmss' (choose from acm, ") and " kms," in r.err


def test_markdown_rows_say_what_each_policy_is():
    lines = keyguard("rules", "--format", "markdown").out.strip().splitlines()
    assert lines[:2] == ["| policy | kind | default level | severity | controls | config (default) |",
                         "|---|---|---|---|---|---|"]
    rows = {line.split(" | ")[0].strip("| `"): line for line in lines[2:]}
    assert list(rows) == _names()
    assert rows["kms-key-rotation-enabled"] == (
        "| `kms-key-rotation-enabled` | resource | mandatory | medium | aws-fsbp: KMS.4<br>cis-aws-v5.0.0: 3.6<br>"
        "cis-aws-v3.0.0: 3.6<br>nist-800-53-r5: SC-12<br>pci-dss-v4.0.1: 3.7.4<br>pci-dss-v4.0: 3.7.4 | `maxDays` = `365` |")
    assert rows["kms-key-deletion-window"] == (
        "| `kms-key-deletion-window` | resource | advisory | medium | aws-fsbp: KMS.3<br>"
        "nist-800-53-r5: SC-12, SC-12(2) | `minDays` = `30` |")
    assert rows["secretsmanager-rotation-period"] == (
        "| `secretsmanager-rotation-period` | resource | mandatory | medium | aws-fsbp: SecretsManager.1, "
        "SecretsManager.4<br>nist-800-53-r5: IA-5<br>pci-dss-v4.0.1: 8.6.3<br>pci-dss-v4.0: 8.6.3 | `maxDays` = `90` |")


def test_table_lists_the_policies_and_counts_them():
    r = keyguard("rules", "--service", "iam", "--severity", "critical")
    assert r.code == 0
    assert sorted(n for n in CRITICAL_IAM if n in r.out) == sorted(CRITICAL_IAM)
    assert "iam-policy-no-not-action" not in r.out  # iam, but high
    assert r.out.rstrip().endswith(f"{len(CRITICAL_IAM)} policies")


def test_table_counts_one_policy_in_the_singular():
    r = keyguard("rules", "--service", "apprunner")
    assert r.code == 0 and r.out.rstrip().endswith("\n1 policy")
