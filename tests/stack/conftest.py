"""The repository's stack, run once per session under mocks, and patched copies of it."""
import shutil
from pathlib import Path
from typing import Iterable, Tuple

import pytest

from policypack.inputs.program import run_program

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def stack_resources():
    return run_program(str(REPO))


@pytest.fixture
def patched_copy():
    return _patched_copy


def _patched_copy(dest: Path, patches: Iterable[Tuple[str, str, str]]) -> Path:
    """Copy Pulumi.yaml and infra/ to dest and apply (file, old, new) text patches, each exactly once."""
    shutil.copy(REPO / "Pulumi.yaml", dest / "Pulumi.yaml")
    shutil.copytree(REPO / "infra", dest / "infra", ignore=shutil.ignore_patterns("__pycache__"))
    for rel, old, new in patches:
        path = dest / rel
        text = path.read_text()
        assert text.count(old) == 1, f"patch anchor not found exactly once in {rel}: {old!r}"
        path.write_text(text.replace(old, new))
    return dest
