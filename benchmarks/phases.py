"""Where a `keyguard scan` of an export spends its CPU, phase by phase, in a fresh process.

`keyguard scan --format json` does, in order: start the interpreter and import the scan
path; read and parse the file; decode each record into model resources; run the rules
(whose first use loads the IAM action index and detect-secrets' plugins, shown apart);
build the report; write it. The scan's own code is called phase by phase here, so each
phase's CPU can be read against `json.load` of the same file (the floor the goals use).
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Dict

from tests.engine.harness import VENV_PYTHON

PHASES = ("start and imports", "read and parse", "decode", "first-use tables", "rules", "build report",
          "write report")

# Runs in the child: process_time() at each boundary, the first reading including the
# interpreter's own start (process_time counts from the process's start).
_CHILD = r"""
import json, sys, time
T = time.process_time
marks = [T()]
from policypack.gcpause import paused_gc
with paused_gc():  # as the CLI imports (policypack/cli.py run)
    from policypack.config import resolve
    from policypack.evaluate import evaluate
    from policypack.inputs import eventlog, export
    from policypack.registry import RULES
    from policypack.report import build, write
marks.append(T())
with paused_gc():  # as the CLI scans files
    with open(sys.argv[1], encoding="utf-8") as f:
        values = list(eventlog.json_values(f.read()))
    marks.append(T())
    resources = export.read(values.pop()[1], sys.argv[1], consume=True)
    marks.append(T())
    # What the rules' first use loads: the IAM action index and the detect-secrets screen, from
    # their caches (detect-secrets itself only if a value passes the screen, during the rules).
    from policypack.iam import actions
    from policypack.secrets import formats
    actions._index(); formats._screen()
    marks.append(T())
    results = evaluate(resources, RULES, settings=resolve(RULES, None))
    marks.append(T())
    report = build(results, sources=[sys.argv[1]])
    marks.append(T())
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        write("json", report, out.write)
    marks.append(T())
print(json.dumps([marks[1]] + [b - a for a, b in zip(marks[1:], marks[2:])]))
"""


def scan_phases(export_path: Path, report_path: Path) -> Dict[str, float]:
    """CPU seconds per phase of one scan of `export_path`, in a fresh process."""
    out = subprocess.run([str(VENV_PYTHON), "-c", _CHILD, str(export_path), str(report_path)],
                         check=True, capture_output=True, text=True).stdout
    return dict(zip(PHASES, json.loads(out)))
