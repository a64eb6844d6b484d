"""Every property path the Google Cloud rules read exists in pulumi-gcp's input types.

The rules read property dictionaries and never import pulumi-gcp; this test walks each path
through the SDK's `...Args` classes (a property's annotation names the next class), so a
renamed or misspelt property fails here rather than passing silently in a stack.
"""
import inspect
import re

import pytest

from policypack.registry import RULES
from policypack.rules.gcp_apikey_restricted import APP_RESTRICTIONS
from policypack.rules.gcp_runtime_env_no_secrets import _CONTAINERS, _MAPS
from policypack.tokens import gcp

from .sdk import _snake, args_class, inputs_module, resource_class

_BY_NAME = {r.name: r for r in RULES}


def _walk(token, path):
    """Follow `a.b[0].c` through the Args classes; return the annotation of the last step."""
    cls, inputs = args_class(token), inputs_module(token)
    annotation = ""
    for step in re.sub(r"\[\d*\]", "", path).split("."):
        if cls is None:
            raise AssertionError(f"{token}: {path}: nothing typed to hold {step}")
        prop = getattr(cls, _snake(step), None)
        assert isinstance(prop, property), f"{token}: {cls.__name__} has no property {step} ({path})"
        annotation = str(inspect.signature(prop.fget).return_annotation)
        nested = re.findall(r"'(\w+Args)'", annotation)
        cls = getattr(inputs, nested[0]) if nested else None
    return annotation


PATHS = [
    *[(t, p) for rule in ("gcp-secretmanager-secret-cmek", "gcp-secretmanager-secret-rotation",
                         "gcp-kms-crypto-key-rotation", "gcp-apikey-restricted")
      for t, p in _BY_NAME[rule].check.paths.items()],
    (gcp.SECRET, "replication.auto.customerManagedEncryption.kmsKeyName"),
    (gcp.SECRET, "replication.userManaged.replicas[].customerManagedEncryption.kmsKeyName"),
    (gcp.REGIONAL_SECRET, "customerManagedEncryption.kmsKeyName"),
    (gcp.SECRET, "topics[].name"),
    (gcp.CRYPTO_KEY, "purpose"),
    *[(gcp.API_KEY, "restrictions.apiTargets[].service")],
    *[(gcp.API_KEY, f"restrictions.{k}.{v}") for k, v in APP_RESTRICTIONS.items()],
    *[(t, f"{p}[].envs[].name") for t, (_, p) in _CONTAINERS.items()],
    *[(t, f"{p}[].envs[].value") for t, (_, p) in _CONTAINERS.items()],
    (gcp.CLOUDRUN_SERVICE, "template.spec.containers[].envs[].valueFrom.secretKeyRef.name"),
    (gcp.CLOUDRUNV2_SERVICE, "template.containers[].envs[].valueSource.secretKeyRef.secret"),
    (gcp.CLOUDRUNV2_JOB, "template.template.containers[].envs[].valueSource.secretKeyRef.secret"),
    *[(t, p) for t, (_, paths) in _MAPS.items() for p in paths],
    (gcp.CLOUDFUNCTION, "secretEnvironmentVariables[].secret"),
    (gcp.CLOUDFUNCTIONV2, "serviceConfig.secretEnvironmentVariables[].secret"),
    *[(t, p) for t in (gcp.SECRET_IAM_MEMBER, gcp.REGIONAL_SECRET_IAM_MEMBER, gcp.CRYPTO_KEY_IAM_MEMBER,
                       gcp.KEY_RING_IAM_MEMBER, gcp.PROJECT_IAM_MEMBER, gcp.FOLDER_IAM_MEMBER, gcp.ORG_IAM_MEMBER)
      for p in ("member", "role", "condition.expression")],
    *[(t, p) for t in (gcp.SECRET_IAM_BINDING, gcp.REGIONAL_SECRET_IAM_BINDING, gcp.CRYPTO_KEY_IAM_BINDING,
                       gcp.KEY_RING_IAM_BINDING, gcp.PROJECT_IAM_BINDING, gcp.FOLDER_IAM_BINDING, gcp.ORG_IAM_BINDING)
      for p in ("members", "role", "condition.expression")],
    *[(t, "policyData") for t in (gcp.SECRET_IAM_POLICY, gcp.REGIONAL_SECRET_IAM_POLICY, gcp.CRYPTO_KEY_IAM_POLICY,
                                  gcp.KEY_RING_IAM_POLICY, gcp.PROJECT_IAM_POLICY, gcp.FOLDER_IAM_POLICY,
                                  gcp.ORG_IAM_POLICY)],
]


@pytest.mark.parametrize("token,path", PATHS, ids=[f"{t.rsplit('/', 1)[-1]}.{p}" for t, p in PATHS])
def test_path_exists_in_pulumi_gcp(token, path):
    _walk(token, path)


def test_the_walk_refuses_a_misspelt_path():
    with pytest.raises(AssertionError, match="no property"):
        _walk(gcp.SECRET, "replication.auto.customerManagedEncryptionn.kmsKeyName")


def test_every_gcp_token_is_a_pulumi_gcp_resource():
    names = [n for n in dir(gcp) if n.isupper() and getattr(gcp, n).startswith("gcp:")]
    assert len(names) > 30
    for n in names:
        token = getattr(gcp, n)
        src = inspect.getsource(resource_class(token))
        assert f"'{token}'" in src or f'"{token}"' in src, f"{n}: {token} is not what pulumi-gcp registers"
