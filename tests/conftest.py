"""Test tiers and layers, given here by folder, file or test function, so a new case in a slow
suite is slow without anyone remembering to mark it.

`make test` runs everything (CI); `make test-fast` deselects `slow` and `e2e`. `engine` marks the
harness layer (tests/engine/: the pack over gRPC as the engine speaks to it) and `e2e` the real
CLI (tests/e2e/), so `-m engine` or `-m e2e` runs one layer alone (docs/testing.md).

Every entry must name something that exists: a folder holding test files, a test file, or a test
function defined in that file. A moved or renamed test would otherwise drop out of its tier in
silence, so a stale entry stops the session with a usage error naming it.
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, Iterable, List, Sequence

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
    "engine/test_protocol.py::test_unknowns_never_add_a_mandatory_violation",
    "engine/test_protocol.py::test_unknowns_never_add_a_mandatory_violation_in_the_stack_phase",
    # Every example again through the second servicer and secret-wrapped: the fast tier keeps
    # each example through the engine (both servicers) and the rule-level examples.
    "engine/test_protocol.py::test_secret_wrapping_changes_no_answer",
    # The slow half of the hardening suites: hypothesis examples through the gRPC surface.
    "hardening/test_fuzz.py",
    # Hundreds of random stacks checked against a walk of the stack.
    "stack/test_stack_index.py",
)
# The layers of docs/testing.md that live in a folder of their own.
ENGINE = ("engine/",)
E2E = ("e2e/",)  # runs the real Pulumi CLI

MARKED: Dict[str, Sequence[str]] = {"slow": SLOW, "engine": ENGINE, "e2e": E2E}


def _test_functions(path: Path) -> set:
    """Names of the test functions a file defines, at module level or in a class."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {n.name for n in ast.walk(tree)
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name.startswith("test")}


def stale_entries(entries: Iterable[str], root: Path = TESTS) -> List[str]:
    """Each entry that names no test under `root`, with the reason."""
    stale = []
    for entry in entries:
        rel, _, func = entry.partition("::")
        path = root / rel
        if entry.endswith("/"):
            if not path.is_dir() or not any(path.rglob("test_*.py")):
                stale.append(f"{entry}: no folder with test files there")
        elif not path.is_file():
            stale.append(f"{entry}: no such file")
        elif func and func not in _test_functions(path):
            stale.append(f"{entry}: {rel} defines no test function {func}")
    return stale


def pytest_configure(config):
    stale = [f"{marker} {reason}" for marker, entries in MARKED.items() for reason in stale_entries(entries)]
    if stale:
        raise pytest.UsageError("tests/conftest.py lists tests that do not exist: " + "; ".join(stale))


def _matches(item: pytest.Item, entries) -> bool:
    try:
        rel = item.path.resolve().relative_to(TESTS).as_posix()
    except ValueError:
        return False
    here = f"{rel}::{getattr(item, 'originalname', item.name)}"
    return any(e == rel or e == here or (e.endswith("/") and rel.startswith(e)) for e in entries)


def pytest_collection_modifyitems(config, items):
    for item in items:
        for marker, entries in MARKED.items():
            if _matches(item, entries):
                item.add_marker(getattr(pytest.mark, marker))
