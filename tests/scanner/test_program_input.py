"""Program directories, run under mocks by policypack.inputs.program (merged from its own branch).

Each scan runs in its own process: Pulumi's mock runtime runs one program per process.
"""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _scan(*args):
    proc = subprocess.run([sys.executable, "-m", "policypack.cli", "scan", *map(str, args)],
                          cwd=str(ROOT), capture_output=True, text=True, timeout=180)
    return proc


def test_seed_program_fails_kms_and_rotation():
    proc = _scan(ROOT / "examples" / "noncompliant", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    failing = {(f["policy"], f["urn"].rsplit("::", 1)[-1]) for f in json.loads(proc.stdout)["findings"]
               if f["status"] == "fail" and f["enforcement"] == "mandatory"}
    assert ("secretsmanager-secret-kms-cmk", "myApiSecret") in failing
    assert ("secretsmanager-secret-rotation-enabled", "myApiSecret") in failing


def test_bundled_stack_passes():
    proc = _scan(ROOT, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["summary"]["mandatory_violations"] == 0


def test_broken_program_is_one_line_exit_2(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: broken\nruntime: python\n")
    (tmp_path / "__main__.py").write_text("raise RuntimeError('boom')\n")
    out = tmp_path / "report.json"
    proc = _scan(tmp_path, "--output", out)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("keyguard: error: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert "Traceback" not in proc.stderr and not out.exists()


def test_demo_runs_under_a_minute():
    proc = subprocess.run([sys.executable, "-m", "policypack.demo"], cwd=str(ROOT), capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "keyguard: 0 violations" in proc.stdout
    assert "secretsmanager-secret-kms-cmk" in proc.stdout
