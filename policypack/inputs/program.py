"""Run a Pulumi program (a directory holding Pulumi.yaml) under mocks and return its resources.

What runs: the program's own `__main__.py` (or `main:`), in a child process
(`_mockrun.py`, run by path), with the program's own interpreter: the virtualenv
Pulumi.yaml names in `runtime.options.virtualenv`, else a `venv` or `.venv` next to
Pulumi.yaml, else keyguard's. The SDK runs in preview mode against a recording
monitor (see _mockrun and _mockvalues): nothing reaches a cloud or a Pulumi backend.

Config: the project's defaults from Pulumi.yaml, then `Pulumi.<stack>.yaml` when a
stack is named (`secure:` values become unknown secrets: keyguard cannot decrypt
them), then the caller's `--set` values. A required value that is still missing is a
one-line error naming the key.

Environment: the caller's, without cloud credentials and Pulumi tokens (they are of
no use under mocks and a program's own code should not reach a cloud while keyguard
judges it) and without PYTHONPATH/PYTHONHOME (the program's interpreter has its own).

Time: everything after the project files are read runs under one deadline; at the
deadline the whole process group is ended (a program's background child included).

The child records what the engine would store: each resource's outputs, parent,
dependencies, propertyDependencies and additionalSecretOutputs, and the root stack
whose outputs are the exports. Props are the outputs, as in a stack export; `inputs`
are what the program passed, which resource rules judge as in the engine.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, cast

from ..model import Resource, from_engine
from ..records import from_record
from ..secrets.ai_formats import ENV_PLACEHOLDER
from ..secrets.catalogue import LITERAL_INPUT_EXCLUDED, SECRET_ATTRIBUTES
from . import InputError
from .stackconfig import full_key, project_file, read_yaml

DEFAULT_TIMEOUT = 120.0
UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
_RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_mockrun.py")
# Environment variables the program does not get (prefixes and names).
_WITHHELD_PREFIXES = ("AWS_", "AZURE_", "ARM_", "GOOGLE_", "GCLOUD_", "CLOUDSDK_", "PULUMI_")
_WITHHELD = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "GITHUB_TOKEN", "GH_TOKEN"}
_KEPT = {"AWS_REGION", "AWS_DEFAULT_REGION"}  # settings, not credentials: pulumi-aws reads its region there
DEFAULT_REGION = "us-east-1"


@dataclass(frozen=True)
class ProgramOptions:
    """How `keyguard scan DIR` runs a program: `--stack`, `--set` (in order), `--timeout`."""

    stack: Optional[str] = None
    values: Sequence[Tuple[str, str]] = ()
    timeout: float = DEFAULT_TIMEOUT
    # `--stack NAME` promises Pulumi.NAME.yaml; a caller that only names the stack says False.
    stack_file_required: bool = True
    # `--install`: run in the cached environment of the program's own pins (inputs/install.py).
    install: bool = False


@dataclass
class ProgramRun:
    resources: List[Resource]
    notes: List[Dict[str, str]] = field(default_factory=list)
    python: str = ""
    project: str = ""  # Pulumi.yaml's name, which the stack files' bare keys belong to


def _project_file(project_dir: str) -> str:
    path = project_file(project_dir)
    if path is None:
        raise InputError(f"{project_dir}: no Pulumi.yaml")
    return path


def _read_project(project_dir: str) -> Mapping[str, Any]:
    path = _project_file(project_dir)
    doc = read_yaml(path)
    if not isinstance(doc, Mapping) or not isinstance(doc.get("name"), str):
        raise InputError(f"{path}: not a Pulumi project (no name)")
    runtime = doc.get("runtime")
    runtime_name = runtime.get("name") if isinstance(runtime, Mapping) else runtime
    if runtime_name != "python":
        raise InputError(f"{path}: runtime {runtime_name!r} is not supported; only python programs run under mocks")
    return doc


def _as_config_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _config(project_dir: str, project: str, doc: Mapping[str, Any], options: ProgramOptions
            ) -> Tuple[Dict[str, str], List[str]]:
    """(PULUMI_CONFIG, secret keys): project defaults, the stack's file, then --set values."""
    out: Dict[str, str] = {}
    secret_keys: List[str] = []
    declared = doc.get("config")
    if isinstance(declared, Mapping):
        for key, spec in declared.items():
            if isinstance(spec, Mapping) and "default" in spec:
                default = spec["default"]
            elif isinstance(spec, Mapping) and "value" in spec:
                default = spec["value"]
            elif not isinstance(spec, Mapping):
                default = spec
            else:
                continue
            out[full_key(project, str(key))] = _as_config_value(default)
    if options.stack is not None:
        path = os.path.join(project_dir, f"Pulumi.{options.stack}.yaml")
        if not os.path.isfile(path) and options.stack_file_required:
            raise InputError(f"{project_dir}: no Pulumi.{options.stack}.yaml for stack {options.stack!r}")
        stack_doc = (read_yaml(path) or {}) if os.path.isfile(path) else {}
        values = stack_doc.get("config") if isinstance(stack_doc, Mapping) else None
        if values is not None and not isinstance(values, Mapping):
            raise InputError(f"{path}: config must be a mapping")
        for key, value in (values or {}).items():
            full = full_key(project, str(key))
            if isinstance(value, Mapping) and set(value) == {"secure"}:
                out[full] = UNKNOWN_SENTINEL  # encrypted: keyguard cannot read it
                secret_keys.append(full)
            else:
                out[full] = _as_config_value(value)
    for key, value in options.values:
        if not key:
            raise InputError("--set needs key=value with a non-empty key")
        out[full_key(project, key)] = value
    if "aws:region" not in out and not (os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")):
        # A deployment needs a region; the mocks' own is the default, as aws.config.region reads it.
        out["aws:region"] = DEFAULT_REGION
    return out, secret_keys


def _venv_python(venv: str) -> Optional[str]:
    for rel in (("bin", "python"), ("bin", "python3"), ("Scripts", "python.exe")):
        path = os.path.join(venv, *rel)
        if os.path.isfile(path):
            return path
    return None


def _interpreter(project_dir: str, doc: Mapping[str, Any]) -> Tuple[str, Optional[str], Optional[str]]:
    """(python, the program's virtualenv or None, a note): the program's own when it has one.
    A declared virtualenv that was never created (a fresh clone) falls back to keyguard's
    Python, and the note says so."""
    runtime = doc.get("runtime")
    options = runtime.get("options") if isinstance(runtime, Mapping) else None
    declared = options.get("virtualenv") if isinstance(options, Mapping) else None
    if isinstance(declared, str) and declared:
        venv = os.path.normpath(os.path.join(project_dir, declared))
        python = _venv_python(venv)
        if python is not None:
            return python, venv, None
        return sys.executable, None, (f"{project_dir}: the virtualenv {declared!r} that Pulumi.yaml names does not "
                                      f"exist; the program ran with keyguard's Python ({sys.executable})")
    for name in ("venv", ".venv"):
        venv = os.path.join(project_dir, name)
        python = _venv_python(venv)
        if python is not None:
            return python, venv, None
    return sys.executable, None, None


def _environment(config: Mapping[str, str], secret_keys: Sequence[str]) -> Dict[str, str]:
    from ..secrets.catalogue import NAME_PATTERNS, secret_like_name

    # Variables with a credential-like name never reach the program: it gets a placeholder
    # for each (_mockrun._placeholder_environment), whose flow the rules judge.
    env = {k: v for k, v in os.environ.items()
           if k in _KEPT or (k not in _WITHHELD and not k.startswith(_WITHHELD_PREFIXES) and not secret_like_name(k))}
    # No placeholder for the clouds' and the CLI's own credentials (they stay absent, as the SDK
    # expects under mocks) nor for PULUMI_CONFIG_<KEY>, how the SDK looks config up; a program's
    # own PULUMI_TEAM_TOKEN gets one.
    absent = tuple(p for p in _WITHHELD_PREFIXES if p != "PULUMI_") + ("PULUMI_CONFIG", "PULUMI_ACCESS_TOKEN")
    env["KEYGUARD_SECRET_NAMES"] = json.dumps({"patterns": NAME_PATTERNS, "withheld_prefixes": absent})
    env["PULUMI_CONFIG"] = json.dumps(dict(config))
    if secret_keys:
        env["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(list(secret_keys))
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _install_hint(module: str, project_dir: str, venv: Optional[str], python: str) -> str:
    pip = f"{venv}/bin/pip" if venv else f"{python} -m pip"
    requirements = os.path.join(project_dir, "requirements.txt")
    package = module.split(".")[0].replace("_", "-")
    if os.path.isfile(requirements):
        return f"{pip} install -r {requirements}  (or {pip} install {package})"
    return f"{pip} install {package}"


def _failure(err: Mapping[str, Any], project_dir: str, venv: Optional[str], python: str, project: str) -> str:
    kind = str(err.get("type") or "Error")
    message = " ".join(str(err.get("message") or "").split())
    where = f" at {err['where']}" if err.get("where") else ""
    if kind == "ModuleNotFoundError" and err.get("module"):
        module = str(err["module"])
        env_name = f"the program's virtualenv {venv}" if venv else f"keyguard's Python ({python})"
        return (f"{project_dir}: the program imports {module!r}{where}, which is not installed in {env_name}; "
                f"install it: {_install_hint(module, project_dir, venv, python)}")
    if kind == "ConfigMissingError" and err.get("key"):
        key = str(err["key"])
        short = key.split(":", 1)[1] if key.startswith(project + ":") else key
        return (f"{project_dir}: the program requires the configuration value {key!r}{where}; "
                f"pass --stack NAME to read it from Pulumi.NAME.yaml, or --set {short}=VALUE")
    sdk = err.get("sdk")
    if isinstance(sdk, Mapping) and sdk.get("package") and kind in ("TypeError", "AttributeError"):
        # Public programs written for an older provider major fail only for that.
        from .install import cache_root

        if venv and os.path.abspath(venv).startswith(os.path.abspath(cache_root()) + os.sep):
            fix = "its requirements.txt allows that version: pin the major the program was written for"
        else:
            fix = ("the program may be written for another major version of it and need its own pinned "
                   "environment (--install, or a virtualenv named in Pulumi.yaml)")
        return (f"{project_dir}: the program failed under mocks{where}: {kind}: {message}; it ran with "
                f"{sdk['package']} {sdk.get('version')}, which lacks that argument or attribute: {fix}")
    return f"{project_dir}: the program failed under mocks{where}: {kind}: {message}".rstrip(": ")


def _end_group(proc: "subprocess.Popen[bytes]") -> None:
    """End the child's whole process group (the program's own children too)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        pass


def run_program(project_dir: str, config: Optional[Mapping[str, str]] = None, stack: Optional[str] = None,
                timeout: Optional[float] = None, options: Optional[ProgramOptions] = None) -> List[Resource]:
    """Every resource the program registers, with the root stack's exports, as `Resource`s."""
    opts = options or ProgramOptions(stack=stack, values=tuple((config or {}).items()),
                                     timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
                                     stack_file_required=False)
    return run(project_dir, opts).resources


def run(project_dir: str, options: ProgramOptions = ProgramOptions()) -> ProgramRun:
    """Run the program under mocks: its resources, and notes on what the mocks could not show."""
    deadline = time.monotonic() + options.timeout
    project_dir = os.path.abspath(project_dir)
    doc = _read_project(project_dir)
    project = doc["name"]
    main = os.path.normpath(os.path.join(project_dir, str(doc.get("main") or ".")))
    if os.path.isdir(main):
        if not os.path.isfile(os.path.join(main, "__main__.py")):
            raise InputError(f"{main}: no __main__.py")
    elif not os.path.isfile(main):
        raise InputError(f"{project_dir}: main {doc.get('main')!r} does not exist")
    config, secret_keys = _config(project_dir, project, doc, options)
    python, venv, venv_note = _interpreter(project_dir, doc)
    if options.install:
        from .install import program_python

        python, installed, _ = program_python(project_dir, doc)
        venv, venv_note = installed, None
        deadline = time.monotonic() + options.timeout  # --timeout is the program's, not the install's
    env = _environment(config, secret_keys)
    stack_name = options.stack or "dev"

    fd, out_path = tempfile.mkstemp(prefix="keyguard-mockrun-", suffix=".json")
    os.close(fd)
    log = tempfile.TemporaryFile(prefix="keyguard-mockrun-", suffix=".log")
    try:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise InputError(f"{project_dir}: the program did not finish within {options.timeout:g} s")
        # Output goes to a file, not a pipe: a background child that keeps it open
        # cannot make keyguard wait for end-of-file.
        proc = subprocess.Popen([python, _RUNNER, main, project, stack_name, out_path],
                                cwd=main if os.path.isdir(main) else os.path.dirname(main), env=env,
                                stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
        try:
            code = proc.wait(timeout=remaining)
        except subprocess.TimeoutExpired:
            _end_group(proc)
            proc.wait()
            raise InputError(f"{project_dir}: the program did not finish within {options.timeout:g} s "
                             "(--timeout SECONDS sets the limit)") from None
        finally:
            _end_group(proc)  # whatever the program left running
        try:
            with open(out_path, encoding="utf-8") as fh:
                dumped = json.load(fh)
        except (OSError, ValueError):
            log.seek(0)
            lines = [ln for ln in log.read().decode("utf-8", "replace").splitlines() if ln.strip()]
            why = lines[-1].strip() if lines else f"exit status {code}"
            raise InputError(f"{project_dir}: the program run ended without a result ({why})") from None
        if not isinstance(dumped, Mapping):
            raise InputError(f"{project_dir}: the program run produced no readable result")
        if "error" in dumped:
            raise InputError(_failure(dumped["error"] or {}, project_dir, venv, python, project))
    finally:
        log.close()
        try:
            os.unlink(out_path)
        except OSError:
            pass
    notes = [{"kind": "virtualenv", "message": venv_note}] if venv_note else []
    notes += [{"kind": str(n.get("kind", "note")), "message": f"{project_dir}: {n.get('message', '')}"}
              for n in dumped.get("notes") or [] if isinstance(n, Mapping)]
    configured = [v for v in config.values() if v and v != UNKNOWN_SENTINEL]
    from .configreads import plain_read_notes

    notes += plain_read_notes(project_dir, project, dumped.get("plain_secret_reads") or [],
                              dumped.get("resources") or [], UNKNOWN_SENTINEL)
    return ProgramRun([_resource(rec, f"{project_dir}: resource {i}", configured)
                       for i, rec in enumerate(dumped.get("resources", []))], notes, python, project)


# Values that hold no secret: what programs write where the real value comes later.
_PLACEHOLDER = re.compile(r"(change[-_ ]?me|replace[-_ ]?me|placeholder|todo|tbd|dummy|example|secret|password|"
                          r"x+|\*+|0+|-+)", re.IGNORECASE)


def _from_config(value: str, configured: Sequence[str]) -> bool:
    # The environment's placeholder is read at run time, like config: not a literal.
    return any(value == c or (len(c) >= 8 and c in value) for c in configured) or ENV_PLACEHOLDER.prefix in value


def _literal_secret_inputs(rec: Mapping[str, Any], configured: Sequence[str]) -> List[str]:
    """Secret inputs the program wrote as literals: known strings, computed from no resource
    (no property dependency) and read from no config value."""
    if rec.get("type") in LITERAL_INPUT_EXCLUDED:
        return []
    inputs = rec.get("inputs") or {}
    deps = rec.get("propertyDependencies") or {}
    out = []
    for prop in SECRET_ATTRIBUTES.get(cast(str, rec.get("type")), ()):
        value = from_engine(inputs.get(prop))
        if isinstance(value, str) and value.strip() not in ("", "{}") and not deps.get(prop) \
                and not _PLACEHOLDER.fullmatch(value.strip()) and not _from_config(value, configured):
            out.append(prop)
    return out


def _resource(rec: Mapping[str, Any], where: str, configured: Sequence[str] = ()) -> Resource:
    # secrets.catalogue.written_in_program: a literal secret input depends on its own resource,
    # a link no engine makes.
    literal = {}
    if isinstance(rec, Mapping) and isinstance(rec.get("urn"), str):
        literal = {prop: (rec["urn"],) for prop in _literal_secret_inputs(rec, configured)}
    return from_record(rec, where, literal)
