"""Fixtures for the e2e tests: the Pulumi CLI and its session-wide home and backend (see e2e_engine)."""
from __future__ import annotations

import os
import pytest

from .e2e_engine import REPO, Engine, find_cli

# No CLI outside CI: leave the modules out and say why once, instead of 48 skip lines.
# Under CI=true they are collected and the `engine` fixture fails each of them.
_CLI, _SOURCE = find_cli()
_SKIPPED = _CLI is None and os.environ.get("CI") != "true"
collect_ignore_glob = ["test_*.py"] if _SKIPPED else []


def pytest_terminal_summary(terminalreporter):
    if _SKIPPED:
        terminalreporter.write_line(f"tests/e2e skipped: {_SOURCE}")


@pytest.fixture(scope="session")
def engine(tmp_path_factory) -> Engine:
    cli, source = find_cli()
    if cli is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {source}", pytrace=False)
        pytest.skip(source)
    if not (REPO / ".venv" / "bin" / "python").is_file():
        pytest.fail("no .venv at the repository root: run `make venv`", pytrace=False)
    eng = Engine(cli, source, tmp_path_factory.mktemp("pulumi-e2e"))
    r = eng.run("version")
    assert r.code == 0, str(r)
    eng.version = r.out.strip()
    return eng


@pytest.fixture(scope="session")
def yaml_host(engine) -> str:
    """preview and up run a program: here a Pulumi YAML one (see tools/pulumi-yaml/go.mod)."""
    if not engine.yaml_host:
        why = "pulumi-language-yaml is not installed next to the CLI or on PATH (`make pulumi` builds it)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {why}", pytrace=False)
        pytest.skip(why)
    return engine.yaml_host
