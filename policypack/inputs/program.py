"""Run a Pulumi program (a directory holding Pulumi.yaml) under mocks and return its resources.

The program runs in a child process (`policypack.inputs._mockrun`): the SDK and
most programs keep module state, so one process runs one program once. The
child records what the engine would store: each resource's outputs, parent,
dependencies, propertyDependencies and additionalSecretOutputs, and the root
stack whose outputs are the exports. Props are the outputs, as in a stack export;
`inputs` are what the program passed, which resource rules judge as in the engine.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from typing import Any, List, Mapping, Optional

import yaml

from ..model import Resource, from_engine
from . import InputError

# Seconds the last run_program call took (the child process, end to end).
last_run_seconds: float = 0.0


def _read_project(project_dir: str) -> Mapping[str, Any]:
    path = os.path.join(project_dir, "Pulumi.yaml")
    if not os.path.isfile(path):
        raise InputError(f"{project_dir}: no Pulumi.yaml")
    try:
        with open(path, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh)
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: not readable YAML ({type(exc).__name__})") from None
    if not isinstance(doc, Mapping) or not isinstance(doc.get("name"), str):
        raise InputError(f"{path}: not a Pulumi project (no name)")
    runtime = doc.get("runtime")
    runtime_name = runtime.get("name") if isinstance(runtime, Mapping) else runtime
    if runtime_name != "python":
        raise InputError(f"{path}: runtime {runtime_name!r} is not supported; only python programs run under mocks")
    return doc


def _config(project: str, doc: Mapping[str, Any], config: Optional[Mapping[str, str]]) -> dict:
    """PULUMI_CONFIG: project defaults from Pulumi.yaml, then the caller's values, keys namespaced."""
    out: dict = {}
    declared = doc.get("config")
    if isinstance(declared, Mapping):
        for key, spec in declared.items():
            full = key if ":" in key else f"{project}:{key}"
            if isinstance(spec, Mapping) and "default" in spec:
                default = spec["default"]
            elif isinstance(spec, Mapping) and "value" in spec:
                default = spec["value"]
            elif not isinstance(spec, Mapping):
                default = spec
            else:
                continue
            out[full] = default if isinstance(default, str) else json.dumps(default)
    for key, value in (config or {}).items():
        if not isinstance(key, str) or not key:
            raise InputError("config keys must be non-empty strings")
        full = key if ":" in key else f"{project}:{key}"
        out[full] = value if isinstance(value, str) else json.dumps(value)
    return out


def run_program(project_dir: str, config: Optional[Mapping[str, str]] = None, stack: str = "dev",
                timeout: float = 120.0) -> List[Resource]:
    """Every resource the program registers, with the root stack's exports, as `Resource`s."""
    global last_run_seconds
    project_dir = os.path.abspath(project_dir)
    doc = _read_project(project_dir)
    project = doc["name"]
    main = os.path.normpath(os.path.join(project_dir, str(doc.get("main") or ".")))
    if os.path.isdir(main):
        if not os.path.isfile(os.path.join(main, "__main__.py")):
            raise InputError(f"{main}: no __main__.py")
    elif not os.path.isfile(main):
        raise InputError(f"{project_dir}: main {doc.get('main')!r} does not exist")

    env = dict(os.environ)
    env["PULUMI_CONFIG"] = json.dumps(_config(project, doc, config))
    env.pop("PULUMI_CONFIG_SECRET_KEYS", None)
    fd, out_path = tempfile.mkstemp(prefix="keyguard-mockrun-", suffix=".json")
    os.close(fd)
    started = time.perf_counter()
    try:
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "policypack.inputs._mockrun", main, project, stack, out_path],
                cwd=main if os.path.isdir(main) else os.path.dirname(main), env=env,
                capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise InputError(f"{project_dir}: the program did not finish within {timeout:g} s") from None
        if proc.returncode != 0:
            lines = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()]
            why = lines[-1] if lines else f"exit status {proc.returncode}"
            raise InputError(f"{project_dir}: the program failed under mocks: {why}"[:500])
        try:
            with open(out_path, encoding="utf-8") as fh:
                dumped = json.load(fh)
        except (OSError, ValueError):
            raise InputError(f"{project_dir}: the program run produced no readable result") from None
    finally:
        last_run_seconds = time.perf_counter() - started
        try:
            os.unlink(out_path)
        except OSError:
            pass
    return [_resource(rec) for rec in dumped.get("resources", [])]


def _resource(rec: Mapping[str, Any]) -> Resource:
    urn = rec["urn"]
    return Resource(
        type=rec["type"],
        name=urn.split("::")[-1],
        urn=urn,
        props=from_engine(rec.get("outputs") or {}),
        id=rec.get("id"),
        parent=rec.get("parent"),
        dependencies=tuple(rec.get("dependencies") or ()),
        property_dependencies={k: tuple(v) for k, v in (rec.get("propertyDependencies") or {}).items()},
        additional_secret_outputs=tuple(rec.get("additionalSecretOutputs") or ()),
        custom=bool(rec.get("custom", True)),
        inputs=None if rec.get("inputs") is None else from_engine(rec["inputs"]),
    )
