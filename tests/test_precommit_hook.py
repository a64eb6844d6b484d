"""The pre-commit hook (.pre-commit-hooks.yaml), run by the `pre-commit` tool itself on a
throwaway repository (issue 20 §1). `pre-commit try-repo` installs keyguard from this
checkout into its own environment, as a user's `.pre-commit-config.yaml` would, then runs
the hook on the repository's files. The first run installs (about 1.5 minutes, from PyPI);
the hook itself then judges stack files without running any program."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
PROGRAM = REPO / "tests" / "programs" / "ai_config"
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})


def _commit(work: Path, home: Path) -> "tuple[int, str, float]":
    started = time.perf_counter()
    proc = subprocess.run(["git", "commit", "-q", "-m", "stack config"], cwd=work, capture_output=True, text=True,
                          timeout=1200, env={**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1",
                                             "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                                             "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
                                             "PATH": f"{PRE_COMMIT.parent}{os.pathsep}{os.environ.get('PATH', '')}"})
    return proc.returncode, proc.stdout + proc.stderr, time.perf_counter() - started


def test_the_hook_blocks_a_commit_with_a_plaintext_key_and_lets_secure_values_through(tmp_path):
    # A user's setup: .pre-commit-config.yaml naming this repository at a commit, `pre-commit
    # install`, then `git commit`. The hook is this checkout's HEAD (CI's fresh clone of main).
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True,
                         check=True).stdout.strip()
    work = tmp_path / "repo"
    (work / "infra").mkdir(parents=True)
    _git(work, "init", "-q")
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO}\n    rev: {rev}\n    hooks:\n      - id: keyguard-stack-config\n")
    for f in ("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"):
        shutil.copy(PROGRAM / f, work / "infra" / f)
    (work / "README.md").write_text("not a stack file\n")
    home = tmp_path / "pre-commit-home"
    subprocess.run([str(PRE_COMMIT), "install"], cwd=work, check=True, capture_output=True,
                   env={**os.environ, "PRE_COMMIT_HOME": str(home)})
    _git(work, "add", ".")

    code, out, _ = _commit(work, home)  # the first run installs keyguard into the hook's environment
    assert code == 1, out
    assert "Failed" in out and "stack-config-no-plaintext-secrets" in out
    assert "'ai-config:openaiApiKey'" in out and "'ai-config:vectorStore.apiKey'" in out
    assert "sk-proj-" not in out and "not-random-but-named" not in out

    # The same keys set with --secret: the commit goes through.
    shutil.copy(PROGRAM / "Pulumi.prod.yaml", work / "infra" / "Pulumi.dev.yaml")
    _git(work, "add", ".")
    code, out, seconds = _commit(work, home)
    assert code == 0 and "Passed" in out, out
    print(f"\ngit commit through the installed hook: {seconds:.2f} s wall (pre-commit, git and keyguard)")
