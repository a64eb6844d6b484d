"""The identifiers a resource is known by, for resolving references between resources.

A reference (a rotation's secretId, an attachment's role) holds one of its target's
identifiers once values are known: its id, ARN or name. `Stack.index.linked` (model.py)
is the one place that resolves references; these functions tell it what to match.
"""
from __future__ import annotations

from typing import Set

from .model import Resource


def identifiers(res: Resource, *props: str) -> Set[str]:
    """The resource's id plus the string values of `props` (e.g. "arn", "name")."""
    # Filter before building the set: an output of the wrong type (a list where a name
    # belongs) is no identifier, and would not even hash.
    ids = (res.id, res.props.get("id"), *(res.props.get(p) for p in props))
    return {v for v in ids if isinstance(v, str) and v}


def secret_ids(res: Resource) -> Set[str]:
    """What a secretId can hold to name a secret: its id, ARN or name."""
    return identifiers(res, "arn", "name")
