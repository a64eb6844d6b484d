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
# (policy, resource name, level) the engine reports on each non-compliant example.
NONCOMPLIANT = {
    # Two settings of one app are one violation per policy and resource in the engine, so eleven
    # (policy, resource) pairs carry the twelve findings keyguard scan lists.
    "azure-noncompliant": {
        ("azure-app-settings-no-secrets", "worker", "mandatory"),
        ("azure-cognitive-account-local-auth-disabled", "openai", "mandatory"),
        ("azure-cognitive-account-local-auth-disabled", "openai-classic", "mandatory"),
        ("azure-keyvault-key-rotation", "cmk", "advisory"),
        ("azure-keyvault-public-network-disabled", "kv-open", "mandatory"),
        ("azure-keyvault-rbac-authorization", "kv-open", "mandatory"),
        ("azure-keyvault-recoverable", "kv-open", "mandatory"),
        ("azure-keyvault-secret-expiration", "partner-api-key", "advisory"),
        ("azure-role-assignment-secrets-scoped", "deployer-owner", "mandatory"),
        ("azure-role-assignment-secrets-scoped", "readers-on-group", "mandatory"),
        ("stack-exports-no-secrets", "keyguard-azure-noncompliant-dev", "mandatory"),
    },
    "gcp-noncompliant": {
        ("gcp-apikey-restricted", "gemini", "mandatory"),
        ("gcp-kms-crypto-key-not-public", "ring-open", "mandatory"),
        ("gcp-kms-crypto-key-rotation", "data-key", "advisory"),
        ("gcp-runtime-env-no-secrets", "chat", "mandatory"),
        ("gcp-secret-access-scoped", "chat-reads-all-secrets", "mandatory"),
        ("gcp-secretmanager-secret-cmek", "gemini-api-key", "advisory"),
        ("gcp-secretmanager-secret-not-public", "gemini-api-key-policy", "mandatory"),
        ("gcp-secretmanager-secret-rotation", "gemini-api-key", "advisory"),
        ("stack-exports-no-secrets", "keyguard-gcp-noncompliant-dev", "mandatory"),
    },
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
