"""`make demo`: the bundled stack passes its own pack; the seed program does not.

Both programs run under Pulumi mocks (no AWS account, no Pulumi CLI). The demo
prints the bundled stack's table (0 violations), then the non-compliant
example's violations, and writes the HTML report when that format exists.

Each program is scanned by `keyguard scan` in its own process: Pulumi's mock
runtime runs one program per process.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "noncompliant"
OUT = ROOT / "out"


class DemoError(RuntimeError):
    pass


def scan(project: Path) -> Dict:
    """The JSON report of one program, from `keyguard scan` in a child process."""
    proc = subprocess.run([sys.executable, "-m", "policypack.cli", "scan", str(project), "--format", "json"],
                          cwd=str(ROOT), capture_output=True, text=True, timeout=120)
    if proc.returncode not in (0, 1):
        raise DemoError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}")
    return json.loads(proc.stdout)


def main() -> int:
    from .cli import write_atomically
    from .report import FORMATS, render

    started = time.monotonic()
    try:
        print("== the bundled stack (infra/), run under Pulumi mocks")
        stack = scan(ROOT)
        print(render("table", stack), end="")
        print(f"\n== the seed program as written ({EXAMPLE.relative_to(ROOT)}), run under Pulumi mocks")
        bad = scan(EXAMPLE)
        print(render("table", bad), end="")
    except (DemoError, subprocess.TimeoutExpired, ValueError) as e:
        print(f"demo: error: {e}", file=sys.stderr)
        return 2
    if "html" in FORMATS:
        path = OUT / "report.html"
        try:
            OUT.mkdir(exist_ok=True)
            write_atomically(str(path), render("html", bad))
        except Exception as e:  # noqa: BLE001 - one line, like the CLI
            print(f"demo: error: cannot write {os.path.relpath(path)}: {type(e).__name__}: {e}", file=sys.stderr)
            return 2
        print(f"\nHTML report of the seed program: {os.path.relpath(path)}")
    print(f"\ndemo finished in {time.monotonic() - started:.1f}s")
    return 0 if stack["summary"]["mandatory_violations"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
