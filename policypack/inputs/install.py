"""`keyguard scan DIR --install`: the program's own environment, as its author pinned it.

A program written for pulumi-aws 6 fails under keyguard's pulumi-aws 7 only because of the
major; a CI job scanning many programs cannot rely on each having a virtualenv. `--install`
builds one as `pulumi install` would for a pip program: a virtualenv with the program's
`requirements.txt` installed (whatever `runtime.options.toolchain` says: uv and poetry
projects without a requirements.txt are refused with a one-line error). Environments are
cached under `$KEYGUARD_CACHE_DIR` (default `~/.cache/keyguard/envs`) by the hash of the
requirements and the Python version, so the second scan of the same program, or of any
program with the same pins, installs nothing. A failed install leaves nothing behind.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from typing import Any, List, Mapping, Tuple

from . import InputError

INSTALL_TIMEOUT = 900.0


def cache_root() -> str:
    return os.environ.get("KEYGUARD_CACHE_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "keyguard", "envs")


def _requirements(project_dir: str, doc: Mapping[str, Any]) -> Tuple[str, str]:
    """(path of requirements.txt, its text); a one-line error when there is none."""
    runtime = doc.get("runtime")
    options = runtime.get("options") if isinstance(runtime, Mapping) else None
    toolchain = options.get("toolchain", "pip") if isinstance(options, Mapping) else "pip"
    path = os.path.join(project_dir, "requirements.txt")
    if not os.path.isfile(path):
        raise InputError(f"{project_dir}: --install needs a requirements.txt (toolchain {toolchain!r}: "
                         "uv and poetry projects without one are not installed by keyguard yet)")
    with open(path, encoding="utf-8") as fh:
        return path, fh.read()


def env_key(requirements: str) -> str:
    pins = "\n".join(sorted(line.strip() for line in requirements.splitlines()
                            if line.strip() and not line.lstrip().startswith("#")))
    version = ".".join(map(str, sys.version_info[:3]))
    return hashlib.sha256(f"python {version}\n{pins}".encode()).hexdigest()[:24]


def _python_in(venv: str) -> str:
    return os.path.join(venv, "Scripts", "python.exe") if os.name == "nt" else os.path.join(venv, "bin", "python")


def program_python(project_dir: str, doc: Mapping[str, Any], timeout: float = INSTALL_TIMEOUT) -> Tuple[str, str, bool]:
    """(python, virtualenv, installed now): the cached environment of the program's pins."""
    path, text = _requirements(project_dir, doc)
    root = cache_root()
    venv = os.path.join(root, env_key(text))
    python = _python_in(venv)
    if os.path.isfile(os.path.join(venv, ".keyguard-ready")) and os.path.isfile(python):
        return python, venv, False
    os.makedirs(root, exist_ok=True)
    building = tempfile.mkdtemp(prefix="building-", dir=root)
    try:
        _run([sys.executable, "-m", "venv", building], project_dir, timeout, "create its virtualenv")
        # Paths inside a virtualenv are absolute: build it where it will live, then mark it ready.
        shutil.rmtree(venv, ignore_errors=True)
        os.rename(building, venv)
        _run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", path], project_dir, timeout,
             f"install {os.path.basename(path)}")
        with open(os.path.join(venv, ".keyguard-ready"), "w", encoding="utf-8") as fh:
            fh.write(text)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        shutil.rmtree(venv, ignore_errors=True)
        raise
    return python, venv, True


def _run(argv: List[str], project_dir: str, timeout: float, what: str) -> None:
    try:
        proc = subprocess.run(argv, cwd=project_dir, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise InputError(f"{project_dir}: --install could not {what} within {timeout:g} s") from None
    if proc.returncode != 0:
        lines = [ln.strip() for ln in (proc.stderr or proc.stdout).splitlines() if ln.strip()]
        why = lines[-1] if lines else f"exit status {proc.returncode}"
        raise InputError(f"{project_dir}: --install could not {what}: {why}")
