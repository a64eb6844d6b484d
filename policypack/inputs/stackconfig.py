"""A stack's configuration as one pseudo-resource, whichever source gives it.

stack-config-no-plaintext-secrets is a stack rule over the neutral model, so the
configuration reaches it as a `Resource` of type `STACK_CONFIG` whose props are
`config` (key -> value, objects kept as objects) and `secretKeys` (the keys set with
`--secret`). Its name says where it came from (`Pulumi.dev.yaml`, or `ConfigureStack`),
so a report names the file; the path of a finding names the key. Three sources:

- a `Pulumi.<stack>.yaml` file: `secure:` values are secret keys and their ciphertext is
  dropped (keyguard never needs it);
- a program directory: every stack file, or the one `--stack` names;
- the engine's ConfigureStack request (`config`, `config_secret_keys`); `policy analyze`
  sends none, so there the rule is not applicable.

The values of secret keys that the engine hands over in plaintext are kept apart, under
`secretValues`, as secret material of the stack: the same value in a Lambda variable is a
leak of that secret, found like any other (secrets/catalogue.py lists the property).
"""
from __future__ import annotations

import glob
import json
import os
import re
from typing import Any, Dict, Iterable, List, Mapping, Optional

from ..model import Resource
from ..tokens.common import STACK_CONFIG
from . import InputError

STACK_FILE = re.compile(r"Pulumi\.([^/\\]+)\.ya?ml")  # stack names may hold dots
# Shorter secret values ("true", "8080") would match unrelated values by equality.
MIN_SECRET_VALUE = 8


def config_resource(project: str, stack: str, name: str, values: Mapping[str, Any],
                    secret_keys: Iterable[str] = (), secret_values: Iterable[str] = ()) -> Resource:
    kept = [v for v in secret_values if isinstance(v, str) and len(v) >= MIN_SECRET_VALUE]
    props: Dict[str, Any] = {"config": dict(values), "secretKeys": sorted(set(secret_keys))}
    if kept:
        props["secretValues"] = kept
    return Resource(STACK_CONFIG, name, f"urn:pulumi:{stack}::{project}::{STACK_CONFIG}::{name}", props,
                    custom=False)


def is_stack_file(path: str) -> bool:
    return bool(STACK_FILE.fullmatch(os.path.basename(path)))


def full_key(project: str, key: str) -> str:
    """A config key as Pulumi names it: a bare key belongs to the project."""
    return key if ":" in key else f"{project}:{key}"


def read_yaml(path: str) -> Any:
    """A project or stack file's document, or one line saying why not (an `InputError`)."""
    # PyYAML is imported only to read a YAML file (about 12 ms): a scan of an export has none.
    import yaml

    from ..yamlsafe import YamlRefused, load_file

    try:
        return load_file(path)
    except YamlRefused as exc:
        raise InputError(f"{path}: refused: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"{path}: not valid YAML{f' at line {mark.line + 1}' if mark is not None else ''}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def project_file(project_dir: str) -> Optional[str]:
    """The directory's Pulumi.yaml (or Pulumi.yml), if it has one."""
    for name in ("Pulumi.yaml", "Pulumi.yml"):
        path = os.path.join(project_dir, name)
        if os.path.isfile(path):
            return path
    return None


def read_stack_file(path: str, project: Optional[str] = None) -> Resource:
    """A `Pulumi.<stack>.yaml` file's config. The project is Pulumi.yaml's name beside it,
    when there is one; a bare key is shown as written otherwise."""
    m = STACK_FILE.fullmatch(os.path.basename(path))
    if m is None:
        raise InputError(f"{path}: not a Pulumi.<stack>.yaml file")
    doc = read_yaml(path)
    if doc is None:
        doc = {}
    if not isinstance(doc, Mapping):
        raise InputError(f"{path}: not a stack settings file (expected a mapping with config:)")
    raw = doc.get("config") or {}
    if not isinstance(raw, Mapping):
        raise InputError(f"{path}: config must be a mapping")
    project = project if project is not None else _project_beside(path)
    values: Dict[str, Any] = {}
    secret: List[str] = []
    for key, value in raw.items():
        full = full_key(project, str(key)) if project else str(key)
        if isinstance(value, Mapping) and set(value) == {"secure"}:
            secret.append(full)
        else:
            values[full] = _drop_secure(value)
    return config_resource(project or "project", m.group(1), os.path.basename(path), values, secret)


def _drop_secure(value: Any) -> Any:
    """A nested `secure:` leaf (an object whose one field is secret) becomes a marker: its
    ciphertext is not material to judge."""
    if isinstance(value, Mapping):
        if set(value) == {"secure"}:
            return {"secure": "(encrypted)"}
        return {k: _drop_secure(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_drop_secure(v) for v in value]
    return value


def _project_beside(path: str) -> Optional[str]:
    """The name in the Pulumi.yaml beside a stack file; None when there is none or it cannot be
    read (the stack file is still judged, its keys as written)."""
    candidate = project_file(os.path.dirname(os.path.abspath(path)))
    if candidate is None:
        return None
    try:
        doc = read_yaml(candidate)
    except InputError:
        return None
    got = doc.get("name") if isinstance(doc, Mapping) else None
    return got if isinstance(got, str) else None


def program_stack_files(project_dir: str, stack: Optional[str]) -> List[str]:
    """The stack files a program scan judges: the named stack's, or every one."""
    if stack is not None:
        path = os.path.join(project_dir, f"Pulumi.{stack}.yaml")
        return [path] if os.path.isfile(path) else []
    return sorted(p for p in glob.glob(os.path.join(glob.escape(project_dir), "Pulumi.*.y*ml")) if is_stack_file(p))


def _engine_value(text: str) -> Any:
    """ConfigureStack carries every value as a string; objects and lists as JSON."""
    t = text.strip()
    if t[:1] in "{[":
        try:
            return json.loads(t)
        except ValueError:
            return text
    return text


def from_configure_stack(request: Any) -> Resource:
    """The config a ConfigureStack request carries (pulumirpc.AnalyzerStackConfigureRequest)."""
    secret_keys = set(request.config_secret_keys)
    config = dict(request.config)
    values = {k: _engine_value(v) for k, v in config.items() if k not in secret_keys}
    secret_values = [config[k] for k in sorted(secret_keys) if k in config]
    return config_resource(request.project or "project", request.stack or "stack", "ConfigureStack", values,
                           secret_keys, secret_values)
