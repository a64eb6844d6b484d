"""secretsmanager-secret-kms-cmk: secrets are encrypted with a customer-managed KMS key."""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..examples import KEY_ARN, OTHER_KEY_ARN, Example, R
from ..kms_keys import ALLOWED_KEYS_PROP, ALLOWED_KEYS_SCHEMA, judge_key
from ..model import UNKNOWN, Outcome, Resource
from ..tokens.aws import SECRET
from .base import Rule


def check_kms_cmk(res: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
    return judge_key(res, "kmsKeyId", f"secret {res.name}", "aws/secretsmanager", config)


RULE = Rule(
    name="secretsmanager-secret-kms-cmk",
    title="Secrets are encrypted with a customer-managed KMS key",
    description="Secrets Manager secrets must be encrypted with a customer-managed KMS key, not the "
                "AWS-managed aws/secretsmanager key, so that key policy, rotation and audit are yours.",
    severity="high",
    enforcement="mandatory",
    kind="resource",
    check=check_kms_cmk,
    resource_types=frozenset({SECRET}),
    remediation="Create an aws.kms.Key with enable_key_rotation=True and pass its ARN as kms_key_id "
                "of the aws.secretsmanager.Secret. If allowedKmsKeyArns is configured, use one of those keys.",
    url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html",
    controls={"nist-800-53-r5": ["SC-12", "SC-28"],
              "pci-dss-v4.0.1": ["3.6.1", "8.3.2"],
              "pci-dss-v4.0": ["3.6.1", "8.3.2"]},
    config_schema={ALLOWED_KEYS_PROP: ALLOWED_KEYS_SCHEMA},
    examples=(
        Example("CMK by ARN", [R(SECRET, "s", {"kmsKeyId": KEY_ARN})], {"s": "pass"}),
        Example("no key at all", [R(SECRET, "s", {"name": "api"})], {"s": "fail:kmsKeyId"},
            controls=("nist-800-53-r5:SC-12", "nist-800-53-r5:SC-28", "pci-dss-v4.0.1:3.6.1",
                      "pci-dss-v4.0.1:8.3.2", "pci-dss-v4.0:3.6.1", "pci-dss-v4.0:8.3.2")),
        Example("AWS-managed alias", [R(SECRET, "s", {"kmsKeyId": "alias/aws/secretsmanager"})], {"s": "fail:kmsKeyId"}),
        Example("AWS-managed alias ARN",
                [R(SECRET, "s", {"kmsKeyId": "arn:aws:kms:us-east-1:111122223333:alias/aws/secretsmanager"})],
                {"s": "fail:kmsKeyId"}),
        Example("key outside the allow-list", [R(SECRET, "s", {"kmsKeyId": OTHER_KEY_ARN})], {"s": "fail:kmsKeyId"},
                config={"allowedKmsKeyArns": [KEY_ARN]}),
        Example("key inside the allow-list", [R(SECRET, "s", {"kmsKeyId": KEY_ARN})], {"s": "pass"},
                config={"allowedKmsKeyArns": [KEY_ARN]}),
        Example("key not known during preview", [R(SECRET, "s", {"kmsKeyId": UNKNOWN})], {"s": "unknown"}),
    ),
)
