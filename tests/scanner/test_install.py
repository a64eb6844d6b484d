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


def test_a_project_without_pins_is_refused_in_one_line(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime:\n  name: python\n  options:\n    toolchain: poetry\n")
    with pytest.raises(InputError) as info:
        program_python(str(tmp_path), {"runtime": {"name": "python", "options": {"toolchain": "poetry"}}})
    assert str(info.value) == (f"{tmp_path}: --install found no pins to install for toolchain 'poetry' "
                               "(requirements.txt; pyproject.toml for uv and poetry)")


def test_a_failed_install_leaves_nothing_behind(tmp_path, monkeypatch):
    monkeypatch.setenv("KEYGUARD_CACHE_DIR", str(tmp_path / "cache"))
    project = tmp_path / "p"
    project.mkdir()
    (project / "requirements.txt").write_text("./no-such-local-package\n")
    with pytest.raises(InputError) as info:
        program_python(str(project), {"runtime": "python"})
    assert "--install could not install the pins of requirements.txt" in str(info.value)
    assert "\n" not in str(info.value)
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


@pytest.mark.parametrize("spec,pip", [("^1.2.3", ">=1.2.3,<2.0.0"), ("^0.2.3", ">=0.2.3,<0.3.0"),
                                      ("^0.0.3", ">=0.0.3,<0.0.4"), ("~1.2.3", ">=1.2.3,<1.3.0"), ("~1", ">=1,<2"),
                                      (">=0.0.30", ">=0.0.30"), ("*", ""), ("1.4.0", "==1.4.0"),
                                      (">=4.0.0,<5.0.0", ">=4.0.0,<5.0.0"), ("~=3.1", "~=3.1")])
def test_poetry_constraints_become_pip_ranges(spec, pip):
    from policypack.inputs.install import poetry_constraint

    assert poetry_constraint(spec) == pip


def _project(tmp_path, toolchain, files):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return {"runtime": {"name": "python", "options": {"toolchain": toolchain}}}


def test_the_pins_of_each_toolchain(tmp_path):
    from policypack.inputs.install import _requirements

    doc = _project(tmp_path, "poetry", {"pyproject.toml": (
        '[tool.poetry.dependencies]\npython = "^3.11"\npulumi = "^3.0.0"\n'
        'pulumi-aws = {version = "^6.0", extras = ["x"]}\n')})
    assert _requirements(str(tmp_path), doc) == (str(tmp_path / "pyproject.toml"),
                                                 "pulumi>=3.0.0,<4.0.0\npulumi-aws[x]>=6.0,<7.0\n")
    (tmp_path / "pyproject.toml").unlink()
    doc = _project(tmp_path, "uv", {"pyproject.toml": '[project]\nname = "p"\ndependencies = ["pulumi>=3", "pulumi-aws<7"]\n'})
    assert _requirements(str(tmp_path), doc)[1] == "pulumi>=3\npulumi-aws<7\n"
    doc = _project(tmp_path, "uv", {"requirements.txt": "pulumi==3.272.0\n"})
    assert _requirements(str(tmp_path), doc) == (str(tmp_path / "requirements.txt"), "pulumi==3.272.0\n")


def test_a_lock_file_pins_each_dependency_to_the_version_it_resolved(tmp_path):
    """uv.lock and poetry.lock replay the author's resolution: a range becomes the one locked
    version (extras and markers kept); a name locked at several versions keeps its range."""
    from policypack.inputs.install import _requirements

    uv_lock = ('version = 1\n[[package]]\nname = "p"\nversion = "0.1.0"\nsource = { virtual = "." }\n'
               '[[package]]\nname = "pulumi"\nversion = "3.150.0"\n'
               '[[package]]\nname = "pulumi_aws"\nversion = "6.66.3"\n'
               '[[package]]\nname = "numpy"\nversion = "1.26.4"\n[[package]]\nname = "numpy"\nversion = "2.1.0"\n')
    doc = _project(tmp_path, "uv", {"pyproject.toml": (
        '[project]\nname = "p"\ndependencies = ["pulumi>=3", "pulumi-aws[x]<7 ; python_version >= \'3.9\'", '
        '"numpy", "requests>=2"]\n'), "uv.lock": uv_lock})
    source, text = _requirements(str(tmp_path), doc)
    assert source == f"{tmp_path / 'pyproject.toml'} and uv.lock"
    assert text == ("pulumi==3.150.0\npulumi-aws[x]==6.66.3 ; python_version >= '3.9'\nnumpy\nrequests>=2\n")
    (tmp_path / "pyproject.toml").unlink()
    (tmp_path / "uv.lock").unlink()
    doc = _project(tmp_path, "poetry", {
        "pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.11"\npulumi-aws = "^6.0"\n',
        "poetry.lock": '[[package]]\nname = "pulumi-aws"\nversion = "6.5.0"\n'})
    assert _requirements(str(tmp_path), doc)[1] == "pulumi-aws==6.5.0\n"
    # pip reads no lock file: a stray poetry.lock beside requirements.txt changes nothing.
    doc = _project(tmp_path, "pip", {"requirements.txt": "pulumi-aws>=6\n"})
    assert _requirements(str(tmp_path), doc)[1] == "pulumi-aws>=6\n"


def test_a_poetry_dependency_from_git_is_refused_in_one_line(tmp_path):
    from policypack.inputs.install import _requirements

    doc = _project(tmp_path, "poetry", {"pyproject.toml": (
        '[tool.poetry.dependencies]\nmine = {git = "https://example.com/mine.git"}\n')})
    with pytest.raises(InputError) as info:
        _requirements(str(tmp_path), doc)
    assert str(info.value) == f"{tmp_path / 'pyproject.toml'}: --install cannot install 'mine' from a path, a URL or git"
