import re

import pytest

from policypack.frameworks import FRAMEWORKS, catalogue, control_title, coverage
from policypack.registry import RULES

from .fixture import results

ID_SHAPE = {
    "aws-fsbp": r"^(IAM|KMS|SecretsManager)\.\d+$",
    "cis-aws-v3.0.0": r"^\d+\.\d+$",
    "cis-azure-v6.0.0": r"^\d+(\.\d+){1,3}$",
    "nist-800-53-r5": r"^[A-Z]{2}-\d+(\(\d+\))?$",
    "pci-dss-v4.0": r"^\d+\.\d+\.\d+$",
}


def test_every_framework_has_a_catalogue():
    assert set(catalogue()) == set(FRAMEWORKS)


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_every_control_a_rule_references_is_catalogued(rule):
    for c in rule.controls:
        assert control_title(c.framework, c.id), f"{rule.name}: {c.framework} {c.id} is not in the catalogue"


@pytest.mark.parametrize("framework", sorted(FRAMEWORKS))
def test_entries_are_well_formed_and_manual_means_unautomated(framework):
    entries = catalogue()[framework]
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids)), "duplicate control"
    automated = {c.id for r in RULES for c in r.controls if c.framework == framework}
    for e in entries:
        assert re.match(ID_SHAPE[framework], e["id"]), e["id"]
        assert e["title"].strip() and e["title"] == e["title"].strip()
        assert e["manual"] == (e["id"] not in automated), (
            f"{framework} {e['id']}: manual must be true exactly when no rule references it")
    assert any(e["manual"] for e in entries), "the catalogue must name what keyguard leaves to people"


def test_known_titles():
    assert control_title("aws-fsbp", "KMS.4") == "AWS KMS key rotation should be enabled"
    assert control_title("aws-fsbp", "SecretsManager.1") == "Secrets Manager secrets should have automatic rotation enabled"
    assert control_title("nist-800-53-r5", "IA-5") == "Authenticator Management"
    assert control_title("nist-800-53-r5", "SC-28") == "Protection of Information at Rest"
    assert control_title("cis-aws-v3.0.0", "3.6") == "Ensure rotation for customer-created symmetric CMKs is enabled"
    assert control_title("pci-dss-v4.0", "8.6.2").startswith("Passwords/passphrases for any application and system")


def test_coverage_statuses_on_the_fixed_stack():
    cov = coverage(results(), "aws-fsbp")
    status = {c["id"]: c["status"] for c in cov["controls"]}
    assert status["KMS.4"] == "failing"             # legacy-key has rotation off
    assert status["SecretsManager.1"] == "failing"  # neither secret has a rotation
    assert status["IAM.1"] == "passing"             # reader passes, admin's violation is waived
    assert status["KMS.5"] == "passing"
    assert status["SecretsManager.2"] == "not_evaluated"  # no rotation resources in the stack
    assert status["SecretsManager.3"] == "manual"
    assert cov["summary"] == {s: sum(1 for v in status.values() if v == s)
                              for s in ("failing", "passing", "not_evaluated", "manual")}
    assert cov["framework"]["key"] == "aws-fsbp" and cov["framework"]["version"] == "1.0.0"


def test_an_unknown_keeps_a_control_from_passing():
    cov = coverage(results(), "nist-800-53-r5")
    sc28 = next(c for c in cov["controls"] if c["id"] == "SC-28")
    # secretsmanager-secret-kms-cmk maps to SC-28 and is unknown for preview-secret; the
    # lambda environment rule fails it anyway.
    assert sc28["counts"]["unknown"] == 1 and sc28["status"] == "failing"
    only_unknown = [r for r in results() if r.policy == "secretsmanager-secret-kms-cmk"]
    sc28 = next(c for c in coverage(only_unknown, "nist-800-53-r5")["controls"] if c["id"] == "SC-28")
    assert sc28["status"] == "not_evaluated"


def test_unknown_framework_is_a_one_line_error():
    with pytest.raises(ValueError, match=r"^unknown framework 'sox'; choose one of: aws-fsbp, "):
        coverage([], "sox")
