"""`keyguard scan DIR --install`: the program's own environment, as its author pinned it.

A program written for pulumi-aws 6 fails under keyguard's pulumi-aws 7 only because of the
major; a CI job scanning many programs cannot rely on each having a virtualenv. `--install`
builds one as `pulumi install` would: a virtualenv with the program's pins installed, from
`requirements.txt` or, for the uv and poetry toolchains (`runtime.options.toolchain`), from
`pyproject.toml` (see `_requirements`). Environments are
cached under `$KEYGUARD_CACHE_DIR` (default `~/.cache/keyguard/envs`) by the hash of the
requirements and the Python version, so the second scan of the same program, or of any
program with the same pins, installs nothing. A failed install leaves nothing behind.
"""
from __future__ import annotations

import hashlib
import importlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from typing import Any, Dict, List, Mapping, Optional, Set, Tuple, cast

from . import InputError

INSTALL_TIMEOUT = 900.0


def cache_root() -> str:
    return os.environ.get("KEYGUARD_CACHE_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "keyguard", "envs")


def _requirements(project_dir: str, doc: Mapping[str, Any]) -> Tuple[str, str]:
    """(where the pins come from, the pins as requirements.txt text), or a one-line error.

    pip: requirements.txt. uv: requirements.txt, else pyproject.toml's [project] dependencies.
    poetry: pyproject.toml's [tool.poetry.dependencies] (caret and tilde constraints spelt as
    pip ranges), else requirements.txt. With uv.lock (uv) or poetry.lock (poetry) beside them,
    each dependency is pinned to the one version its lock file resolved (`locked`): the
    provider major the author ran, not the newest a range allows.
    """
    runtime = doc.get("runtime")
    options = runtime.get("options") if isinstance(runtime, Mapping) else None
    toolchain = options.get("toolchain", "pip") if isinstance(options, Mapping) else "pip"
    txt = os.path.join(project_dir, "requirements.txt")
    pyproject = os.path.join(project_dir, "pyproject.toml")
    lock = os.path.join(project_dir, {"uv": "uv.lock", "poetry": "poetry.lock"}.get(str(toolchain), ""))
    lock = lock if os.path.isfile(lock) else ""
    found: Optional[Tuple[str, List[str]]] = None
    if toolchain == "poetry" and os.path.isfile(pyproject):
        found = pyproject, poetry_requirements(_toml(pyproject), pyproject)
    elif os.path.isfile(txt):
        with open(txt, encoding="utf-8") as fh:
            found = txt, fh.read().splitlines()
    elif toolchain == "uv" and os.path.isfile(pyproject):
        deps = (_toml(pyproject).get("project") or {}).get("dependencies") or []
        if isinstance(deps, list) and all(isinstance(d, str) for d in deps):
            found = pyproject, list(deps)
    if found is not None:
        source, lines = found
        if lock:
            source, lines = f"{source} and {os.path.basename(lock)}", locked(lines, _toml(lock))
        return source, "\n".join(lines) + "\n"
    raise InputError(f"{project_dir}: --install found no pins to install for toolchain {toolchain!r} "
                     "(requirements.txt; pyproject.toml for uv and poetry)")


def _toml(path: str) -> Mapping[str, Any]:
    try:
        tomllib = importlib.import_module("tomllib")  # the standard library's from Python 3.11
    except ImportError:
        raise InputError(f"{path}: --install reads pyproject.toml only under Python 3.11 or later") from None
    try:
        with open(path, "rb") as fh:
            doc = tomllib.load(fh)
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a readable pyproject.toml ({exc})") from None
    return cast(Mapping[str, Any], doc)


def _upper(version: str, caret: bool) -> str:
    """The exclusive upper bound of ^version (first non-zero part bumps) or ~version (minor bumps)."""
    parts = [int(p) if p.isdigit() else 0 for p in version.split(".")]
    if caret:
        i = next((n for n, p in enumerate(parts) if p != 0), len(parts) - 1)
    else:
        i = min(1, len(parts) - 1) if len(parts) > 1 else 0
    bumped = parts[:i] + [parts[i] + 1] + [0] * (len(parts) - i - 1)
    return ".".join(map(str, bumped))


def poetry_constraint(spec: str) -> str:
    """A poetry version constraint as a pip specifier: ^1.2 -> >=1.2,<2.0; ~1.2.3 -> >=1.2.3,<1.3.0."""
    out: List[str] = []
    for part in (p.strip() for p in spec.split(",")):
        if part in ("", "*"):
            continue
        if part.startswith("^"):
            out += [f">={part[1:]}", f"<{_upper(part[1:], caret=True)}"]
        elif part.startswith("~") and not part.startswith("~="):
            out += [f">={part[1:]}", f"<{_upper(part[1:], caret=False)}"]
        elif part[0].isdigit():
            out.append(f"=={part}")
        else:
            out.append(part)
    return ",".join(out)


def poetry_requirements(doc: Mapping[str, Any], path: str) -> List[str]:
    deps = ((doc.get("tool") or {}).get("poetry") or {}).get("dependencies") or {}
    out: List[str] = []
    for name, spec in deps.items():
        if name == "python":
            continue
        extras = ""
        if isinstance(spec, Mapping):
            if "version" not in spec:
                raise InputError(f"{path}: --install cannot install {name!r} from a path, a URL or git")
            extras = f"[{','.join(spec.get('extras') or [])}]" if spec.get("extras") else ""
            spec = spec["version"]
        if not isinstance(spec, str):
            raise InputError(f"{path}: --install cannot read the constraint of {name!r}")
        out.append(f"{name}{extras}{poetry_constraint(spec)}")
    return out


_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?([^;]*)(;.*)?$")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(requirements: List[str], lock: Mapping[str, Any]) -> List[str]:
    """`requirements` with each one the lock file resolved to a single version pinned to it
    (extras and environment markers kept). A name the lock lists at several versions (one per
    platform or Python) keeps its range: pip picks among them as the lock's resolver did."""
    versions: Dict[str, Set[str]] = {}
    for pkg in lock.get("package") or []:
        if isinstance(pkg, Mapping) and isinstance(pkg.get("name"), str) and isinstance(pkg.get("version"), str):
            versions.setdefault(_normal(pkg["name"]), set()).add(pkg["version"])
    out = []
    for line in requirements:
        m = _REQUIREMENT.match(line)
        if m is None or line.lstrip().startswith(("#", "-")):
            out.append(line)
            continue
        name, extras, _spec, marker = m.groups()
        pinned = versions.get(_normal(name), set())
        if len(pinned) == 1:
            out.append(f"{name}{extras or ''}=={next(iter(pinned))}{(' ' + marker) if marker else ''}")
        else:
            out.append(line)
    return out


def env_key(requirements: str) -> str:
    pins = "\n".join(sorted(line.strip() for line in requirements.splitlines()
                            if line.strip() and not line.lstrip().startswith("#")))
    version = ".".join(map(str, sys.version_info[:3]))
    return hashlib.sha256(f"python {version}\n{pins}".encode()).hexdigest()[:24]


def _python_in(venv: str) -> str:
    return os.path.join(venv, "Scripts", "python.exe") if os.name == "nt" else os.path.join(venv, "bin", "python")


def program_python(project_dir: str, doc: Mapping[str, Any], timeout: float = INSTALL_TIMEOUT) -> Tuple[str, str, bool]:
    """(python, virtualenv, installed now): the cached environment of the program's pins."""
    source, text = _requirements(project_dir, doc)
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
        pins = os.path.join(venv, "keyguard-requirements.txt")
        with open(pins, "w", encoding="utf-8") as fh:
            fh.write(text)
        _run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", pins], project_dir, timeout,
             f"install the pins of {os.path.basename(source)}")
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
