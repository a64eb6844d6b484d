"""Issue 22 at the command line: `keyguard rules --framework F --coverage`, and
`keyguard scan --framework` for the current framework versions in every format.

The expectations are the catalogue's facts as an auditor would read them (CIS AWS
v5.0.0's 3.6 is checked by kms-key-rotation-enabled; its 1.4, root MFA, is live account
state), not numbers taken from the code under test.
"""
import json
import re
import xml.etree.ElementTree as ET

import pytest

from policypack.report import FORMATS

from .conftest import EXPORT, keyguard


def _coverage_json(framework):
    r = keyguard("rules", "--framework", framework, "--coverage", "--format", "json")
    assert r.code == 0 and r.err == ""
    return json.loads(r.out)


def test_cis_v5_coverage_per_control():
    cov = _coverage_json("cis-aws-v5.0.0")
    assert cov["framework"]["version"] == "5.0.0" and "cis_5.0_aws.json" in cov["framework"]["source"]
    by_id = {c["id"]: c for c in cov["controls"]}
    assert by_id["3.6"]["check"] == "full" and by_id["3.6"]["policies"] == ["kms-key-rotation-enabled"]
    assert by_id["1.14"]["policies"] == ["iam-no-user-policies"]
    assert set(by_id["1.15"]["policies"]) == {"iam-policy-no-admin-wildcard", "iam-no-admin-managed-policy"}
    assert by_id["1.4"]["check"] == "account" and by_id["1.4"]["label"].startswith("not checkable from code")
    assert by_id["1.20"]["check"] == "process"
    assert by_id["3.5"]["check"] == "code" and by_id["4.7"]["check"] == "code"
    # Section 1 whole (21), 3.5 and 3.6, and the four IAM and KMS monitoring controls.
    assert len(cov["controls"]) == 27
    assert cov["summary"] == {"full": 3, "partial": 0, "code": 11, "account": 10, "process": 3}


def test_fsbp_coverage_names_what_is_missing_and_the_parameters():
    by_id = {c["id"]: c for c in _coverage_json("aws-fsbp")["controls"]}
    assert by_id["KMS.4"]["check"] == "full"
    assert by_id["KMS.3"]["check"] == "partial" and "scheduled for deletion" in by_id["KMS.3"]["missing"]
    assert by_id["ECS.8"]["policies"] == ["ecs-task-definition-environment-no-secrets"]
    assert set(by_id["SecretsManager.1"]["policies"]) == {"secretsmanager-secret-rotation-enabled",
                                                          "secretsmanager-rotation-period"}
    assert by_id["SecretsManager.1"]["parameters"][0]["config"] == "maxDays"
    assert by_id["CodeBuild.2"]["check"] == "code" and by_id["CodeBuild.2"]["policies"] == []


def test_pci_401_and_40_are_both_selectable_with_the_same_requirements():
    new, old = _coverage_json("pci-dss-v4.0.1"), _coverage_json("pci-dss-v4.0")
    assert new["framework"]["version"] == "4.0.1" and old["framework"]["version"] == "4.0"
    assert old["framework"]["superseded_by"] == "pci-dss-v4.0.1" and "superseded_by" not in new["framework"]
    assert [(c["id"], c["policies"]) for c in new["controls"]] == [(c["id"], c["policies"]) for c in old["controls"]]
    by_id = {c["id"]: c for c in new["controls"]}
    assert by_id["3.7.4"]["check"] == "partial"
    assert by_id["3.7.4"]["policies"] == ["azure-keyvault-key-rotation", "gcp-kms-crypto-key-rotation",
                                         "kms-key-rotation-enabled"]
    assert by_id["7.2.1"]["check"] == "process"


def test_coverage_markdown_and_table():
    md = keyguard("rules", "--framework", "cis-aws-v5.0.0", "--coverage", "--format", "markdown")
    assert md.code == 0
    rows = [line for line in md.out.splitlines() if re.match(r"^\| \d+\.\d+ \|", line)]
    assert len(rows) == 27
    assert any(line.startswith("| 3.6 | Ensure rotation for customer-created symmetric CMKs is enabled | checked | "
                               "`kms-key-rotation-enabled` |") for line in rows)
    table = keyguard("rules", "--framework", "aws-fsbp", "--coverage")
    assert table.code == 0 and "checked in part" in table.out and "SecretsManager.4" in table.out


@pytest.mark.parametrize("argv,message", [
    (["--coverage"], "--coverage needs --framework KEY"),
    (["--coverage", "--framework", "cis-aws-v5.0.0", "--service", "kms"], "drop --service and --severity"),
    (["--coverage", "--framework", "cis-aws-v9"], "unknown framework 'cis-aws-v9'"),
    (["--coverage", "--framework", "aws-fsbp", "--format", "html"], "unknown format 'html' for rules"),
])
def test_coverage_usage_errors_are_one_line(argv, message):
    r = keyguard("rules", *argv)
    assert r.code == 2 and r.out == "" and len(r.err_lines) == 1 and message in r.err


@pytest.mark.parametrize("framework,heading", [("cis-aws-v5.0.0", "CIS Amazon Web Services Foundations Benchmark 5.0.0"),
                                               ("pci-dss-v4.0.1", "PCI DSS 4.0.1")])
@pytest.mark.parametrize("fmt", FORMATS)
def test_scan_with_a_current_framework_in_every_format(fmt, framework, heading):
    r = keyguard("scan", str(EXPORT), "--framework", framework, "--format", fmt)
    assert r.code == 1, r.err  # the checked-in export has mandatory violations
    if fmt == "json":
        cov = json.loads(r.out)["coverage"]
        assert cov["framework"]["key"] == framework
        assert {c["check"] for c in cov["controls"]} <= {"full", "partial", "code", "account", "process"}
    elif fmt == "sarif":
        assert json.loads(r.out)["runs"][0]["properties"]["coverage"]["framework"]["key"] == framework
    elif fmt == "junit":
        # JUnit has no coverage section; each policy's suite names its controls in this version.
        props = {p.get("name") for p in ET.fromstring(r.out).iter("property")}
        assert f"controls.{framework}" in props
    else:
        assert heading in r.out
        assert "keyguard checks" in r.out


def test_scan_coverage_status_and_check_side_by_side():
    cov = json.loads(keyguard("scan", str(EXPORT), "--framework", "pci-dss-v4.0.1", "--format", "json").out)["coverage"]
    by_id = {c["id"]: c for c in cov["controls"]}
    # The export's secret has no customer-managed key: failing, and checked only in part.
    assert by_id["3.6.1"]["status"] == "failing" and by_id["3.6.1"]["check"] == "partial"
    assert by_id["3.7.1"]["status"] == "manual" and by_id["3.7.1"]["check"] == "process"
    assert cov["checks"] == {"full": 0, "partial": 7, "code": 0, "account": 0, "process": 7}
