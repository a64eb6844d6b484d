"""The JSON contract of design.md, the Markdown comment layout and the table's coverage."""
import json

from policypack.report import build, render

from .conftest import fixed_report

CONTRACT = {"policy", "status", "enforcement", "severity", "urn", "resource_type", "message", "controls"}


def test_json_findings_follow_the_contract(report):
    doc = json.loads(render("json", report))
    assert doc["schema"] == "keyguard.report/v1"
    assert set(doc["pack"]) == {"name", "version"}
    assert doc["findings"], "the fixture has findings"
    for f in doc["findings"]:
        assert CONTRACT <= set(f)
        assert f["status"] in ("fail", "waived", "unknown")
        assert f["enforcement"] in ("mandatory", "advisory")
    statuses = {r["status"] for r in doc["results"]}
    assert statuses == {"pass", "fail", "waived", "unknown", "not_applicable"}
    assert len(doc["results"]) == sum(doc["summary"]["counts"].values())
    assert doc["coverage"]["framework"]["key"] == "aws-fsbp"


def test_remediate_reads_as_mandatory_in_every_output(tmp_path):
    """levels.py's one rule: a policy set to remediate reports its findings as mandatory, in
    the results, every report's findings and policies, `keyguard rules`, and the exit code."""
    from policypack.evaluate import evaluate, mandatory_violations
    from policypack.examples import R
    from policypack.registry import BY_NAME
    from policypack.rule_listing import row
    from policypack.tokens.aws import KMS_KEY

    rule = BY_NAME["kms-key-deletion-window"]
    results = evaluate([R(KMS_KEY, "k", {"deletionWindowInDays": 7}).build()], [rule],
                       {rule.name: "remediate"})
    assert [(r.status.value, r.enforcement) for r in results] == [("fail", "mandatory")]
    assert mandatory_violations(results) == results
    report = build(results, rules=[rule])
    assert [f["enforcement"] for f in report["findings"]] == ["mandatory"]
    assert report["summary"]["mandatory_violations"] == 1
    import dataclasses
    as_remediate = dataclasses.replace(rule, enforcement="remediate")
    assert build(results, rules=[as_remediate])["policies"][0]["enforcement"] == "mandatory"
    assert row(as_remediate)["enforcement"] == "mandatory"
    sarif = json.loads(render("sarif", report))
    assert sarif["runs"][0]["results"][0]["level"] == "error"


def test_markdown_groups_failures_by_severity_and_folds_passes(report):
    md = render("markdown", report)
    assert md.startswith("<!-- keyguard-report -->\n## keyguard: ❌ 7 mandatory violation(s)")
    heads = [line for line in md.splitlines() if line.startswith("#### ")]
    assert [h.split()[2] for h in heads] == ["Critical", "High", "Medium"]
    assert "#### 🟨 Medium (3)" in md
    passes = sum(1 for r in report["results"] if r["status"] == "pass")
    assert f"<details><summary>{passes} passed check(s)</summary>" in md
    assert md.index("<details>") > md.index("#### 🟨 Medium")
    assert "| KMS.4 | AWS KMS key rotation should be enabled | ❌ failing |" in md
    assert "break-glass policy, tracked in SEC-142" in md


def test_markdown_escapes_table_breakers(report):
    first_fail = next(f for f in report["findings"] if f["status"] == "fail")
    first_fail["message"] = "a | b\nc <script>"
    md = render("markdown", report)
    assert "a \\| b c &lt;script&gt;" in md and "<script>" not in md


def test_clean_report_says_so():
    md = render("markdown", build([]))
    assert "## keyguard: ✅ no violations" in md and "<details><summary>0 passed check(s)</summary>" in md
    assert render("table", build([])).startswith("keyguard: 0 violations")


def test_table_shows_coverage_when_asked():
    text = render("table", fixed_report("cis-aws-v3.0.0"))
    assert "CIS Amazon Web Services Foundations Benchmark 3.0.0" in text
    assert "manual controls" in text
    assert "CIS Amazon" not in render("table", build([]))


def test_every_format_renders_an_empty_report():
    from policypack.report import FORMATS

    for fmt in FORMATS:
        assert render(fmt, build([])).strip(), fmt


def test_html_escapes_report_text(report):
    report["findings"][0]["message"] = '<img src=x onerror="alert(1)">'
    html = render("html", report)
    assert '<img src=x' not in html and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html


def test_markdown_keeps_violations_of_unknown_severity(report):
    report["findings"].append({**report["findings"][1], "policy": "other-pack-rule", "severity": "",
                               "status": "fail", "controls": {}})
    md = render("markdown", report)
    assert "#### ⬜ Other (1)" in md and "`other-pack-rule`" in md


def test_markdown_caps_the_list_of_passes(fixed_results):
    import dataclasses

    from policypack.report import markdown

    one = next(r for r in fixed_results if r.status.value == "pass")
    many = [dataclasses.replace(one, urn=f"{one.urn}-{i}") for i in range(markdown.MAX_PASSES + 5)]
    md = render("markdown", build(many))
    assert f"<summary>{markdown.MAX_PASSES + 5} passed check(s)</summary>" in md
    assert "… and 5 more" in md
    assert md.count(f"| `{one.policy}` |") == markdown.MAX_PASSES


def test_policies_lists_the_pack_or_the_rules_given(fixed_results):
    from policypack.registry import RULES

    from .fixture import GOLDEN_RULES

    assert [p["name"] for p in build([])["policies"]] == [r.name for r in RULES]
    subset = build(fixed_results, framework="aws-fsbp", rules=GOLDEN_RULES)
    assert [p["name"] for p in subset["policies"]] == [r.name for r in GOLDEN_RULES]
    assert {p for row in subset["coverage"]["controls"] for p in row["policies"]} <= {r.name for r in GOLDEN_RULES}
