"""pulumi-gcp's classes for a type token, imported from their own modules.

pulumi-gcp's packages load lazily: once a test has imported a submodule directly, the package
object may not carry its classes, so every lookup imports the class's own module. Module names
do not always follow the token: "sSLCertificate" lives in ssl_certificate (a run of single
letters is one word), "iAMMember" in iam_member.
"""
from __future__ import annotations

import importlib
import re
from typing import Any, Tuple

_LETTERS = re.compile(r"(?:^|_)((?:[a-z]_)+[a-z])(?=_|$)")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def module_name(name: str) -> str:
    return _LETTERS.sub(lambda m: m.group(0)[:-len(m.group(1))] + m.group(1).replace("_", ""), _snake(name))


def _split(token: str) -> Tuple[str, str, str]:
    module, cls = token.split(":", 1)[1].split(":")
    package, name = module.split("/")
    return package, name, cls


def resource_class(token: str) -> Any:
    package, name, cls = _split(token)
    return getattr(importlib.import_module(f"pulumi_gcp.{package}.{module_name(name)}"), cls)


def args_class(token: str) -> Any:
    package, name, cls = _split(token)
    return getattr(importlib.import_module(f"pulumi_gcp.{package}.{module_name(name)}"), f"{cls}Args")


def inputs_module(token: str) -> Any:
    return importlib.import_module(f"pulumi_gcp.{_split(token)[0]}._inputs")
