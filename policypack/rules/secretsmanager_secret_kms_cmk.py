"""secretsmanager-secret-kms-cmk: secrets are encrypted with a customer-managed KMS key."""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..examples import KEY_ARN, OTHER_KEY_ARN, Example, R
from ..model import UNKNOWN, Outcome, Resource, failed, passed, unknown
from ..types import SECRET
from .base import Rule


def _is_aws_managed(key: str) -> bool:
    # alias/aws/secretsmanager, or its ARN form arn:aws:kms:<region>:<acct>:alias/aws/...
    return key.startswith("alias/aws/") or ":alias/aws/" in key


def _key_allowed(key: str, allowed: Iterable[str]) -> bool:
    for entry in allowed:
        if key == entry:
            return True
        # A bare key id or alias name matches the ARN that ends with it.
        tail = entry.rsplit(":", 1)[-1]
        if key in (tail, tail.split("/", 1)[-1]):
            return True
    return False


def check_kms_cmk(res: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
    key = res.props.get("kmsKeyId")
    if key is UNKNOWN:
        yield unknown("kmsKeyId is not known during preview", path="kmsKeyId")
        return
    if not key:
        yield failed(f"secret {res.name} has no kmsKeyId, so Secrets Manager encrypts it with the "
                     "AWS-managed key aws/secretsmanager", path="kmsKeyId")
        return
    if not isinstance(key, str):
        yield failed(f"secret {res.name} has a kmsKeyId that is not a string", path="kmsKeyId")
        return
    if _is_aws_managed(key):
        yield failed(f"secret {res.name} uses an AWS-managed key (alias/aws/...) in kmsKeyId; "
                     "use a customer-managed key", path="kmsKeyId")
        return
    allowed = config.get("allowedKmsKeyArns") or []
    if allowed and not _key_allowed(key, allowed):
        yield failed(f"secret {res.name} uses a kmsKeyId outside allowedKmsKeyArns", path="kmsKeyId")
        return
    yield passed()


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
    controls={"nist-800-53-r5": ["SC-12", "SC-28"], "pci-dss-v4.0": ["3.6.1", "8.3.2"]},
    config_schema={
        "allowedKmsKeyArns": {
            "type": "array", "items": {"type": "string"}, "default": [],
            "description": "When not empty, secrets may only use these KMS keys (ARNs, key ids or aliases).",
        },
    },
    examples=(
        Example("CMK by ARN", [R(SECRET, "s", {"kmsKeyId": KEY_ARN})], {"s": "pass"}),
        Example("no key at all", [R(SECRET, "s", {"name": "api"})], {"s": "fail:kmsKeyId"}),
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
