"""`keyguard scan DIR --install` (issue 20 §5): the program runs in a virtualenv of its own
requirements.txt, built once and cached by their hash. The slow test installs from PyPI."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from policypack.inputs import InputError
from policypack.inputs.install import env_key, program_python
from policypack.inputs.program import ProgramOptions, run

from .conftest import keyguard

PROGRAM = Path(__file__).resolve().parents[1] / "programs" / "pinned_env"


def test_the_cache_key_is_the_pins_not_their_order_or_comments():
    a = env_key("pulumi==3.272.0\npulumi-random==4.16.0\n")
    assert a == env_key("# pins\npulumi-random==4.16.0\n\npulumi==3.272.0")
    assert a != env_key("pulumi==3.272.0\npulumi-random==4.16.1\n")


def test_a_project_without_requirements_is_refused_in_one_line(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime:\n  name: python\n  options:\n    toolchain: poetry\n")
    with pytest.raises(InputError) as info:
        program_python(str(tmp_path), {"runtime": {"name": "python", "options": {"toolchain": "poetry"}}})
    assert str(info.value) == (f"{tmp_path}: --install needs a requirements.txt (toolchain 'poetry': uv and "
                               "poetry projects without one are not installed by keyguard yet)")


def test_a_failed_install_leaves_nothing_behind(tmp_path, monkeypatch):
    monkeypatch.setenv("KEYGUARD_CACHE_DIR", str(tmp_path / "cache"))
    project = tmp_path / "p"
    project.mkdir()
    (project / "requirements.txt").write_text("./no-such-local-package\n")
    with pytest.raises(InputError) as info:
        program_python(str(project), {"runtime": "python"})
    assert "--install could not install requirements.txt" in str(info.value) and "\n" not in str(info.value)
    assert list((tmp_path / "cache").iterdir()) == []


@pytest.mark.slow
def test_the_program_runs_with_its_own_pins_and_the_environment_is_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("KEYGUARD_CACHE_DIR", str(tmp_path / "cache"))
    # Without --install: keyguard's environment has no pulumi_random.
    result = keyguard("scan", PROGRAM)
    assert result.code == 2 and "imports 'pulumi_random'" in result.err

    result = keyguard("scan", PROGRAM, "--install", "--format", "json")
    assert result.code == 1, result.err
    findings = [(f["policy"], f["urn"].rsplit("::", 1)[-1]) for f in json.loads(result.out)["findings"]]
    assert findings == [("stack-exports-no-secrets", "pinned-env-dev")]

    started = time.perf_counter()
    ran = run(str(PROGRAM), ProgramOptions(install=True))
    assert time.perf_counter() - started < 60  # cached: nothing installed again
    (root,) = [r for r in ran.resources if r.type == "pulumi:pulumi:Stack"]
    assert root.props["randomVersion"] == "4.16.0"
    assert str(tmp_path / "cache") in ran.python
