import json

import pytest

from policypack.inputs import InputError, eventlog

from .conftest import EVENT_LOG, keyguard


def _results(text, source="log"):
    return eventlog.read(list(eventlog.json_values(text)), source)


def test_report_built_from_policy_events_only():
    r = keyguard("scan", EVENT_LOG, "--format", "json")
    assert r.code == 1, r.err
    report = json.loads(r.out)
    got = {(f["policy"], f["status"], f["enforcement"], f["severity"], f["urn"].rsplit("::", 1)[-1])
           for f in report["findings"]}
    assert got == {
        ("apigateway-api-key-generated", "fail", "mandatory", "high", "myApiKey"),
        ("apigateway-api-key-usage-plan", "fail", "advisory", "medium", "myApiKey"),
        ("secretsmanager-secret-kms-cmk", "fail", "mandatory", "high", "myApiSecret"),
        ("kms-key-rotation-enabled", "unknown", "advisory", "medium", "appKey"),
        ("aws-guard/s3-bucket-no-public-read", "fail", "mandatory", "critical", "models"),
        ("aws-guard/s3-bucket-logging-enabled", "fail", "advisory", "medium", "models"),
        ("stack-exports-no-secrets", "fail", "mandatory", "critical", "ai-api-dev"),
    }
    assert report["summary"]["mandatory_violations"] == 4  # the update's repeat of a preview violation counted once


def test_keyguard_events_carry_registry_metadata_and_others_do_not():
    report = json.loads(keyguard("scan", EVENT_LOG, "--format", "json").out)
    by = {f["policy"]: f for f in report["findings"]}
    assert by["apigateway-api-key-generated"]["controls"] == {
        "nist-800-53-r5": ["IA-5(7)"], "pci-dss-v4.0.1": ["8.6.2"], "pci-dss-v4.0": ["8.6.2"]}
    assert by["apigateway-api-key-generated"]["remediation"]
    assert by["aws-guard/s3-bucket-no-public-read"]["controls"] == {}
    assert by["aws-guard/s3-bucket-no-public-read"]["resource_type"] == "aws:s3/bucket:Bucket"


def test_remediation_event_is_a_fix_not_a_violation():
    res = [r for r in _results(EVENT_LOG.read_text()) if r.policy == "secretsmanager-secret-recovery-window"]
    assert len(res) == 1 and res[0].status.value == "pass"
    assert "recoveryWindowInDays" in res[0].message and "7" not in res[0].message.replace("recoveryWindowInDays", "")


def test_pretty_printed_json_stream_and_batches_read_alike():
    lines = [json.loads(line) for line in EVENT_LOG.read_text().splitlines()]
    compact = _results(EVENT_LOG.read_text())
    pretty = _results("\n".join(json.dumps(e, indent=4) for e in lines))
    batch = _results(json.dumps({"events": lines}))
    assert compact == pretty == batch and len(compact) == 10  # 8 from policy events, 2 passes from summaries


def test_disabled_and_unknown_levels():
    ev = {"sequence": 1, "timestamp": 1, "policyEvent": {"resourceUrn": "urn:pulumi:s::p::aws:kms/key:Key::k",
          "message": "m", "policyName": "kms-key-rotation-enabled", "policyPackName": "keyguard",
          "policyPackVersion": "0.1.0", "enforcementLevel": "disabled"}}
    assert _results(json.dumps(ev)) == []
    ev["policyEvent"]["enforcementLevel"] = "loud"
    with pytest.raises(InputError, match="line 1: unknown enforcementLevel"):
        _results(json.dumps(ev))


@pytest.mark.parametrize("text,needle", [
    ('{"sequence": 1, "policyEvent": {"policyName": 3, "policyPackName": "x", "message": "m"}}\n',
     "line 1: policyName must be a string"),
    ('{"sequence": 0, "preludeEvent": {"config": {}}}\n{"sequence": 1, "policyEvent": [1]}\n',
     "line 2: policyEvent must be an object"),
    ('{"sequence": 0, "preludeEvent": {"config": {}}}\n{"sequence": 1, "policyEvent": {\n', "invalid JSON at line"),
])
def test_malformed_event_logs_are_one_line_errors(tmp_path, text, needle):
    f = tmp_path / "log.jsonl"
    f.write_text(text)
    r = keyguard("scan", f)
    assert r.code == 2 and len(r.err_lines) == 1 and needle in r.err, r.err


def test_future_event_kinds_are_skipped_not_refused():
    text = EVENT_LOG.read_text() + '{"sequence": 99, "timestamp": 1795770099, "newKindOfEvent": {"x": 1}}\n'
    assert _results(text) == _results(EVENT_LOG.read_text())


def test_summary_events_give_passes_for_coverage():
    res = _results(EVENT_LOG.read_text())
    passes = {(r.policy, r.urn.rsplit("::", 1)[-1], r.enforcement) for r in res
              if r.status.value == "pass" and not r.message}
    # The resource summary names myApiKey; the stack summary has no URN and lands on the root stack.
    assert passes == {("apigateway-api-key-stored-in-secret", "myApiKey", "mandatory"),
                      ("secretsmanager-secret-rotation-enabled", "ai-api-dev", "mandatory")}
    report = json.loads(keyguard("scan", EVENT_LOG, "--format", "json", "--framework", "aws-fsbp").out)
    status = {c["id"]: c["status"] for c in report["coverage"]["controls"]}
    assert status["SecretsManager.1"] == "passing"


def _event(seq, kind, body):
    return json.dumps({"sequence": seq, "timestamp": 1795770000 + seq, kind: body})


def test_a_summary_pass_never_hides_a_violation_and_other_packs_are_prefixed():
    urn = "urn:pulumi:dev::p::aws:kms/key:Key::k"
    text = "\n".join([
        _event(1, "policyEvent", {"resourceUrn": urn, "message": "rotation off", "policyName": "kms-key-rotation-enabled",
                                  "policyPackName": "keyguard", "policyPackVersion": "0.1.0",
                                  "enforcementLevel": "mandatory"}),
        # A later phase's summary lists the same policy as passed: the violation stands.
        _event(2, "policyAnalyzeSummaryEvent", {"resourceUrn": urn, "policyPackName": "keyguard",
                                                "passed": ["kms-key-rotation-enabled", "kms-key-deletion-window"]}),
        _event(3, "policyAnalyzeSummaryEvent", {"resourceUrn": urn, "policyPackName": "aws-guard",
                                                "passed": ["kms-key-rotation"]}),
        # No root stack resource in this log: the stack pass has no URN.
        _event(4, "policyAnalyzeStackSummaryEvent", {"policyPackName": "keyguard", "passed": ["stack-exports-no-secrets"]}),
    ])
    got = {(r.policy, r.status.value, r.urn) for r in _results(text)}
    assert got == {("kms-key-rotation-enabled", "fail", urn), ("kms-key-deletion-window", "pass", urn),
                   ("aws-guard/kms-key-rotation", "pass", urn), ("stack-exports-no-secrets", "pass", "")}


@pytest.mark.parametrize("body,needle", [
    ({"resourceUrn": "u", "policyPackName": "keyguard", "passed": "kms-key-deletion-window"}, "passed must be a list"),
    ({"resourceUrn": "u", "passed": []}, "policyPackName must be a string"),
])
def test_malformed_summary_events_are_one_line_errors(tmp_path, body, needle):
    f = tmp_path / "log.jsonl"
    f.write_text(_event(1, "policyAnalyzeSummaryEvent", body) + "\n")
    r = keyguard("scan", f)
    assert r.code == 2 and len(r.err_lines) == 1 and needle in r.err, r.err


def test_a_log_without_any_policy_pack_is_refused_not_a_clean_pass(tmp_path):
    f = tmp_path / "nopolicy.jsonl"
    f.write_text("\n".join([
        _event(0, "preludeEvent", {"config": {}}),
        _event(1, "summaryEvent", {"maybeCorrupt": False, "durationSeconds": 1, "resourceChanges": {"create": 3},
                                   "PolicyPacks": {}, "isPreview": True}),
    ]) + "\n")
    r = keyguard("scan", f)
    assert r.code == 2 and r.err_lines == [f"keyguard: error: {f}: no policy pack ran in this event log, "
                                           "so it proves nothing; run pulumi with --policy-pack"]


def test_a_clean_log_where_the_pack_ran_passes():
    text = "\n".join(line for line in EVENT_LOG.read_text().splitlines()
                        if "policyEvent" not in line and "policyRemediationEvent" not in line)
    assert all(r.status.value == "pass" for r in _results(text)) and _results(text)


def test_a_log_where_only_another_pack_ran_keeps_its_results_and_says_keyguard_did_not_run(tmp_path):
    urn = "urn:pulumi:dev::p::aws:s3/bucket:Bucket::models"
    f = tmp_path / "other.jsonl"
    f.write_text("\n".join([
        _event(1, "policyEvent", {"resourceUrn": urn, "message": "public", "policyName": "s3-no-public-read",
                                  "policyPackName": "aws-guard", "policyPackVersion": "0.0.4",
                                  "enforcementLevel": "advisory"}),
        _event(2, "summaryEvent", {"maybeCorrupt": False, "durationSeconds": 1, "resourceChanges": {},
                                   "PolicyPacks": {"aws-guard": "v0.0.4"}, "isPreview": True}),
    ]) + "\n")
    r = keyguard("scan", f, "--format", "json")
    report = json.loads(r.out)
    assert r.code == 0 and [x["policy"] for x in report["findings"]] == ["aws-guard/s3-no-public-read"]
    assert report["notes"] == [{"kind": "pack-not-run", "message": f"{f}: keyguard did not run (packs in the log: "
                                "aws-guard); its policies are not evaluated there"}]
    # The bundled log, where keyguard ran, has no such note.
    assert json.loads(keyguard("scan", EVENT_LOG, "--format", "json").out)["notes"] == []
