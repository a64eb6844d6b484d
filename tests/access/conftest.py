"""The repository's stack, run once per session under mocks (as tests/stack runs it)."""
from pathlib import Path

import pytest

from policypack.inputs.program import run_program

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def stack_resources():
    return run_program(str(REPO))
