"""`keyguard scan` and `make demo` run one pipeline (policypack/scan.py): the CLI adds
only usage checks and rendering, so its JSON report is the pipeline's report."""
from __future__ import annotations

import json

from policypack.config import resolve
from policypack.registry import RULES
from policypack.scan import scan

from .conftest import EVENT_LOG, EXPORT, keyguard


def test_cli_report_is_the_pipelines():
    paths = [str(EXPORT), str(EVENT_LOG)]
    done = scan(paths, resolve(RULES))
    r = keyguard("scan", *paths, "--format", "json")
    assert json.loads(r.out) == json.loads(json.dumps(done.report))
    assert r.code == (1 if done.failed else 0) == 1


def test_remediate_fails_the_scan_like_mandatory():
    """A remediate policy's violation counts as mandatory for the exit code too."""
    levels = {"all": "advisory"}
    assert not scan([str(EXPORT)], resolve(RULES, levels)).failed
    failing = {f["policy"] for f in scan([str(EXPORT)], resolve(RULES, levels)).report["findings"]
               if f["status"] == "fail"}
    assert failing
    done = scan([str(EXPORT)], resolve(RULES, {**levels, **{p: "remediate" for p in failing}}))
    assert done.failed
    assert done.report["summary"]["mandatory_violations"] == len(
        [f for f in done.report["findings"] if f["status"] == "fail"])
