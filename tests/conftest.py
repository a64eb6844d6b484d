"""Test tiers: `make test` runs everything (CI); `make test-fast` deselects the
`slow` and `e2e` markers, which are given here by folder, file or test function,
so a new case in a slow suite is slow without anyone remembering to mark it."""
from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent

SLOW = (
    # The rotation function on moto: the fault matrix and races replay whole rotations.
    "rotation/",
    # Programs run under mocks, one process each; the fast tier keeps test_program_input
    # (the bundled stack and the seed program).
    "scanner/test_real_programs.py",
    "scanner/test_program_runner.py",
    "scanner/test_azure_examples.py",  # examples/azure, compliant and non-compliant
    "scanner/test_mock_azure.py::test_ids_keys_and_findings_of_an_azure_program",
    # Each case runs a Pulumi program under mocks in a process of its own (about 1.5 s);
    # the fast tier still runs the bundled stack and the seed program once each.
    "stack/test_mutations.py::test_mutation_is_caught_by_exactly_its_policies",
    "scanner/test_program_input.py::test_demo_runs_under_a_minute",
    "stack/test_run_program.py::test_program_that_never_ends",  # waits for its timeout
    # Every value of every example made unknown in turn, through both servicers; the fast
    # tier keeps the coarser test_everything_unknown_adds_no_mandatory_violation.
    "test_engine_protocol.py::test_unknowns_never_add_a_mandatory_violation",
    "test_engine_protocol.py::test_unknowns_never_add_a_mandatory_violation_in_the_stack_phase",
    # Every example again through the second servicer and secret-wrapped: the fast tier keeps
    # each example through the engine (both servicers) and the rule-level examples.
    "test_engine_protocol.py::test_servicers_agree",
    "test_engine_protocol.py::test_secret_wrapping_changes_no_answer",
    # The slow half of the hardening suites: hypothesis examples through the gRPC surface.
    "hardening/test_fuzz.py",
    # Hundreds of random stacks checked against a walk of the stack.
    "stack/test_stack_index.py",
)
# Suites that run the real Pulumi CLI.
E2E = ("e2e/",)


def _matches(item: pytest.Item, entries) -> bool:
    try:
        rel = item.path.resolve().relative_to(TESTS).as_posix()
    except ValueError:
        return False
    here = f"{rel}::{getattr(item, 'originalname', item.name)}"
    return any(e == rel or e == here or (e.endswith("/") and rel.startswith(e)) for e in entries)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _matches(item, SLOW):
            item.add_marker(pytest.mark.slow)
        if _matches(item, E2E):
            item.add_marker(pytest.mark.e2e)
