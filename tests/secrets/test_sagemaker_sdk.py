"""The SageMaker property names the issue-20 rules and the principal model read, checked
against the installed pulumi-aws SDK (its Python names are the snake_case of the wire names)."""
from __future__ import annotations

import importlib
import re

import pytest

from policypack.rules.sagemaker_notebook_lifecycle_no_secrets import SCRIPTS
from policypack.tokens.aws_ai import (SAGEMAKER_EXECUTION_ROLES, SAGEMAKER_MODEL, SAGEMAKER_NOTEBOOK_LIFECYCLE)


def _snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _cls(token):
    module, cls = token.split(":", 1)[1].split(":")
    mod = importlib.import_module(f"pulumi_aws.{module.split('/')[0]}.{_snake(module.split('/')[1])}")
    return getattr(mod, cls)


@pytest.mark.parametrize("token,prop", [(SAGEMAKER_MODEL, "primaryContainer"), (SAGEMAKER_MODEL, "containers"),
                                        *((SAGEMAKER_NOTEBOOK_LIFECYCLE, p) for p in SCRIPTS),
                                        *SAGEMAKER_EXECUTION_ROLES.items()])
def test_property_exists(token, prop):
    assert hasattr(_cls(token), _snake(prop)), f"{token} has no {prop}"


def test_both_container_kinds_have_an_environment():
    outputs = importlib.import_module("pulumi_aws.sagemaker.outputs")
    for cls in ("ModelPrimaryContainer", "ModelContainer"):
        assert hasattr(getattr(outputs, cls), "environment")
