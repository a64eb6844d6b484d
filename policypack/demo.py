"""`make demo`: the bundled stack passes its own pack; the seed program does not.

Both programs run under Pulumi mocks (no AWS account, no Pulumi CLI). The demo
prints the bundled stack's table (0 violations), then the non-compliant
example's violations, and writes the HTML report when that format exists.

Each program is scanned by the pipeline `keyguard scan DIR` runs (scan.py);
run_program already gives every program a process of its own, as Pulumi's mock
runtime requires.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "noncompliant"
OUT = ROOT / "out"


def main() -> int:
    from .command import write_atomically
    from .config import resolve
    from .inputs import InputError
    from .registry import RULES
    from .report import FORMATS, render
    from .scan import scan

    started = time.monotonic()
    settings = resolve(RULES)  # the default config, as `keyguard scan DIR` without --config
    try:
        print("== the bundled stack (infra/), run under Pulumi mocks")
        stack = scan([str(ROOT)], settings)
        print(render("table", stack.report), end="")
        print(f"\n== the seed program as written ({EXAMPLE.relative_to(ROOT)}), run under Pulumi mocks")
        bad = scan([str(EXAMPLE)], settings)
        print(render("table", bad.report), end="")
    except InputError as e:
        print(f"demo: error: {e}", file=sys.stderr)
        return 2
    if "html" in FORMATS:
        path = OUT / "report.html"
        try:
            OUT.mkdir(exist_ok=True)
            write_atomically(str(path), render("html", bad.report))
        except Exception as e:  # noqa: BLE001 - one line, like the CLI
            print(f"demo: error: cannot write {os.path.relpath(path)}: {type(e).__name__}: {e}", file=sys.stderr)
            return 2
        print(f"\nHTML report of the seed program: {os.path.relpath(path)}")
    print(f"\ndemo finished in {time.monotonic() - started:.1f}s")
    return 1 if stack.failed else 0


if __name__ == "__main__":
    sys.exit(main())
