"""run_program's contract on bad input: InputError with one line, no traceback, nothing left behind."""
import glob
import os
import tempfile
import textwrap

import pytest

from policypack.inputs import InputError
from policypack.inputs.program import run_program

PROJECT = "name: p\nruntime:\n  name: python\n"


def _project(tmp_path, yaml_text=PROJECT, program=None):
    (tmp_path / "Pulumi.yaml").write_text(yaml_text)
    if program is not None:
        (tmp_path / "__main__.py").write_text(textwrap.dedent(program))
    return str(tmp_path)


@pytest.fixture(autouse=True)
def private_tempdir(tmp_path_factory, monkeypatch):
    # run_program's result file goes to the temp dir; a private one keeps other
    # processes' runs (parallel sessions, CI neighbours) out of the count below.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path_factory.mktemp("tmp")))


def _one_line_error(project_dir, **kwargs):
    pattern = os.path.join(tempfile.gettempdir(), "keyguard-mockrun-*")
    with pytest.raises(InputError) as err:
        run_program(project_dir, **kwargs)
    text = str(err.value)
    assert text and "\n" not in text and "Traceback" not in text
    assert glob.glob(pattern) == []  # the result file is removed on failure too
    return text


def test_missing_pulumi_yaml(tmp_path):
    assert "no Pulumi.yaml" in _one_line_error(str(tmp_path))


def test_runtime_other_than_python(tmp_path):
    assert "nodejs" in _one_line_error(_project(tmp_path, "name: p\nruntime: nodejs\n", ""))


def test_main_that_does_not_exist(tmp_path):
    assert "does not exist" in _one_line_error(_project(tmp_path, PROJECT + "main: nowhere/\n"))


def test_program_that_raises(tmp_path):
    text = _one_line_error(_project(tmp_path, program="raise RuntimeError('boom in the program')\n"))
    assert "RuntimeError: boom in the program" in text


def test_program_that_never_ends(tmp_path):
    text = _one_line_error(_project(tmp_path, program="import time\ntime.sleep(60)\n"), timeout=2)
    assert "did not finish within 2 s" in text


def test_minimal_program_honours_main_config_and_exports(tmp_path):
    (tmp_path / "src").mkdir()
    project = _project(tmp_path, PROJECT + "main: src/\nconfig:\n  greeting:\n    default: hi\n")
    (tmp_path / "src" / "__main__.py").write_text(textwrap.dedent("""
        import pulumi
        cfg = pulumi.Config()
        pulumi.export("greeting", cfg.require("greeting"))
        pulumi.export("who", cfg.get("who"))
    """))
    resources = run_program(project, config={"who": "world"}, stack="prod")
    root, = resources
    assert root.urn == "urn:pulumi:prod::p::pulumi:pulumi:Stack::p-prod"
    assert dict(root.props) == {"greeting": "hi", "who": "world"}
