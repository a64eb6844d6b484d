import datetime as dt
import json

import pytest

from policypack import waivers as W
from policypack.config import ConfigError, resolve
from policypack.delivery import deliver
from policypack.model import Result, Status, failed, passed
from policypack.registry import BY_NAME, RULES

from .conftest import EXPORT, keyguard

SECRET_URN = "urn:pulumi:prod::ai-api::aws:secretsmanager/secret:Secret::myApiSecret"
TODAY = dt.date(2026, 11, 28)


def _w(policy="secretsmanager-secret-kms-cmk", urn=SECRET_URN, expires="2099-01-01", **kw):
    return W.parse_entry({"policy": policy, "urn": urn, "reason": "legacy consumer", "expires": expires,
                          "approver": "sec-team", **kw}, "test")


def _fail(policy="secretsmanager-secret-kms-cmk", urn=SECRET_URN):
    return Result(policy, Status.FAIL, urn, "aws:secretsmanager/secret:Secret", "m", enforcement="mandatory")


def test_live_waiver_waives_exact_and_glob():
    for urn in (SECRET_URN, "urn:pulumi:prod::ai-api::aws:secretsmanager/secret:Secret::*"):
        applied = W.apply([_fail()], [_w(urn=urn)], TODAY)
        assert [r.status for r in applied.results] == [Status.WAIVED]
        assert applied.expired == [] and applied.stale == []


def test_waiver_is_for_one_policy_and_only_for_failures():
    pass_result = Result("secretsmanager-secret-kms-cmk", Status.PASS, SECRET_URN, "t")
    applied = W.apply([_fail("kms-key-rotation-enabled"), pass_result], [_w()], TODAY)
    assert [r.status for r in applied.results] == [Status.FAIL, Status.PASS]
    assert [w.policy for w in applied.stale] == ["secretsmanager-secret-kms-cmk"]


def test_expired_waiver_waives_nothing_and_is_named():
    w = _w(expires="2026-11-27")
    applied = W.apply([_fail()], [w], TODAY)
    assert [r.status for r in applied.results] == [Status.FAIL]
    assert applied.expired == [w]
    assert "expired on 2026-11-27" in applied.notes()[0]["message"] and "test" in applied.notes()[0]["message"]
    # Good through its expiry day.
    assert not _w(expires="2026-11-28").expired(TODAY)


@pytest.mark.parametrize("entry,needle", [
    ({"urn": "*", "reason": "r", "expires": "2030-01-01", "approver": "a"}, "policy is required"),
    ({"policy": "p", "urn": "*", "reason": "r", "expires": "next year", "approver": "a"}, "YYYY-MM-DD"),
    ({"policy": "p", "urn": "*", "reason": "", "expires": "2030-01-01", "approver": "a"}, "reason is required"),
    ({"policy": "p", "urn": "*", "reason": "r", "approver": "a"}, "expires is required"),
    ({"policy": "p", "urn": "*", "reason": "r", "expires": "2030-01-01", "approver": "a", "x": 1}, "unknown field x"),
    ("just a string", "must be a mapping"),
])
def test_entry_validation(entry, needle):
    with pytest.raises(W.WaiverError, match=needle):
        W.parse_entry(entry, "waivers.yaml entry 1")


def _waiver_file(tmp_path, expires, policy="secretsmanager-secret-kms-cmk", urn=SECRET_URN):
    f = tmp_path / "waivers.yaml"
    f.write_text(f"""# approved exceptions
- policy: {policy}
  urn: "{urn}"
  reason: the legacy consumer cannot read a CMK-encrypted secret yet
  expires: {expires}
  approver: alice@example.com
""")
    return f


def test_scan_waived_finding_has_status_waived(tmp_path):
    r = keyguard("scan", EXPORT, "--waivers", _waiver_file(tmp_path, "2099-12-31"), "--format", "json")
    report = json.loads(r.out)
    kms = [f for f in report["findings"] if f["policy"] == "secretsmanager-secret-kms-cmk"]
    assert [f["status"] for f in kms] == ["waived"]
    assert report["summary"]["mandatory_violations"] == 2 and r.code == 1  # the others still fail


def test_scan_with_everything_waived_exits_0(tmp_path):
    f = tmp_path / "all.yaml"
    f.write_text("\n".join(
        f"- {{policy: {p}, urn: 'urn:pulumi:prod::*', reason: accepted risk, expires: 2099-01-01, approver: bob}}"
        for p in ("secretsmanager-secret-kms-cmk", "secretsmanager-secret-rotation-enabled",
                  "stack-exports-no-secrets")) + "\n")
    r = keyguard("scan", EXPORT, "--waivers", f, "--format", "json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["notes"] == []


def test_scan_expired_waiver_fails_loudly(tmp_path):
    r = keyguard("scan", EXPORT, "--waivers", _waiver_file(tmp_path, "2020-01-01"), "--format", "json")
    assert r.code == 1
    assert r.err_lines == [f"keyguard: expired waiver: {tmp_path / 'waivers.yaml'} entry 1: "
                           f"secretsmanager-secret-kms-cmk on {SECRET_URN} (approved by alice@example.com) "
                           "expired on 2020-01-01"]
    notes = json.loads(r.out)["notes"]
    assert [n["kind"] for n in notes] == ["expired-waiver"]


def test_scan_stale_waiver_is_noted(tmp_path):
    f = _waiver_file(tmp_path, "2099-12-31", urn="urn:pulumi:prod::ai-api::aws:secretsmanager/secret:Secret::gone")
    report = json.loads(keyguard("scan", EXPORT, "--waivers", f, "--format", "json").out)
    assert [n["kind"] for n in report["notes"]] == ["stale-waiver"] and "::gone" in report["notes"][0]["message"]


def test_scan_unknown_policy_in_waiver_file(tmp_path):
    r = keyguard("scan", EXPORT, "--waivers", _waiver_file(tmp_path, "2099-12-31", policy="no-such-policy"))
    assert r.code == 2 and r.err_lines == [f"keyguard: error: {tmp_path / 'waivers.yaml'} entry 1: "
                                           "unknown policy no-such-policy"]


def test_config_waivers_are_the_same_waivers(tmp_path):
    cfg = tmp_path / "cfg.json"
    cfg.write_text(json.dumps({"secretsmanager-secret-kms-cmk": {"waivers": [
        {"urn": SECRET_URN, "reason": "legacy", "expires": "2099-01-01", "approver": "alice"}]}}))
    report = json.loads(keyguard("scan", EXPORT, "--config", cfg, "--format", "json").out)
    assert [f["status"] for f in report["findings"] if f["policy"] == "secretsmanager-secret-kms-cmk"] == ["waived"]
    with pytest.raises(ConfigError, match="does not match the policy"):
        resolve(RULES, {"kms-key-rotation-enabled": {"waivers": [
            {"policy": "secretsmanager-secret-kms-cmk", "urn": "*", "reason": "r", "expires": "2099-01-01",
             "approver": "a"}]}})


# -- the CrossGuard path -------------------------------------------------------------

def _delivered(rule, outcomes, waivers, subject_urn=SECRET_URN):
    reported = []
    deliver(rule, outcomes, lambda msg, urn=None: reported.append(msg), lambda p: None, lambda r: None,
             subject_urn, waivers)
    return reported


def test_adapter_skips_waived_and_names_expired():
    rule = BY_NAME["secretsmanager-secret-kms-cmk"]
    assert _delivered(rule, [failed("no kmsKeyId")], [_w()]) == []
    msgs = _delivered(rule, [failed("no kmsKeyId")], [_w(expires="2020-01-01")])
    assert msgs == ["no kmsKeyId [waiver expired on 2020-01-01, approved by sec-team]"]
    assert _delivered(rule, [failed("no kmsKeyId"), passed()], [_w(urn="urn:other")]) == ["no kmsKeyId"]


def test_other_packs_violations_in_event_logs_can_be_waived(tmp_path):
    from .conftest import EVENT_LOG

    f = tmp_path / "w.yaml"
    f.write_text("- {policy: aws-guard/s3-bucket-no-public-read, urn: 'urn:pulumi:dev::ai-api::aws:s3/bucket:Bucket::*',"
                 " reason: public model mirror, expires: 2099-01-01, approver: carol}\n")
    report = json.loads(keyguard("scan", EVENT_LOG, "--waivers", f, "--format", "json").out)
    assert [x["status"] for x in report["findings"] if x["policy"] == "aws-guard/s3-bucket-no-public-read"] == ["waived"]


def test_engine_protocol_honours_waivers_config():
    from tests.engine.harness import PackProcess, example_resources

    rule = BY_NAME["secretsmanager-secret-kms-cmk"]
    bad = next(e for e in rule.examples if "fail" in e.statuses.values() and not e.config)
    res = example_resources(bad, False)
    failing = [r for r in res if bad.statuses.get(r.name) == "fail"][0]
    waiver = {"urn": "urn:pulumi:*", "reason": "legacy", "approver": "alice"}
    with PackProcess() as pack:
        pack.boot()
        pack.configure({})
        assert pack.analyze(failing).of(rule.name)
        pack.configure({rule.name: {"waivers": [dict(waiver, expires="2099-01-01")]}})
        assert pack.analyze(failing).of(rule.name) == []
        pack.configure({rule.name: {"waivers": [dict(waiver, expires="2020-01-01")]}})
        diags = pack.analyze(failing).of(rule.name)
        assert diags and "waiver expired on 2020-01-01" in diags[0].message


@pytest.mark.parametrize("expires,needle", [
    ("2026-13-01", "waivers.yaml entry 1: expires must be a date in the form YYYY-MM-DD"),
    ("2026-02-30", "waivers.yaml entry 1: expires must be a date in the form YYYY-MM-DD"),
    ("!!timestamp 2026-13-01", "waivers.yaml holds an invalid value"),
])
def test_impossible_expiry_dates_are_one_line_errors(tmp_path, expires, needle):
    r = keyguard("scan", EXPORT, "--waivers", _waiver_file(tmp_path, expires))
    assert r.code == 2 and len(r.err_lines) == 1 and needle in r.err and "internal error" not in r.err, r.err


def test_unquoted_timestamp_expiry_counts_for_its_day(tmp_path):
    [w] = W.load_file(str(_waiver_file(tmp_path, "2099-12-31 18:00:00")))
    assert w.expires.isoformat() == "2099-12-31"


def test_stale_and_expired_waivers_show_in_the_default_table(tmp_path):
    stale = _waiver_file(tmp_path, "2099-12-31", urn="urn:pulumi:prod::ai-api::aws:secretsmanager/secret:Secret::gone")
    r = keyguard("scan", EXPORT, "--waivers", stale)
    assert any(line.startswith("note (stale-waiver): waiver matches no violation:") for line in r.out.splitlines()), r.out
    r = keyguard("scan", EXPORT, "--waivers", _waiver_file(tmp_path, "2020-01-01"))
    assert r.code == 1 and "note (expired-waiver): waiver expired on 2020-01-01" in r.out
