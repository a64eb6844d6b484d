"""`pulumi stack export` files as model resources.

An export is judged as the engine judges a stack: each resource carries its
outputs as `props` and its `inputs`, and `evaluate` gives resource rules the
inputs (what Analyze gets; outputs would make e.g. every ApiKey look like it
sets a literal `value`, since the generated key is an output) and stack rules
the outputs (what AnalyzeStack gets). Values are decoded the way
the engine decodes them: a `plaintext` secret (`--show-secrets`) is read, an
encrypted `ciphertext` secret cannot be and becomes UNKNOWN, so a rule never
claims a mandatory failure it cannot prove. The root `pulumi:pulumi:Stack`
resource's outputs are the stack exports. Provider resources are left out:
no rule judges them and their outputs hold provider configuration.
"""
from __future__ import annotations

from collections.abc import Mapping  # typing.Mapping answers isinstance through two more Python calls
from typing import Any, List, Tuple

from ..model import Resource, from_engine
from ..secrets.state import listed_secret_outputs
from . import InputError

SUPPORTED_VERSIONS = (1, 2, 3)


def is_export(data: Any) -> bool:
    return isinstance(data, Mapping) and "deployment" in data and "version" in data


def _name_of(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def _str_list(value: Any, where: str) -> Tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where} must be a list of strings")
    return tuple(value)


def _resource(raw: Any, where: str) -> Resource:
    if not isinstance(raw, Mapping):
        raise InputError(f"{where} must be an object")
    urn, rtype = raw.get("urn"), raw.get("type")
    if not isinstance(urn, str) or not urn.startswith("urn:pulumi:"):
        raise InputError(f"{where}: urn must be a Pulumi URN")
    if not isinstance(rtype, str) or not rtype:
        raise InputError(f"{where}: type must be a non-empty string")
    outputs = raw.get("outputs")
    outputs = {} if outputs is None else outputs
    if not isinstance(outputs, Mapping):
        raise InputError(f"{where}: outputs must be an object")
    inputs = raw.get("inputs")
    if inputs is not None and not isinstance(inputs, Mapping):
        raise InputError(f"{where}: inputs must be an object")
    parent = raw.get("parent") or None
    if parent is not None and not isinstance(parent, str):
        raise InputError(f"{where}: parent must be a URN string")
    pdeps = raw.get("propertyDependencies") or {}
    if not isinstance(pdeps, Mapping):
        raise InputError(f"{where}: propertyDependencies must be an object")
    return Resource(
        type=rtype,
        name=_name_of(urn),
        urn=urn,
        # from_engine copies a dict as it decodes it: no need to copy it first.
        props=from_engine(outputs if type(outputs) is dict else dict(outputs)),
        inputs=from_engine(inputs if type(inputs) is dict else dict(inputs)) if inputs is not None else None,
        id=raw.get("id") or None,
        parent=parent,
        dependencies=_str_list(raw.get("dependencies"), f"{where}: dependencies"),
        property_dependencies={k: _str_list(v, f"{where}: propertyDependencies.{k}") for k, v in pdeps.items()},
        additional_secret_outputs=listed_secret_outputs(
            outputs, _str_list(raw.get("additionalSecretOutputs"), f"{where}: additionalSecretOutputs")),
        custom=bool(raw.get("custom", True)),
    )


def read(data: Any, source: str, consume: bool = False) -> List[Resource]:
    """The resources of an already-parsed export (`source` names it in errors).

    With `consume`, each raw resource is dropped from `data` once it is decoded, so
    that a large export is not held twice (raw and decoded) at the peak."""
    version = data.get("version")
    if version not in SUPPORTED_VERSIONS:
        raise InputError(f"{source}: unsupported stack export version {version!r} (expected 3)")
    deployment = data.get("deployment")
    if not isinstance(deployment, Mapping):
        raise InputError(f"{source}: deployment must be an object")
    resources = deployment.get("resources")
    if resources is None:
        resources = []  # a stack that was never deployed
    if not isinstance(resources, list):
        raise InputError(f"{source}: deployment.resources must be a list")
    out = []
    for i, raw in enumerate(resources):
        res = _resource(raw, f"{source}: deployment.resources[{i}]")
        if consume:
            resources[i] = None
        if res.type.startswith("pulumi:providers:"):
            continue
        out.append(res)
    return out
