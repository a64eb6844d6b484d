"""`keyguard access` and `keyguard diff` through the CLI: formats, exit codes, bad input (scanner layer)."""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from policypack.cli import run
from policypack.examples import ACCOUNT, KEY_ARN, SECRET_ARN, allow, doc

DATA = Path(__file__).resolve().parents[1] / "data"
LAMBDA = doc({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"})


def cli(*argv: str) -> Tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _res(rtype: str, name: str, outputs: Dict[str, Any]) -> Dict[str, Any]:
    return {"urn": f"urn:pulumi:dev::p::{rtype}::{name}", "type": rtype, "custom": True, "id": name,
            "inputs": {}, "outputs": outputs}


def export(tmp: Path, name: str, *readers: str, extra: Tuple[Dict[str, Any], ...] = ()) -> Path:
    """A stack export with one CMK secret and a role per reader that can read it."""
    rs: List[Dict[str, Any]] = [
        _res("aws:secretsmanager/secret:Secret", "s", {"name": "api-key", "arn": SECRET_ARN, "kmsKeyId": KEY_ARN}),
        _res("aws:kms/key:Key", "k", {"arn": KEY_ARN, "keyId": "k1"})]
    for r in readers:
        rs.append(_res("aws:iam/role:Role", r, {"name": r, "arn": f"arn:aws:iam::{ACCOUNT}:role/{r}",
                                                "assumeRolePolicy": LAMBDA}))
        rs.append(_res("aws:iam/rolePolicy:RolePolicy", f"{r}-pol", {"role": r, "policy": doc(
            allow("secretsmanager:GetSecretValue", SECRET_ARN), allow("kms:Decrypt", KEY_ARN))}))
    rs.extend(extra)
    path = tmp / name
    path.write_text(json.dumps({"version": 3, "deployment": {"resources": rs}}))
    return path


def test_access_json_follows_the_contract(tmp_path):
    code, out, err = cli("access", str(export(tmp_path, "e.json", "app")), "--format", "json")
    assert code == 0, err
    d = json.loads(out)
    assert d["schema"] == "keyguard.access/v1"
    (s,) = d["secrets"]
    assert s["name"] == "api-key" and s["kms_key_urn"].endswith("::k")
    (r,) = s["readers"]
    assert {k: r[k] for k in ("principal", "kind", "via", "conditional")} == {
        "principal": "app", "kind": "role", "via": "identity", "conditional": False}
    assert r["principal_urn"].endswith("::app") and r["path"][-1] == s["urn"]
    assert [k["name"] for k in d["keys"]] == ["k"]


def test_access_markdown_draws_principals_to_secrets(tmp_path):
    code, out, _ = cli("access", str(export(tmp_path, "e.json", "app")), "--format", "markdown")
    assert code == 0
    assert "```mermaid\nflowchart LR" in out
    assert "-->|identity|" in out and "| `app` | role | identity | no |" in out


def test_access_html_escapes_and_table_names_reader(tmp_path):
    e = export(tmp_path, "e.json", "app")
    code, out, _ = cli("access", str(e), "--format", "html")
    assert code == 0 and out.startswith("<!doctype html>") and "<td>app</td>" in out
    code, out, _ = cli("access", str(e))
    assert code == 0 and "app" in out and "identity" in out


def test_access_secret_filter_and_output_file(tmp_path):
    e = export(tmp_path, "e.json", "app")
    out_file = tmp_path / "access.json"
    code, _, _ = cli("access", str(e), "--secret", SECRET_ARN, "--format", "json", "--output", str(out_file))
    d = json.loads(out_file.read_text())
    assert code == 0 and [s["name"] for s in d["secrets"]] == ["api-key"] and d["keys"] == []
    code, _, err = cli("access", str(e), "--secret", "nope")
    assert code == 2 and err.startswith("keyguard: error: no secret") and err.count("\n") == 1


@pytest.mark.parametrize("content, fault", [
    ("not json", "is not JSON"),
    ('{"a": 1}', "is neither a stack export, an event log, a program nor `pulumi preview --json` output"),
])
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, content, fault):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    for argv in (["access", str(bad)], ["diff", str(bad), str(bad)]):
        out_file = tmp_path / "out.txt"
        code, out, err = cli(*argv, "--output", str(out_file))
        assert code == 2 and fault in err and err.count("\n") == 1 and "Traceback" not in err
        assert not out_file.exists()


def test_diff_new_reader_exits_1_and_names_it(tmp_path):
    base, head = export(tmp_path, "b.json", "app"), export(tmp_path, "h.json", "app", "intruder")
    code, out, _ = cli("diff", str(base), str(head), "--format", "json")
    assert code == 1
    d = json.loads(out)
    assert d["schema"] == "keyguard.diff/v1"
    assert {(g["principal"], g["action"], g["resource"]) for g in d["new_access"]} == {
        ("intruder", "secret-read", "api-key"), ("intruder", "key-use", "k")}
    assert d["removed_access"] == []
    code, _, _ = cli("diff", str(head), str(base), "--format", "json")
    assert code == 0  # removing access never fails
    assert cli("diff", str(base), str(head), "--fail-on", "none")[0] == 0
    assert cli("diff", str(base), str(base), "--fail-on", "any")[0] == 0


def test_diff_permissions_management_and_escalation_are_new_access_of_their_own(tmp_path):
    base = export(tmp_path, "b.json", "app")
    esc = (_res("aws:iam/role:Role", "ci", {"name": "ci", "arn": f"arn:aws:iam::{ACCOUNT}:role/ci",
                                            "assumeRolePolicy": LAMBDA}),
           _res("aws:iam/rolePolicy:RolePolicy", "ci-pol", {"role": "ci", "policy": doc(
               allow("iam:PutRolePolicy", f"arn:aws:iam::{ACCOUNT}:role/app"))}))
    head = export(tmp_path, "h.json", "app", extra=esc)
    code, out, _ = cli("diff", str(base), str(head), "--format", "json", "--fail-on", "read")
    d = json.loads(out)
    got = {(g["principal"], g["action"], g["resource"]) for g in d["new_access"]}
    # iam:PutRolePolicy on one role: permissions management there, and no escalation method on its own.
    assert got == {("ci", "permissions-management", f"arn:aws:iam::{ACCOUNT}:role/app")}
    assert code == 0
    assert cli("diff", str(base), str(head), "--fail-on", "any")[0] == 1


def test_diff_reads_pulumi_preview_json_from_the_real_cli():
    # tests/data/preview-new-reader.json: `pulumi preview --json` of CLI 3.274.1 (stand-in provider)
    # after `up` of a role and a secret, for a change that adds a RolePolicy reading the secret.
    code, out, err = cli("diff", str(DATA / "preview-new-reader.json"), "--format", "json")
    assert code == 1, err
    d = json.loads(out)
    assert [(g["principal"], g["action"], g["via"]) for g in d["new_access"]] == [
        ("reader-33b5c10", "secret-read", "identity")]


def test_diff_markdown_and_sarif(tmp_path):
    base, head = export(tmp_path, "b.json", "app"), export(tmp_path, "h.json", "app", "intruder")
    code, out, _ = cli("diff", str(base), str(head), "--format", "markdown")
    assert "| `intruder` | secret-read | `api-key` | identity | no |" in out
    code, out, _ = cli("diff", str(base), str(head), "--format", "sarif")
    sarif = json.loads(out)
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["new-secret-read", "new-key-use"]


def test_diff_usage_errors(tmp_path):
    e = export(tmp_path, "e.json", "app")
    assert cli("diff", str(e))[0] == 2
    assert cli("diff", str(e), str(e), "--fail-on", "sometimes")[0] == 2
    assert cli("diff", str(e), str(e), "--format", "xml")[0] == 2


def test_access_reads_an_event_log():
    # tests/data/event-log.jsonl: a preview's events; each step's last state is the stack.
    code, out, err = cli("access", str(DATA / "event-log.jsonl"), "--format", "json")
    assert code == 0, err
    d = json.loads(out)
    assert [(s["name"], s["readers"]) for s in d["secrets"]] == [("myApiSecret", [])]
    assert [k["name"] for k in d["keys"]] == ["appKey"]


def test_diff_sarif_is_valid_sarif_2_1_0(tmp_path):
    import jsonschema

    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
    base, head = export(tmp_path, "b.json", "app"), export(tmp_path, "h.json", "app", "intruder")
    _, out, _ = cli("diff", str(base), str(head), "--format", "sarif")
    jsonschema.Draft7Validator(schema).validate(json.loads(out))


@pytest.mark.parametrize("readers, fault", [
    (["app"], "config for secretsmanager-secret-readers-allowlisted: readers must be of type object"),
    ({"api-*": "app"}, "config for secretsmanager-secret-readers-allowlisted: readers.api-* must be of type array"),
    ({"api-*": [1]}, "config for secretsmanager-secret-readers-allowlisted: readers.api-*[0] must be of type string"),
])
def test_a_bad_readers_config_is_one_line_exit_2(tmp_path, readers, fault):
    cfg = tmp_path / "config.json"
    cfg.write_text(json.dumps({"secretsmanager-secret-readers-allowlisted": {"readers": readers}}))
    out_file = tmp_path / "report.json"
    code, _, err = cli("scan", str(export(tmp_path, "e.json", "app")), "--config", str(cfg), "--output", str(out_file))
    assert code == 2 and err == f"keyguard: error: {fault}\n" and not out_file.exists()


def test_the_allowlist_in_the_scanner(tmp_path):
    cfg = tmp_path / "config.json"
    cfg.write_text(json.dumps({"secretsmanager-secret-readers-allowlisted": {"readers": {"api-*": ["app"]}}}))
    code, out, _ = cli("scan", str(export(tmp_path, "e.json", "app", "intruder")), "--config", str(cfg),
                       "--format", "json")
    mine = [f for f in json.loads(out)["findings"] if f["policy"] == "secretsmanager-secret-readers-allowlisted"]
    assert code == 1
    assert [(f["status"], f["urn"].rsplit("::", 1)[-1], f["message"]) for f in mine] == [
        ("fail", "s", "secret s: role intruder can read it and is not in config readers "
                      "(identity: intruder -> intruder-pol -> s)")]


def test_access_and_diff_of_files_judge_with_the_collector_paused(tmp_path, monkeypatch):
    # A 10,000-resource diff spent 1.4 s of 5.5 in collections that freed nothing (issue 23).
    import gc

    from policypack.access import diff, reach

    seen: List[bool] = []
    analyse = reach.analyse

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return analyse(*args, **kwargs)
    monkeypatch.setattr(reach, "analyse", watched)
    monkeypatch.setattr(diff, "analyse", watched)  # diff holds its own name for it
    base, head = export(tmp_path, "b.json", "app"), export(tmp_path, "h.json", "app", "intruder")
    assert cli("access", str(base), "--format", "json")[0] == 0
    assert cli("diff", str(base), str(head), "--format", "json")[0] == 1
    assert seen == [False, False, False] and gc.isenabled()


def test_the_collector_stays_on_for_a_program_directory(tmp_path):
    # Running a program under mocks (asyncio) makes cycles: the pause is for files only.
    import gc

    from policypack.gcpause import paused_unless_programs

    program = tmp_path / "prog"
    program.mkdir()
    with paused_unless_programs([str(tmp_path / "b.json"), str(program)]):
        assert gc.isenabled()
    with paused_unless_programs([str(tmp_path / "b.json"), "-"]):
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_large_diff_is_written_a_slice_at_a_time(tmp_path):
    # A 10,000-resource diff answered with 62 MB: held whole, it took the peak from 215 to 337 MiB.
    from policypack.access.diff import Diff, Grant, write
    from policypack.report.jsontext import _CHUNK

    new = [Grant(f"role-{i}", f"urn:role-{i}", "secret-read", ("secretsmanager:GetSecretValue",), "api-key",
                 "urn:s", "identity", (f"urn:role-{i}", "urn:s"), i % 2 == 0) for i in range(3 * _CHUNK + 1)]
    d = Diff(new, [])
    pieces: List[str] = []
    write("json", d, pieces.append)
    text = "".join(pieces)
    assert text == json.dumps(d.as_json(), indent=2) + "\n"
    assert len(pieces) >= 4 and max(map(len, pieces)) < len(text) / 2
    code, out, _ = cli("diff", str(export(tmp_path, "b.json", "app")), str(export(tmp_path, "h.json", "app", "x")),
                       "--format", "json", "--output", str(tmp_path / "d.json"))
    assert code == 1 and out == "" and json.loads((tmp_path / "d.json").read_text())["new_access"]


def test_access_and_diff_judge_by_the_pinned_day(tmp_path, monkeypatch):
    # Both read policypack/clock.py, so a pinned day reaches their date conditions as it reaches the scan's.
    import datetime as dt

    from policypack import clock
    from policypack.access import diff, reach

    days: List[Any] = []
    analyse = reach.analyse

    def watched(stack: Any, today: Any, **kwargs: Any) -> Any:
        days.append(today)
        return analyse(stack, today, **kwargs)
    monkeypatch.setattr(reach, "analyse", watched)
    monkeypatch.setattr(diff, "analyse", watched)
    base, head = export(tmp_path, "b.json", "app"), export(tmp_path, "h.json", "app", "intruder")
    with clock.pinned(dt.date(2031, 5, 6)):
        assert cli("access", str(base), "--format", "json")[0] == 0
        assert cli("diff", str(base), str(head), "--format", "json")[0] == 1
    assert days == [dt.date(2031, 5, 6)] * 3
