"""`pulumi policy analyze` with the real CLI on the exports of examples/azure and examples/gcp.

Each example runs under mocks, its resources become a stack export, the export is imported into
a stack of its own, and the engine's violations (policy, URN, level) must be exactly those
`keyguard scan` reports on the same export file. The engine needs no Azure or Google provider:
analyze reads the imported state and never calls one.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Dict

import pytest

from policypack.inputs.program import run_program

from tests.gcp.test_programs import NONCOMPLIANT as GCP_NONCOMPLIANT
from tests.scanner.test_azure_examples import NONCOMPLIANT as AZURE_NONCOMPLIANT

from .e2e_engine import (REPO, decided_violations_of, export_of, scan_undecided_policies, scan_violations,
                         undecided_policies_of, violations_of)

pytestmark = pytest.mark.e2e

# stack name -> (cloud, example folder, the program's own stack file to read, if any)
EXAMPLES = {
    "azure-compliant": ("azure", "compliant", "dev"),
    "azure-noncompliant": ("azure", "noncompliant", None),
    "gcp-compliant": ("gcp", "compliant", None),
    "gcp-noncompliant": ("gcp", "noncompliant", None),
}
# (policy, resource name, level) the engine reports on each non-compliant example: the sets the
# scanner's own tests expect of the same programs. Two findings of one Azure app's settings are
# one violation per policy and resource in the engine.
NONCOMPLIANT = {
    "azure-noncompliant": {(policy, name, level) for policy, name, level, _ in AZURE_NONCOMPLIANT},
    "gcp-noncompliant": GCP_NONCOMPLIANT,
}


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> Dict[str, Path]:
    d = tmp_path_factory.mktemp("cloud-exports")
    files = {}
    for name, (cloud, folder, program_stack) in EXAMPLES.items():
        resources = run_program(str(REPO / "examples" / cloud / folder), stack=program_stack)
        files[name] = d / f"{name}.json"
        files[name].write_text(json.dumps(export_of(resources, f"keyguard-{cloud}-{folder}", name), indent=1))
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


@pytest.mark.parametrize("name", ["azure-compliant", "gcp-compliant"])
def test_compliant_example_has_no_violation(analyzed, name):
    r, events = analyzed[name]
    assert r.code == 0 and violations_of(events) == set(), str(r)


@pytest.mark.parametrize("name", sorted(NONCOMPLIANT))
def test_noncompliant_example_fails_with_exactly_its_findings(analyzed, name):
    r, events = analyzed[name]
    assert r.code != 0, str(r)
    named = {(v.policy, v.urn.rsplit("::", 1)[-1], v.level) for v in violations_of(events)}
    assert named == NONCOMPLIANT[name], str(r)
