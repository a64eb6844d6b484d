"""ssm-parameter-kms-cmk: SecureString parameters are encrypted with a customer-managed KMS key."""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..examples import KEY_ARN, OTHER_KEY_ARN, Example, R
from ..kms_keys import ALLOWED_KEYS_PROP, ALLOWED_KEYS_SCHEMA, judge_key
from ..model import UNKNOWN, Outcome, Resource, not_applicable, unknown
from ..tokens.aws import SSM_PARAMETER
from .base import Rule


def check_parameter_cmk(res: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
    kind = res.props.get("type")
    if kind is UNKNOWN:
        yield unknown("type is not known during preview", path="type")
    elif kind != "SecureString":
        yield not_applicable(f"parameter {res.name} is not a SecureString")
    else:
        yield from judge_key(res, "keyId", f"SecureString parameter {res.name}", "aws/ssm", config)


def _param(kind: Any, **props: Any) -> R:
    return R(SSM_PARAMETER, "p", {"name": "/app/api-key", "type": kind, "value": "x", **props})


RULE = Rule(
    name="ssm-parameter-kms-cmk",
    title="SecureString parameters are encrypted with a customer-managed KMS key",
    description="An SSM SecureString parameter must name a customer-managed KMS key in keyId, not the "
                "AWS-managed aws/ssm key (alias/aws/ssm, or no keyId), so that no secret rests under a key "
                "whose policy, rotation and audit are not yours.",
    severity="high",
    enforcement="mandatory",
    kind="resource",
    check=check_parameter_cmk,
    resource_types=frozenset({SSM_PARAMETER}),
    remediation="Create an aws.kms.Key with enable_key_rotation=True and pass its ARN as key_id of the "
                "aws.ssm.Parameter. If allowedKmsKeyArns is configured, use one of those keys.",
    url="https://docs.aws.amazon.com/systems-manager/latest/userguide/secure-string-parameter-kms-encryption.html",
    controls={"nist-800-53-r5": ["SC-12", "SC-28"], "pci-dss-v4.0.1": ["3.6.1"], "pci-dss-v4.0": ["3.6.1"]},
    config_schema={ALLOWED_KEYS_PROP: ALLOWED_KEYS_SCHEMA},
    examples=(
        Example("SecureString under a CMK", [_param("SecureString", keyId=KEY_ARN)], {"p": "pass"}),
        Example("SecureString without keyId uses aws/ssm", [_param("SecureString")], {"p": "fail:keyId"},
            controls=("nist-800-53-r5:SC-12", "nist-800-53-r5:SC-28", "pci-dss-v4.0.1:3.6.1", "pci-dss-v4.0:3.6.1")),
        Example("SecureString under alias/aws/ssm", [_param("SecureString", keyId="alias/aws/ssm")],
                {"p": "fail:keyId"}),
        Example("SecureString under the alias ARN of aws/ssm", [_param(
            "SecureString", keyId="arn:aws:kms:us-east-1:111122223333:alias/aws/ssm")], {"p": "fail:keyId"}),
        Example("key outside the allow-list", [_param("SecureString", keyId=OTHER_KEY_ARN)], {"p": "fail:keyId"},
                config={ALLOWED_KEYS_PROP: [KEY_ARN]}),
        Example("key inside the allow-list, named by its id", [_param(
            "SecureString", keyId="1234abcd-12ab-34cd-56ef-1234567890ab")], {"p": "pass"},
            config={ALLOWED_KEYS_PROP: [KEY_ARN]}),
        Example("a plain String parameter is another policy's business", [_param("String")],
                {"p": "not_applicable"}),
        Example("key not known during preview", [_param("SecureString", keyId=UNKNOWN)], {"p": "unknown"}),
        Example("type not known during preview", [_param(UNKNOWN, keyId=KEY_ARN)], {"p": "unknown"}),
    ),
)
