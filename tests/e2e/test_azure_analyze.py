"""`pulumi policy analyze` with the real CLI on the exports of examples/azure (run under mocks):
the engine reports exactly what `keyguard scan` reports on the same export. The engine needs no
Azure provider: analyze reads the imported state and never calls one."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Dict

import pytest

from policypack.inputs.program import run_program

from .e2e_engine import (REPO, decided_violations_of, export_of, scan_undecided_policies, scan_violations,
                        undecided_policies_of)

pytestmark = pytest.mark.e2e

PROGRAMS = {"azure-compliant": ("compliant", "dev"), "azure-noncompliant": ("noncompliant", None)}


@pytest.fixture(scope="module")
def azure_exports(tmp_path_factory) -> Dict[str, Path]:
    d = tmp_path_factory.mktemp("azure-exports")
    files = {}
    for stack, (folder, program_stack) in PROGRAMS.items():
        resources = run_program(str(REPO / "examples" / "azure" / folder), stack=program_stack)
        files[stack] = d / f"{stack}.json"
        files[stack].write_text(json.dumps(export_of(resources, f"keyguard-azure-{folder}", stack), indent=1))
    return files


@pytest.fixture(scope="module")
def azure_analyzed(engine, azure_exports):
    out = {}
    for name, f in azure_exports.items():
        cwd, stack = engine.import_stack(f)
        r, events = engine.analyze(cwd, stack)
        assert r.code in (0, 255, 1), str(r)
        out[name] = (r, events)
    return out


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_analyze_equals_keyguard_scan_on_azure(azure_analyzed, azure_exports, name):
    r, events = azure_analyzed[name]
    got = decided_violations_of(events)
    want = scan_violations(azure_exports[name])
    assert got == want, f"engine only: {sorted(got - want)}\nscan only: {sorted(want - got)}\n{r}"
    assert undecided_policies_of(events) == scan_undecided_policies(azure_exports[name]), str(r)
    assert (r.code != 0) == any(v.level == "mandatory" for v in got), str(r)


def test_compliant_azure_stack_has_no_violation(azure_analyzed):
    r, events = azure_analyzed["azure-compliant"]
    assert r.code == 0 and decided_violations_of(events) == set(), str(r)


def test_noncompliant_azure_stack_fails_with_its_twelve_findings(azure_analyzed):
    r, events = azure_analyzed["azure-noncompliant"]
    named = sorted((v.policy, v.urn.rsplit("::", 1)[-1], v.level) for v in decided_violations_of(events))
    assert r.code != 0, str(r)
    # examples/azure/noncompliant: two settings of one app are one violation per policy and
    # resource in the engine, so eleven (policy, resource) pairs carry the twelve findings.
    assert named == sorted([
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
    ]), str(r)
