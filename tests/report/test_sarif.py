import json
from pathlib import Path

import jsonschema
import pytest

from policypack.report import build, render

from .conftest import fixed_report

SCHEMA = json.loads((Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json").read_text())


def sarif(report):
    return json.loads(render("sarif", report))


@pytest.mark.parametrize("framework", [None, "aws-fsbp", "pci-dss-v4.0"])
def test_valid_against_the_official_schema(framework):
    jsonschema.Draft7Validator(SCHEMA).validate(sarif(fixed_report(framework)))


def test_empty_report_is_valid_too():
    doc = sarif(build([]))
    jsonschema.Draft7Validator(SCHEMA).validate(doc)
    assert doc["runs"][0]["results"] == []


def test_schema_is_strict_enough_to_catch_a_broken_document(report):
    doc = sarif(report)
    doc["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(SCHEMA).validate(doc)


def test_one_rule_per_policy_with_metadata(report):
    driver = sarif(report)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "keyguard" and driver["version"] == "0.0.0-golden"
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == [p["name"] for p in report["policies"]]
    kms = next(r for r in driver["rules"] if r["id"] == "kms-key-rotation-enabled")
    assert kms["shortDescription"]["text"] and kms["fullDescription"]["text"]
    assert kms["help"]["text"] and "**Remediation:**" in kms["help"]["markdown"]
    assert kms["helpUri"].startswith("https://")
    props = kms["properties"]
    assert props["severity"] == "medium" and props["security-severity"] == "5.5"
    assert {"aws-fsbp:KMS.4", "cis-aws-v3.0.0:3.6", "nist-800-53-r5:SC-12", "pci-dss-v4.0:3.7.4"} <= set(props["controls"])
    assert set(props["controls"]) <= set(props["tags"])


def test_results_levels_locations_and_suppressions(report):
    run = sarif(report)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    by = {}
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        loc = res["locations"][0]
        assert loc["logicalLocations"][0]["kind"] == "resource"
        assert loc["physicalLocation"]["artifactLocation"]["uri"] == "stacks/prod.json"
        by[(res["ruleId"], loc["logicalLocations"][0]["fullyQualifiedName"].rsplit("::", 1)[-1])] = res
    assert by[("kms-key-rotation-enabled", "legacy-key")]["level"] == "error"
    assert by[("kms-key-deletion-window", "legacy-key")]["level"] == "warning"  # advisory
    assert by[("secretsmanager-secret-kms-cmk", "preview-secret")]["level"] == "note"  # unknown
    waived = by[("iam-policy-no-admin-wildcard", "admin")]
    assert waived["suppressions"] == [{"kind": "external", "justification": "break-glass policy, tracked in SEC-142"}]
    assert sum(1 for r in run["results"] if "suppressions" in r) == 1
    assert len(run["results"]) == len(report["findings"])


def test_no_physical_location_when_sources_are_ambiguous(report):
    report["sources"] = ["a.json", "b.json"]
    run = sarif(report)["runs"][0]
    assert all("physicalLocation" not in r["locations"][0] for r in run["results"])
    jsonschema.Draft7Validator(SCHEMA).validate(sarif(report))


def test_findings_of_another_pack_get_a_rule(report):
    report["findings"].append({**report["findings"][0], "policy": "other-pack-rule", "controls": {}})
    doc = sarif(report)
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    last = doc["runs"][0]["results"][-1]
    assert rules[last["ruleIndex"]]["id"] == "other-pack-rule"
    jsonschema.Draft7Validator(SCHEMA).validate(doc)
