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
from typing import Any, List

from ..model import Resource
from ..records import from_record
from . import InputError

SUPPORTED_VERSIONS = (1, 2, 3)


def is_export(data: Any) -> bool:
    return isinstance(data, Mapping) and "deployment" in data and "version" in data


def read(data: Any, source: str, consume: bool = False) -> List[Resource]:
    """The resources of an already-parsed export (`source` names it in errors).

    With `consume`, each raw resource is dropped from `data` once it is decoded, so
    that a large export is not held twice (raw and decoded) at the peak."""
    version = data.get("version")
    if version not in SUPPORTED_VERSIONS:
        raise InputError(f"{source}: unsupported stack export version {version!r} (expected one of {', '.join(map(str, SUPPORTED_VERSIONS))})")
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
        res = from_record(raw, f"{source}: deployment.resources[{i}]")
        if consume:
            resources[i] = None
        if res.type.startswith("pulumi:providers:"):
            continue
        out.append(res)
    return out
