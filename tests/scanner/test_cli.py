import json
import os
import subprocess
import sys

import pytest

from policypack.report import FORMATS

from .conftest import EVENT_LOG, EXPORT, keyguard


def _compliant_export(tmp_path):
    """The fixture with its problems removed: a secret under a CMK, rotated, nothing leaked."""
    doc = json.loads(EXPORT.read_text())
    res = doc["deployment"]["resources"]
    root = res[0]
    del root["outputs"]["debug_api_key"], root["outputs"]["db_password"]
    doc["deployment"]["resources"] = [r for r in res if "apiKey" not in r["type"] and "secretVersion" not in r["type"]]
    f = tmp_path / "ok.json"
    f.write_text(json.dumps(doc))
    return f


def test_exit_0_without_mandatory_violations(tmp_path):
    f = _compliant_export(tmp_path)
    doc = json.loads(f.read_text())
    secret = next(r for r in doc["deployment"]["resources"] if r["type"].endswith(":Secret"))
    cfg = tmp_path / "cfg.json"
    # Advisory violations never fail the exit code.
    cfg.write_text(json.dumps({"secretsmanager-secret-kms-cmk": "advisory",
                               "secretsmanager-secret-rotation-enabled": "advisory"}))
    r = keyguard("scan", f, "--config", cfg, "--format", "json")
    assert r.code == 0, r.err
    s = json.loads(r.out)["summary"]
    assert s["mandatory_violations"] == 0 and s["advisory_violations"] == 2
    assert secret["urn"] in r.out


def test_exit_1_on_mandatory_violations():
    assert keyguard("scan", EXPORT).code == 1


def test_combined_inputs_make_one_report():
    r = keyguard("scan", EXPORT, EVENT_LOG, "--format", "json")
    report = json.loads(r.out)
    assert r.code == 1
    assert report["sources"] == [str(EXPORT), str(EVENT_LOG)]
    urns = {f["urn"].split("::")[0] for f in report["findings"]}
    assert urns == {"urn:pulumi:prod", "urn:pulumi:dev"}
    assert report["summary"]["mandatory_violations"] == 3 + 4


def test_output_file_written_whole(tmp_path):
    out = tmp_path / "r.json"
    r = keyguard("scan", EXPORT, "--format", "json", "--output", out)
    assert r.code == 1 and r.out == ""
    assert json.loads(out.read_text())["schema"] == "keyguard.report/v1"
    assert sorted(os.listdir(tmp_path)) == ["r.json"]


def test_output_to_a_pipe_writes_into_it_and_leaves_it_a_pipe(tmp_path):
    """--output /dev/null or a FIFO a CI step reads: renaming a temp file over it would
    replace the device with a regular file (it once turned /dev/null into one)."""
    import threading

    fifo = tmp_path / "report.pipe"
    os.mkfifo(fifo)
    got = {}
    reader = threading.Thread(target=lambda: got.setdefault("text", fifo.read_text()))
    reader.start()
    r = keyguard("scan", EXPORT, "--format", "json", "--output", fifo)
    reader.join(timeout=60)
    assert r.code == 1, r.err
    assert json.loads(got["text"])["schema"] == "keyguard.report/v1"
    import stat

    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(os.listdir(tmp_path)) == ["report.pipe"]


def test_output_file_gets_an_ordinary_mode_not_the_temp_files_0600(tmp_path):
    out = tmp_path / "r.json"
    old = os.umask(0o022)
    try:
        keyguard("scan", EXPORT, "--output", out)
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o644
    out.chmod(0o640)  # an existing report keeps the mode its owner chose
    keyguard("scan", EXPORT, "--output", out)
    assert out.stat().st_mode & 0o777 == 0o640


def test_the_same_input_named_twice_is_scanned_once(tmp_path):
    once = json.loads(keyguard("scan", EXPORT, "--format", "json").out)
    twice = json.loads(keyguard("scan", EXPORT, str(EXPORT.parent / "." / EXPORT.name), EXPORT,
                                "--format", "json").out)
    assert twice["sources"] == [str(EXPORT)]
    assert twice["summary"] == once["summary"] and twice["findings"] == once["findings"]


def test_all_sets_only_the_level(tmp_path):
    cfg = tmp_path / "cfg.json"
    # maxDays under "all" is ignored, as the engine ignores it; the level applies.
    cfg.write_text(json.dumps({"all": {"enforcementLevel": "advisory", "maxDays": 1}}))
    r = keyguard("scan", EXPORT, "--config", cfg, "--format", "json")
    assert r.code == 0, r.err
    report = json.loads(r.out)
    assert {f["enforcement"] for f in report["findings"] if f["status"] == "fail"} == {"advisory"}
    kms = [x for x in report["results"] if x["policy"] == "kms-key-rotation-enabled"]
    assert [x["status"] for x in kms] == ["pass"]  # maxDays 1 would have failed the 365-day key


def _bad_inputs(tmp_path):
    garbage = tmp_path / "garbage.txt"
    garbage.write_text("this is not json\n")
    other = tmp_path / "other.json"
    other.write_text('{"hello": "world"}')
    preview = tmp_path / "preview.json"
    preview.write_text(json.dumps({"config": {}, "steps": [], "diagnostics": [], "changeSummary": {}}))
    binary = tmp_path / "bin.dat"
    binary.write_bytes(b"\x80\x81\x00\xff")  # not UTF-8, and no BOM (\xff\xfe would announce UTF-16)
    emptydir = tmp_path / "dir"
    emptydir.mkdir()
    badcfg = tmp_path / "bad.json"
    badcfg.write_text('{"no-such-policy": "mandatory"}')
    badtype = tmp_path / "badtype.json"
    badtype.write_text('{"kms-key-rotation-enabled": {"maxDays": "ninety"}}')
    badwaiver = tmp_path / "w.yaml"
    badwaiver.write_text("- policy: kms-key-rotation-enabled\n  urn: '*'\n")
    e = str(EXPORT)
    return [
        (["scan", tmp_path / "missing.json"], "input not found"),
        (["scan", garbage], "neither a stack export nor an event log"),
        (["scan", other], "neither a stack export nor a Pulumi event log"),
        (["scan", preview], "pulumi preview --json"),
        (["scan", binary], "not a text file"),
        (["scan", emptydir], "without a Pulumi.yaml"),
        (["scan", e, "--format", "pdf"], "unknown format 'pdf'"),
        (["scan", e, "--framework", "iso-27001"], "unknown framework"),
        (["scan", e, "--config", badcfg], "unknown policies: no-such-policy"),
        (["scan", e, "--config", badtype], "maxDays must be of type integer"),
        (["scan", e, "--config", tmp_path / "nope.json"], "config file not found"),
        (["scan", e, "--waivers", badwaiver], "reason is required"),
        (["scan", e, "--output", tmp_path / "no" / "such" / "dir.json"], "output directory does not exist"),
        (["scan"], "required: PATH"),
        (["scan", e, "--bogus"], "unrecognized arguments"),
        (["frobnicate"], "invalid choice"),
        ([], "a command is required"),
        (["rules", "--severity", "extreme"], "unknown severity"),
        (["rules", "--format", "html"], "unknown format 'html' for rules"),
    ]


def test_bad_input_is_one_line_exit_2_no_output_file(tmp_path):
    out = tmp_path / "out" / "report.txt"
    out.parent.mkdir()
    cases = _bad_inputs(tmp_path)
    for argv, needle in cases:
        extra = ["--output", out] if argv and argv[0] == "scan" and "--output" not in argv and len(argv) > 1 else []
        r = keyguard(*argv, *extra)
        assert r.code == 2, (argv, r)
        assert len(r.err_lines) == 1 and r.err.startswith("keyguard: error: "), (argv, r.err)
        assert needle in r.err, (argv, r.err)
        assert "Traceback" not in r.err and r.out == ""
        assert os.listdir(out.parent) == [], argv


def test_format_missing_at_runtime_is_a_usage_error(monkeypatch):
    import policypack.report as report

    monkeypatch.setattr(report, "FORMATS", ("table",))
    r = keyguard("scan", EXPORT, "--format", "json")
    assert r.code == 2 and r.err_lines == ["keyguard: error: unknown format 'json' (available: table)"]


def test_a_module_that_fails_to_import_is_one_line_not_a_traceback(monkeypatch):
    # A broken install: the first lazy import in `run` fails before the input errors' classes
    # are bound, which once turned the handler itself into an UnboundLocalError traceback.
    monkeypatch.setitem(sys.modules, "policypack.config", None)
    r = keyguard("rules")
    assert r.code == 2 and len(r.err_lines) == 1, r
    assert r.err.startswith("keyguard: error: internal error: ModuleNotFoundError: "), r.err
    assert "policypack.config" in r.err and "Traceback" not in r.err and r.out == ""


def test_unexpected_failure_is_one_line_not_a_traceback(monkeypatch, tmp_path):
    import policypack.report as report

    def boom(fmt, rep):
        raise RuntimeError("renderer broke\nsecond line")
    monkeypatch.setattr(report, "render", boom)
    out = tmp_path / "r.txt"
    r = keyguard("scan", EXPORT, "--output", out)
    assert r.code == 2 and r.err_lines == ["keyguard: error: internal error: RuntimeError: renderer broke second line"]
    assert not out.exists() and os.listdir(tmp_path) == []


def test_console_script_process(tmp_path):
    """The installed entry point: exit codes and stderr as a real process sees them."""
    bad = tmp_path / "x.json"
    bad.write_text("[1, 2")
    proc = subprocess.run([sys.executable, "-m", "policypack.cli", "scan", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "policypack.cli", "scan", str(EXPORT)], capture_output=True, text=True)
    assert proc.returncode == 1 and "secretsmanager-secret-kms-cmk" in proc.stdout and proc.stderr == ""


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_available_format_renders(fmt):
    r = keyguard("scan", EXPORT, "--format", fmt)
    assert r.code == 1 and r.out and r.err == ""


class _Stdin:
    def __init__(self, data: bytes):
        import io

        self.buffer = io.BytesIO(data)


def test_stdin_input_keeps_plaintext_exports_off_the_disk(monkeypatch):
    monkeypatch.setattr(sys, "stdin", _Stdin(EXPORT.read_bytes()))
    piped = keyguard("scan", "-", "--format", "json")
    direct = keyguard("scan", EXPORT, "--format", "json")
    assert piped.code == direct.code == 1, piped.err
    assert json.loads(piped.out)["sources"] == ["-"]
    assert json.loads(piped.out)["findings"] == json.loads(direct.out)["findings"]


def test_stdin_errors_name_standard_input_and_stdin_is_read_once(monkeypatch):
    monkeypatch.setattr(sys, "stdin", _Stdin(b"[1, 2"))
    r = keyguard("scan", "-")
    assert r.code == 2 and r.err_lines == ["keyguard: error: standard input is neither a stack export nor an "
                                           "event log: invalid JSON at line 1: Expecting ',' delimiter"]
    r = keyguard("scan", "-", EXPORT, "-")
    assert r.code == 2 and r.err_lines == ["keyguard: error: standard input (-) can be scanned only once"]
