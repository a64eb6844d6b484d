"""secretsmanager-secret-rotation-enabled: every secret has automatic rotation."""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..examples import KEY_ARN, SECRET_ARN, Example, R
from ..links import secret_ids
from ..model import UNKNOWN, Outcome, Resource, Stack, failed, passed, unknown
from ..tokens.aws import ROTATION, SECRET
from .base import Rule


def _identity_unknown(res: Resource) -> bool:
    """At preview a new secret's ARN (or name) is unknown, so a rotation naming a
    literal secret id might still be this secret's."""
    return any(res.props.get(p) is UNKNOWN for p in ("arn", "id", "name"))


def check_rotation_enabled(stack: Stack, config: Mapping[str, Any]) -> Iterable[Outcome]:
    index = stack.index
    rotations = index.of_type(ROTATION)
    # A rotation whose secretId is unknown might point at any secret; one with a literal
    # secretId and no property dependency might point at a secret whose own ARN is unknown.
    target_unknown = any(rot.props.get("secretId") is UNKNOWN for rot in rotations)
    literal_unlinked = any(rot.props.get("secretId") is not UNKNOWN and not rot.depends_on("secretId")
                           for rot in rotations)
    for secret in stack.of_type(SECRET):
        if index.referrers(secret, "secretId", ROTATION, secret_ids(secret)):
            yield passed(urn=secret.urn)
        elif target_unknown or (literal_unlinked and _identity_unknown(secret)):
            yield unknown(f"secret {secret.name}: a SecretRotation's secretId is not known during preview "
                          "and it has no property dependency to link it", urn=secret.urn, path="secretId")
        else:
            yield failed(f"secret {secret.name} has no aws.secretsmanager.SecretRotation pointing at it",
                         urn=secret.urn)


RULE = Rule(
    name="secretsmanager-secret-rotation-enabled",
    title="Every secret has automatic rotation",
    description="Every Secrets Manager secret must have an aws.secretsmanager.SecretRotation in the same stack.",
    severity="high",
    enforcement="mandatory",
    kind="stack",
    check=check_rotation_enabled,
    resource_types=frozenset({SECRET, ROTATION}),
    remediation="Add an aws.secretsmanager.SecretRotation whose secret_id is the secret's id and whose "
                "rotation_lambda_arn is a rotation function Secrets Manager may invoke, with "
                "rotation_rules.automatically_after_days or a schedule_expression.",
    url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html",
    # NIST and PCI ids beyond IA-5 are Security Hub's own mapping for SecretsManager.1.
    controls={"aws-fsbp": ["SecretsManager.1"],
              "nist-800-53-r5": ["IA-5", "AC-2(1)", "AC-3(15)"],
              "pci-dss-v4.0.1": ["8.6.3", "8.3.9"],
              "pci-dss-v4.0": ["8.6.3", "8.3.9"]},
    examples=(
        Example("linked by property dependency (preview)",
                [R(SECRET, "s", {"kmsKeyId": KEY_ARN}),
                 R(ROTATION, "rot", {"secretId": UNKNOWN, "rotationLambdaArn": UNKNOWN},
                   property_dependencies={"secretId": [f"{SECRET}::s"]})],
                {"s": "pass"}),
        Example("linked by ARN (export)",
                [R(SECRET, "s", {"arn": SECRET_ARN}, id=SECRET_ARN),
                 R(ROTATION, "rot", {"secretId": SECRET_ARN})],
                {"s": "pass"}),
        Example("linked by name",
                [R(SECRET, "s", {"name": "api-key"}), R(ROTATION, "rot", {"secretId": "api-key"})],
                {"s": "pass"}),
        Example("no rotation", [R(SECRET, "s", {"arn": SECRET_ARN})], {"s": "fail"},
            controls=("aws-fsbp:SecretsManager.1", "nist-800-53-r5:IA-5", "nist-800-53-r5:AC-2(1)",
                      "nist-800-53-r5:AC-3(15)", "pci-dss-v4.0.1:8.6.3", "pci-dss-v4.0.1:8.3.9",
                      "pci-dss-v4.0:8.6.3", "pci-dss-v4.0:8.3.9")),
        Example("rotation of another secret",
                [R(SECRET, "s", {"arn": SECRET_ARN}), R(SECRET, "t", {"arn": SECRET_ARN + "x"}),
                 R(ROTATION, "rot", {"secretId": SECRET_ARN + "x"})],
                {"s": "fail", "t": "pass"}),
        Example("secret ARN unknown, rotation names a literal ARN",
                [R(SECRET, "s", {"arn": UNKNOWN}), R(ROTATION, "rot", {"secretId": SECRET_ARN})],
                {"s": "unknown"}),
        Example("rotation target unknown without dependency",
                [R(SECRET, "s", {"arn": UNKNOWN}), R(ROTATION, "rot", {"secretId": UNKNOWN})],
                {"s": "unknown"}),
    ),
)
