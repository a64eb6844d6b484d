from junitparser import Failure, JUnitXml, Skipped

from policypack.report import render


def parse(tmp_path, report):
    path = tmp_path / "report.xml"
    path.write_text(render("junit", report), encoding="utf-8")
    return JUnitXml.fromfile(str(path))


def test_round_trip_with_junitparser(tmp_path, report):
    xml = parse(tmp_path, report)
    suites = {s.name: s for s in xml}
    assert list(suites) == [p["name"] for p in report["policies"]]
    pairs = {(r["policy"], r["urn"]) for r in report["results"]}
    assert sum(s.tests for s in xml) == len(pairs) == xml.tests
    kms = {c.name: c for c in suites["kms-key-rotation-enabled"]}
    assert set(kms) == {"data-key (aws:kms/key:Key)", "legacy-key (aws:kms/key:Key)"}
    assert kms["data-key (aws:kms/key:Key)"].is_passed
    [failure] = kms["legacy-key (aws:kms/key:Key)"].result
    assert isinstance(failure, Failure)
    assert failure.message == "key legacy-key does not set enableKeyRotation"
    assert failure.type == "mandatory/medium"
    assert "urn:pulumi:prod::payments::aws:kms/key:Key::legacy-key" in failure.text


def test_counts_match_the_report(tmp_path, report):
    xml = parse(tmp_path, report)
    failing_pairs = {(f["policy"], f["urn"]) for f in report["findings"] if f["status"] == "fail"}
    assert xml.failures == len(failing_pairs)
    assert sum(s.failures for s in xml) == xml.failures
    assert xml.errors == 0


def test_waived_unknown_and_not_applicable_are_skipped_with_reason(tmp_path, report):
    suites = {s.name: s for s in parse(tmp_path, report)}
    waived = {c.name: c for c in suites["iam-policy-no-admin-wildcard"]}["admin (aws:iam/policy:Policy)"]
    [skip] = waived.result
    assert isinstance(skip, Skipped) and skip.message == "waived: break-glass policy, tracked in SEC-142"
    unknown = {c.name: c for c in suites["secretsmanager-secret-kms-cmk"]}["preview-secret (aws:secretsmanager/secret:Secret)"]
    assert unknown.result[0].message.startswith("not evaluated: ")
    na = {c.name: c for c in suites["iam-policy-document-valid"]}["data-key (aws:kms/key:Key)"]
    assert na.result[0].message.startswith("not applicable")
