"""The catalogue of frameworks and the rules' mappings to it, kept honest.

Every control a rule names is in the catalogue for that framework version; every
mapping has an example in the rule that shows the control's failing case; a control
is marked manual exactly when no rule maps it; every framework names the source of its
ids and titles, and that source's date.
"""
import re

import pytest

from policypack.frameworks import (CHECK_KINDS, FRAMEWORKS, PRIMARY_ORDER, catalogue, control, control_title,
                                   primary_framework)
from policypack.registry import BY_NAME, RULES
from policypack.report.coverage import checks, coverage

from .fixture import results

ID_SHAPE = {
    "aws-fsbp": r"^(IAM|KMS|SecretsManager|ECS|CodeBuild)\.\d+$",
    "cis-aws-v5.0.0": r"^\d+\.\d+$",
    "cis-aws-v3.0.0": r"^\d+\.\d+$",
    "cis-gcp-v5.0.0": r"^\d+\.\d+(\.\d+)?$",
    "cis-azure-v6.0.0": r"^\d+(\.\d+){1,3}$",
    "nist-800-53-r5": r"^[A-Z]{2}-\d+(\(\d+\))?$",
    "pci-dss-v4.0.1": r"^\d+\.\d+\.\d+$",
    "pci-dss-v4.0": r"^\d+\.\d+\.\d+$",
}


def test_every_framework_has_a_catalogue():
    assert set(catalogue()) == set(FRAMEWORKS)


@pytest.mark.parametrize("framework", list(FRAMEWORKS))
def test_every_framework_names_its_source_and_date(framework):
    info = FRAMEWORKS[framework]
    assert info.get("source", "").strip(), f"{framework}: no source for its control ids and titles"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", info.get("source_date", "")), f"{framework}: source_date is not a date"
    assert info.get("scope", "").strip(), f"{framework}: the sections in scope are not named"
    if "superseded_by" in info:
        assert info["superseded_by"] in FRAMEWORKS and info["superseded_by"] != framework


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_every_control_a_rule_references_is_catalogued(rule):
    assert rule.controls, f"{rule.name} maps to no control"
    for c in rule.controls:
        assert control_title(c.framework, c.id), f"{rule.name}: {c.framework} {c.id} is not in the catalogue"


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_every_mapping_has_an_example_of_its_failing_case(rule):
    shown = {}
    for ex in rule.examples:
        for tag in ex.controls:
            assert tag in rule.tags, f"{rule.name}: example {ex.description!r} names {tag}, which the rule does not map"
            assert not ex.good, f"{rule.name}: example {ex.description!r} shows {tag} but fails nothing"
            shown.setdefault(tag, ex.description)
    missing = [t for t in rule.tags if t not in shown]
    assert not missing, f"{rule.name}: no example shows the failing case of {missing}"


def test_a_mapping_without_an_example_is_caught():
    """The check above fails a rule whose mapping no example shows, and an example naming an unmapped control."""
    import dataclasses

    rule = BY_NAME["kms-key-rotation-enabled"]
    unshown = dataclasses.replace(rule, examples=tuple(dataclasses.replace(e, controls=()) for e in rule.examples))
    with pytest.raises(AssertionError, match="no example shows the failing case"):
        test_every_mapping_has_an_example_of_its_failing_case(unshown)
    bad = dataclasses.replace(rule.examples[1], controls=("aws-fsbp:IAM.1",))
    with pytest.raises(AssertionError, match="which the rule does not map"):
        test_every_mapping_has_an_example_of_its_failing_case(dataclasses.replace(rule, examples=(bad,)))


@pytest.mark.parametrize("framework", list(FRAMEWORKS))
def test_entries_are_well_formed_and_manual_means_unmapped(framework):
    entries = catalogue()[framework]
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids)), "duplicate control"
    mapped = {c.id for r in RULES for c in r.controls if c.framework == framework}
    for e in entries:
        assert re.match(ID_SHAPE[framework], e["id"]), e["id"]
        assert e["title"].strip() and e["title"] == e["title"].strip()
        assert e["manual"] == (e["id"] not in mapped), (
            f"{framework} {e['id']}: manual must be true exactly when no rule maps it")
        assert e["check"] in CHECK_KINDS
        assert (e["check"] == "partial") == bool(e["partial"])
        # report/coverage.py tells a manual control by its check kind alone.
        assert e["manual"] == (e["check"] not in ("full", "partial"))
    assert any(e["manual"] for e in entries), "the catalogue must name what keyguard leaves to people"


@pytest.mark.parametrize("framework", list(FRAMEWORKS))
def test_parameters_name_a_real_config_property(framework):
    for e in catalogue()[framework]:
        for p in e["parameters"]:
            rule = BY_NAME[p["policy"]]
            assert f"{framework}:{e['id']}" in rule.tags, f"{p['policy']} does not map {framework} {e['id']}"
            assert p["config"] in rule.config_schema, f"{p['policy']} has no config {p['config']!r}"
            if "default" in p and p["same"] is False:
                # A differing meaning may still share the default; say so only when it does.
                assert p["default"] == rule.config_schema[p["config"]]["default"]


def test_fsbp_parameters_map_to_rotation_config():
    sm1 = control("aws-fsbp", "SecretsManager.1")["parameters"]
    assert sm1 == [{"name": "maximumAllowedRotationFrequency", "policy": "secretsmanager-rotation-period",
                    "config": "maxDays", "same": True}]
    sm4 = control("aws-fsbp", "SecretsManager.4")
    assert sm4["parameters"][0]["name"] == "maxDaysSinceRotation" and sm4["parameters"][0]["same"] is False
    assert sm4["check"] == "partial" and "last rotation" in sm4["partial"]


def test_known_titles_per_version():
    assert control_title("aws-fsbp", "KMS.4") == "AWS KMS key rotation should be enabled"
    assert control_title("aws-fsbp", "SecretsManager.1") == "Secrets Manager secrets should have automatic rotation enabled"
    assert control_title("aws-fsbp", "ECS.8") == "Secrets should not be passed as container environment variables"
    assert control_title("nist-800-53-r5", "IA-5") == "Authenticator Management"
    assert control_title("cis-aws-v3.0.0", "3.6") == "Ensure rotation for customer-created symmetric CMKs is enabled"
    # The versions renumber: v3.0.0's 1.16 is v5.0.0's 1.15, and v5.0.0's 1.16 is the support role.
    assert control_title("cis-aws-v3.0.0", "1.16").startswith("Ensure IAM policies that allow full")
    assert control_title("cis-aws-v5.0.0", "1.15").startswith("Ensure IAM policies that allow full")
    assert control_title("cis-aws-v5.0.0", "1.16").startswith("Ensure a support role")
    assert control_title("cis-aws-v5.0.0", "1.10").startswith("Do not create access keys during initial setup")
    assert control_title("pci-dss-v4.0.1", "8.6.2").startswith("Passwords/passphrases for any application and system")


def test_cis_mappings_follow_the_renumbering():
    admin = BY_NAME["iam-policy-no-admin-wildcard"]
    assert admin.framework_controls("cis-aws-v3.0.0") == ["1.16"]
    assert admin.framework_controls("cis-aws-v5.0.0") == ["1.15"]
    groups = BY_NAME["iam-no-user-policies"]
    assert groups.framework_controls("cis-aws-v3.0.0") == ["1.15"]
    assert groups.framework_controls("cis-aws-v5.0.0") == ["1.14"]


def test_primary_framework_rule():
    assert PRIMARY_ORDER[0] == "cis-"
    assert primary_framework(["nist-800-53-r5", "pci-dss-v4.0", "pci-dss-v4.0.1"]) == "pci-dss-v4.0.1"
    assert primary_framework(["nist-800-53-r5", "aws-fsbp", "cis-aws-v3.0.0", "cis-aws-v5.0.0"]) == "cis-aws-v5.0.0"
    # A superseded version is never primary, even when it is the only other mapping.
    assert primary_framework(["nist-800-53-r5", "cis-aws-v3.0.0"]) == "nist-800-53-r5"
    assert primary_framework(["cis-aws-v3.0.0"]) is None
    assert BY_NAME["kms-key-rotation-enabled"].framework == "cis-aws-v5.0.0"
    assert BY_NAME["secretsmanager-rotation-period"].framework == "aws-fsbp"
    assert BY_NAME["lambda-environment-no-secrets"].framework == "pci-dss-v4.0.1"
    assert BY_NAME["kms-key-no-lockout-bypass"].framework == "nist-800-53-r5"
    rule = BY_NAME["kms-key-rotation-enabled"]
    assert rule.secondary_tags == ["aws-fsbp:KMS.4", "cis-aws-v3.0.0:3.6", "nist-800-53-r5:SC-12",
                                   "pci-dss-v4.0.1:3.7.4", "pci-dss-v4.0:3.7.4"]


def test_checks_counts_on_cis_v5():
    got = checks("cis-aws-v5.0.0", RULES)
    by_id = {c["id"]: c for c in got["controls"]}
    assert by_id["3.6"]["check"] == "full" and by_id["3.6"]["policies"] == ["kms-key-rotation-enabled"]
    assert by_id["1.15"]["policies"] == ["iam-no-admin-managed-policy", "iam-policy-no-admin-wildcard"]
    assert by_id["1.4"]["check"] == "account" and not by_id["1.4"]["policies"]
    assert by_id["1.21"]["check"] == "code"
    assert sum(got["summary"].values()) == len(got["controls"]) == 27


def test_coverage_statuses_on_the_fixed_stack():
    cov = coverage(results(), "aws-fsbp", RULES)
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
    kms3 = next(c for c in cov["controls"] if c["id"] == "KMS.3")
    assert kms3["check"] == "partial" and "scheduled for deletion" in kms3["missing"]


def test_an_unknown_keeps_a_control_from_passing():
    cov = coverage(results(), "nist-800-53-r5", RULES)
    sc28 = next(c for c in cov["controls"] if c["id"] == "SC-28")
    # secretsmanager-secret-kms-cmk maps to SC-28 and is unknown for preview-secret; the
    # lambda environment rule fails it anyway.
    assert sc28["counts"]["unknown"] == 1 and sc28["status"] == "failing"
    only_unknown = [r for r in results() if r.policy == "secretsmanager-secret-kms-cmk"]
    sc28 = next(c for c in coverage(only_unknown, "nist-800-53-r5", RULES)["controls"] if c["id"] == "SC-28")
    assert sc28["status"] == "not_evaluated"


def test_unknown_framework_is_a_one_line_error():
    with pytest.raises(ValueError, match=r"^unknown framework 'sox'; choose one of: aws-fsbp, "):
        coverage([], "sox", RULES)


def test_frameworks_import_nothing_from_rules_or_registry():
    """The catalogue is facts: rules import it, so it must not import them back (issue 17's cycle)."""
    import ast
    import inspect

    import policypack.frameworks as fw

    tree = ast.parse(inspect.getsource(fw))
    imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not {m for m in imported if "registry" in m or "rules" in m or "report" in m}, imported
