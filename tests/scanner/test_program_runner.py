"""How `keyguard scan DIR` runs a program: its interpreter, its errors, its time limit, its YAML
(issues 11 and 13). Programs here are written into tmp_path for the one behaviour each shows."""
from __future__ import annotations

import subprocess
import sys
import sysconfig
import textwrap
import time
from pathlib import Path

import pytest

from policypack.inputs import InputError
from policypack.inputs.program import ProgramOptions, run
from policypack.waivers import WaiverError, load_file as load_waivers

from .conftest import keyguard

BOMB = textwrap.dedent("""\
    a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
    d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
    f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
    """)


def _project(tmp_path: Path, program: str, extra: str = "") -> Path:
    (tmp_path / "Pulumi.yaml").write_text(f"name: p\nruntime:\n  name: python\n{extra}")
    (tmp_path / "__main__.py").write_text(textwrap.dedent(program))
    return tmp_path


def _error(project: Path, **options) -> str:
    with pytest.raises(InputError) as info:
        run(str(project), ProgramOptions(**options))
    text = str(info.value)
    assert "\n" not in text and "Traceback" not in text
    return text


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            state = fh.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _ended(pid: int) -> bool:
    """Whether the process ends: SIGKILL is delivered, but the kernel may take a moment."""
    for _ in range(100):
        if not _running(pid):
            return True
        time.sleep(0.1)
    return False


def test_the_programs_own_exception_is_reported_whole(tmp_path):
    project = _project(tmp_path, """
        import pulumi
        import pulumi_aws as aws

        def check(name):
            raise ValueError(f"bucket names must be lower case: {name} is not")

        bucket = aws.s3.Bucket("data")
        pulumi.export("checked", bucket.bucket.apply(check))
    """)
    # Raised in an apply: the SDK wraps it ("While processing input: ... has risen") and keeps
    # no trace of the program's line; keyguard shows the program's exception, not the wrapper.
    text = _error(project)
    prefix = f"{project}: the program failed under mocks: ValueError: bucket names must be lower case: data-"
    assert text.startswith(prefix) and text.endswith(" is not") and " " not in text[len(prefix):-len(" is not")]


def test_an_exception_at_top_level_names_its_line(tmp_path):
    project = _project(tmp_path, "import pulumi\n\nraise KeyError('region')\n")
    assert _error(project) == f"{project}: the program failed under mocks at __main__.py:3: KeyError: 'region'"


def test_missing_module_names_the_package_and_the_install_command(tmp_path):
    project = _project(tmp_path, "import pulumi\nimport pulumi_random\n")
    assert _error(project) == (
        f"{project}: the program imports 'pulumi_random' at __main__.py:2, which is not installed in "
        f"keyguard's Python ({sys.executable}); install it: {sys.executable} -m pip install pulumi-random")


def _venv_with(tmp_path: Path, name: str, module_source: str) -> Path:
    """A virtualenv of the program's own: keyguard's packages (pulumi, pulumi_aws) through a .pth
    file, plus a module that only this virtualenv has."""
    venv = tmp_path / name
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    site = Path(subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True, timeout=60).stdout.strip())
    (site / "keyguard-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    (site / "acme_naming.py").write_text(module_source)
    return venv


def test_a_program_runs_in_its_own_virtualenv(tmp_path):
    project = _project(tmp_path, """
        import pulumi
        import pulumi_aws as aws
        import acme_naming  # only in the program's virtualenv

        aws.secretsmanager.Secret("token", name=acme_naming.name("token"), recovery_window_in_days=7)
    """, "  options:\n    virtualenv: env\n")
    _venv_with(tmp_path, "env", "def name(what):\n    return 'acme-prod-' + what\n")
    ran = run(str(project))
    assert ran.python == str(tmp_path / "env" / "bin" / "python")
    (secret,) = [r for r in ran.resources if r.type == "aws:secretsmanager/secret:Secret"]
    assert secret.props["name"] == "acme-prod-token"


def test_a_venv_next_to_the_program_is_used_and_its_missing_module_named(tmp_path):
    project = _project(tmp_path, "import pulumi\nimport acme_naming\nimport pulumi_tls\n")
    (tmp_path / "requirements.txt").write_text("pulumi\npulumi-tls\n")
    venv = _venv_with(tmp_path, "venv", "")
    assert _error(project) == (
        f"{project}: the program imports 'pulumi_tls' at __main__.py:3, which is not installed in the program's "
        f"virtualenv {venv}; install it: {venv}/bin/pip install -r {tmp_path / 'requirements.txt'}  "
        f"(or {venv}/bin/pip install pulumi-tls)")


def test_a_declared_virtualenv_that_does_not_exist_falls_back_with_a_note(tmp_path):
    project = _project(tmp_path, "import pulumi\npulumi.export('x', 1)\n", "  options:\n    virtualenv: venv\n")
    ran = run(str(project))
    assert ran.python == sys.executable
    assert [n["kind"] for n in ran.notes] == ["virtualenv"]
    assert "'venv' that Pulumi.yaml names does not exist" in ran.notes[0]["message"]


BACKGROUND = textwrap.dedent("""
    import subprocess, sys
    import pulumi
    # A background child that inherits the program's stdout and stderr and outlives it.
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    open("child.pid", "w").write(str(child.pid))
    pulumi.export("started", True)
""")


def test_a_background_child_holding_the_output_does_not_hold_the_scan(tmp_path):
    project = _project(tmp_path, BACKGROUND)
    # Were keyguard waiting for the end of the child's output, this would reach the limit and fail.
    ran = run(str(project), ProgramOptions(timeout=60))
    assert [dict(r.props) for r in ran.resources] == [{"started": True}]
    assert _ended(int((tmp_path / "child.pid").read_text()))


def test_timeout_kills_the_process_group(tmp_path):
    project = _project(tmp_path, BACKGROUND + "\nimport time\ntime.sleep(300)\n")
    result = keyguard("scan", project, "--timeout", "3")
    assert result.code == 2
    assert result.err_lines == [f"keyguard: error: {project}: the program did not finish within 3 s "
                                "(--timeout SECONDS sets the limit)"]
    assert _ended(int((tmp_path / "child.pid").read_text()))


@pytest.mark.parametrize("value", ["0", "-1", "soon"])
def test_timeout_must_be_positive_seconds(tmp_path, value):
    result = keyguard("scan", tmp_path, "--timeout", value)
    assert result.code == 2 and len(result.err_lines) == 1 and "--timeout" in result.err


def test_yaml_bomb_in_pulumi_yaml_is_refused(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n" + BOMB)
    (tmp_path / "__main__.py").write_text("import pulumi\n")
    assert _error(tmp_path) == (f"{tmp_path / 'Pulumi.yaml'}: refused: it expands to more than 100000 "
                                "nodes (aliases)")


def test_yaml_bomb_in_the_stack_file_is_refused(tmp_path):
    project = _project(tmp_path, "import pulumi\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  p:x: 1\n" + BOMB)
    assert _error(project, stack="dev") == (f"{tmp_path / 'Pulumi.dev.yaml'}: refused: it expands to more "
                                            "than 100000 nodes (aliases)")


def test_recursive_alias_and_oversized_project_file_are_refused(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\nloop: &l [*l]\n")
    (tmp_path / "__main__.py").write_text("import pulumi\n")
    assert _error(tmp_path).endswith("refused: a recursive alias")
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n# " + "x" * (1024 * 1024) + "\n")
    assert _error(tmp_path).endswith("refused: larger than 1024 KiB")


def test_yaml_bomb_in_waivers_is_refused(tmp_path):
    path = tmp_path / "waivers.yaml"
    path.write_text(BOMB)
    with pytest.raises(WaiverError) as info:
        load_waivers(str(path))
    assert str(info.value) == f"waiver file {path} is refused: it expands to more than 100000 nodes (aliases)"


def test_the_program_gets_no_cloud_credentials(tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-for-the-program")
    monkeypatch.setenv("PULUMI_ACCESS_TOKEN", "not-for-the-program")
    monkeypatch.setenv("KEYGUARD_TEST_SETTING", "kept")
    project = _project(tmp_path, """
        import os
        import pulumi
        pulumi.export("seen", sorted(k for k in ("AWS_SECRET_ACCESS_KEY", "PULUMI_ACCESS_TOKEN",
                                                 "KEYGUARD_TEST_SETTING") if k in os.environ))
    """)
    (root,) = run(str(project)).resources
    assert root.props == {"seen": ["KEYGUARD_TEST_SETTING"]}


def test_get_policy_document_arguments_the_provider_refuses_fail_the_program(tmp_path):
    project = _project(tmp_path, """
        import pulumi_aws as aws
        aws.iam.get_policy_document(statements=[{"sid": "X", "actions": ["s3:GetObject"]},
                                                {"sid": "X", "actions": ["s3:PutObject"]}])
    """)
    assert "invoke of aws:iam/getPolicyDocument:getPolicyDocument failed: statements have duplicate Sids" \
        in _error(project)
