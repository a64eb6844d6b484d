"""`pulumi policy analyze` with the real CLI on the Google Cloud examples' exports.

examples/gcp/compliant and examples/gcp/noncompliant run under mocks, their resources become a
stack export, the export is imported into a stack of its own, and the engine's violations
(policy, URN, level) must be exactly those `keyguard scan` reports on the same export file.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Dict

import pytest

from policypack.inputs.program import run_program

from .e2e_engine import (REPO, decided_violations_of, export_of, scan_undecided_policies, scan_violations,
                        undecided_policies_of, violations_of)

pytestmark = pytest.mark.e2e

EXAMPLES = {"gcp-compliant": "compliant", "gcp-noncompliant": "noncompliant"}


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> Dict[str, Path]:
    d = tmp_path_factory.mktemp("gcp-exports")
    files = {}
    for name, folder in EXAMPLES.items():
        doc = export_of(run_program(str(REPO / "examples" / "gcp" / folder)), f"keyguard-{name}", name)
        files[name] = d / f"{name}.json"
        files[name].write_text(json.dumps(doc, indent=1))
    return files


@pytest.fixture(scope="module")
def analyzed(engine, exports):
    out = {}
    for name, f in exports.items():
        cwd, stack = engine.import_stack(f)
        r, events = engine.analyze(cwd, stack)
        assert r.code in (0, 255, 1), str(r)
        out[name] = (r, events)
    return out


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_analyze_equals_keyguard_scan(analyzed, exports, name):
    r, events = analyzed[name]
    got = decided_violations_of(events)
    want = scan_violations(exports[name])
    assert got == want, f"engine only: {sorted(got - want)}\nscan only: {sorted(want - got)}\n{r}"
    assert undecided_policies_of(events) == scan_undecided_policies(exports[name]), str(r)
    assert (r.code != 0) == any(v.level == "mandatory" for v in got), str(r)


def test_compliant_has_no_violation(analyzed):
    r, events = analyzed["gcp-compliant"]
    assert r.code == 0 and violations_of(events) == set(), str(r)


def test_noncompliant_fails_every_gcp_policy_in_the_engine(analyzed):
    r, events = analyzed["gcp-noncompliant"]
    named = {(v.policy, v.level, v.urn.rsplit("::", 1)[-1]) for v in violations_of(events)}
    assert r.code != 0
    assert named == {
        ("gcp-apikey-restricted", "mandatory", "gemini"),
        ("gcp-kms-crypto-key-not-public", "mandatory", "ring-open"),
        ("gcp-kms-crypto-key-rotation", "advisory", "data-key"),
        ("gcp-runtime-env-no-secrets", "mandatory", "chat"),
        ("gcp-secret-access-scoped", "mandatory", "chat-reads-all-secrets"),
        ("gcp-secretmanager-secret-cmek", "advisory", "gemini-api-key"),
        ("gcp-secretmanager-secret-not-public", "mandatory", "gemini-api-key-policy"),
        ("gcp-secretmanager-secret-rotation", "advisory", "gemini-api-key"),
        ("stack-exports-no-secrets", "mandatory", "keyguard-gcp-noncompliant-dev"),
    }, str(r)
