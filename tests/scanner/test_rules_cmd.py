import json

from policypack.registry import RULES

from .conftest import keyguard


def _rows(*args):
    r = keyguard("rules", "--format", "json", *args)
    assert r.code == 0 and r.err == ""
    return json.loads(r.out)


def test_all_rules_in_registry_order():
    assert [x["policy"] for x in _rows()] == [r.name for r in RULES]


def test_filters():
    fsbp = _rows("--framework", "aws-fsbp")
    assert fsbp and all(x["controls"].get("aws-fsbp") for x in fsbp)
    assert {x["policy"] for x in fsbp} == {r.name for r in RULES if r.framework_controls("aws-fsbp")}
    crit = _rows("--severity", "critical")
    assert {x["policy"] for x in crit} == {r.name for r in RULES if r.severity == "critical"}
    kms = _rows("--service", "kms")
    assert "kms-key-rotation-enabled" in {x["policy"] for x in kms}
    assert all("kms" in x["services"] for x in kms) and "iam-no-user-policies" not in {x["policy"] for x in kms}
    both = _rows("--service", "secretsmanager", "--severity", "high")
    assert {x["policy"] for x in both} == {x["policy"] for x in _rows("--service", "secretsmanager")
                                           if x["severity"] == "high"}
    assert _rows("--service", "KMS") == kms  # services are matched case-insensitively


def test_unknown_service_is_a_usage_error_not_an_empty_list():
    r = keyguard("rules", "--service", "kmss")
    assert r.code == 2 and r.out == "" and len(r.err_lines) == 1
    assert r.err.startswith("keyguard: error: unknown service 'kmss' (choose from acm, ") and " kms," in r.err


def test_markdown_is_the_readme_policies_table():
    r = keyguard("rules", "--format", "markdown")
    lines = r.out.strip().splitlines()
    assert lines[0] == "| policy | kind | default level | severity | controls | config (default) |"
    body = lines[2:]
    assert len(body) == len(RULES)
    for line, rule in zip(body, RULES):
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        assert cells[:4] == [f"`{rule.name}`", rule.kind, rule.enforcement, rule.severity]
        for c in rule.controls:
            assert c.id in cells[4]
        for prop, schema in rule.config_schema.items():
            assert f"`{prop}` = `{json.dumps(schema['default'])}`" in cells[5]


def test_table_lists_the_policies():
    r = keyguard("rules", "--severity", "critical")
    assert r.code == 0 and f"{sum(1 for x in RULES if x.severity == 'critical')} policies" in r.out
