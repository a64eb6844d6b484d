"""The one decoder of resource records, whichever source they come from.

A resource reaches keyguard as a record of one shape: its type and URN, its property
values (outputs, and inputs where the source has both), and its links (parent,
dependencies, property dependencies, additional secret outputs). Stack exports and
program runs under mocks hand over that record as JSON-like data; the engine hands over
the same fields in a gRPC request. Each adapter reads its source's fields and calls
`resource`, so a record is validated and decoded one way: values with the engine's
decoding (`model.from_engine`: secrets unwrapped, unknowns as UNKNOWN), the name taken
from the URN when the source does not give it, and secret outputs listed once.
"""
from __future__ import annotations

from collections.abc import Mapping  # typing.Mapping answers isinstance through two more Python calls
from typing import Any, Dict, Iterable, Optional, Tuple, cast

from .inputs import InputError
from .model import Resource, from_engine, from_struct
from .secrets.state import listed_secret_outputs


def name_of(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def resource(type: str, urn: str, props: Mapping[str, Any], *, name: Optional[str] = None,
             inputs: Optional[Mapping[str, Any]] = None, id: Any = None, parent: Optional[str] = None,
             dependencies: Iterable[str] = (), property_dependencies: Optional[Mapping[str, Iterable[str]]] = None,
             additional_secret_outputs: Iterable[str] = (), custom: bool = True) -> Resource:
    """One resource as a rule sees it; `props` and `inputs` already decoded."""
    return Resource(
        type=type, name=name or name_of(urn), urn=urn, props=props, inputs=inputs, id=id or None,
        parent=parent or None, dependencies=tuple(dependencies),
        property_dependencies={k: tuple(v) for k, v in (property_dependencies or {}).items()},
        additional_secret_outputs=tuple(additional_secret_outputs or ()), custom=custom,
    )


_STRINGS = {str}


def _is_mapping(value: Any) -> bool:
    # A JSON object is a dict: spare it the ABC's Python-level isinstance check.
    return type(value) is dict or isinstance(value, Mapping)


def _str_list(value: Any, where: str) -> Tuple[str, ...]:
    if not value:
        if value is None or value == []:
            return ()
    elif type(value) is list and set(map(type, value)) == _STRINGS:  # the usual case, checked in C
        return tuple(value)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where} must be a list of strings")
    return tuple(value)


def _decoded(value: Mapping[str, Any]) -> Dict[str, Any]:
    # from_engine copies a dict as it decodes it: no need to copy it first.
    return cast(Dict[str, Any], from_engine(value if type(value) is dict else dict(value)))


def from_record(raw: Any, where: str, property_dependencies: Optional[Mapping[str, Iterable[str]]] = None
                ) -> Resource:
    """A JSON-like record (a stack export's resource, a program run's registration) as a
    Resource, or an InputError naming `where` and the field at fault. `property_dependencies`
    adds links the source does not record (a program's literal secret inputs)."""
    if not _is_mapping(raw):
        raise InputError(f"{where} must be an object")
    urn, rtype = raw.get("urn"), raw.get("type")
    if not isinstance(urn, str) or not urn.startswith("urn:pulumi:"):
        raise InputError(f"{where}: urn must be a Pulumi URN")
    if not isinstance(rtype, str) or not rtype:
        raise InputError(f"{where}: type must be a non-empty string")
    outputs = raw.get("outputs")
    outputs = {} if outputs is None else outputs
    if not _is_mapping(outputs):
        raise InputError(f"{where}: outputs must be an object")
    inputs = raw.get("inputs")
    if inputs is not None and not _is_mapping(inputs):
        raise InputError(f"{where}: inputs must be an object")
    parent = raw.get("parent") or None
    if parent is not None and not isinstance(parent, str):
        raise InputError(f"{where}: parent must be a URN string")
    pdeps = raw.get("propertyDependencies") or {}
    if not _is_mapping(pdeps):
        raise InputError(f"{where}: propertyDependencies must be an object")
    links = {k: _str_list(v, f"{where}: propertyDependencies.{k}") for k, v in pdeps.items()}
    links.update({k: tuple(v) for k, v in (property_dependencies or {}).items()})
    return resource(
        rtype, urn, _decoded(outputs),
        inputs=_decoded(inputs) if inputs is not None else None,
        id=raw.get("id"), parent=parent,
        dependencies=_str_list(raw.get("dependencies"), f"{where}: dependencies"),
        property_dependencies=links,
        additional_secret_outputs=listed_secret_outputs(
            outputs, _str_list(raw.get("additionalSecretOutputs"), f"{where}: additionalSecretOutputs")),
        custom=bool(raw.get("custom", True)),
    )


def wire_props(struct: Any) -> Dict[str, Any]:
    """An engine request's properties (a protobuf Struct) as plain model data."""
    return cast(Dict[str, Any], from_struct(struct))
