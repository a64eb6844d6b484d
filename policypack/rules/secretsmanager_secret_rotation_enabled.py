"""secretsmanager-secret-rotation-enabled: every secret has automatic rotation."""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..examples import KEY_ARN, SECRET_ARN, Example, R
from ..links import identifiers
from ..model import UNKNOWN, Outcome, Resource, Stack, failed, passed, unknown
from ..types import ROTATION, SECRET
from .base import Rule


def _identity_unknown(res: Resource) -> bool:
    """At preview a new secret's ARN (or name) is unknown, so a rotation naming a
    literal secret id might still be this secret's."""
    return any(res.props.get(p) is UNKNOWN for p in ("arn", "id", "name"))


def check_rotation_enabled(stack: Stack, config: Mapping[str, Any]) -> Iterable[Outcome]:
    rotations = list(stack.of_type(ROTATION))
    for secret in stack.of_type(SECRET):
        # The values a SecretRotation's secretId can hold to point at this secret.
        ids = identifiers(secret, "arn", "name")
        linked = False
        undecided = False
        maybe_me = _identity_unknown(secret)
        for rot in rotations:
            if secret.urn in rot.depends_on("secretId"):
                linked = True
                break
            target = rot.props.get("secretId")
            if target is UNKNOWN:
                undecided = True
            elif isinstance(target, str) and target in ids:
                linked = True
                break
            elif maybe_me and not rot.depends_on("secretId"):
                undecided = True
        if linked:
            yield passed(urn=secret.urn)
        elif undecided:
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
    controls={"aws-fsbp": ["SecretsManager.1"], "nist-800-53-r5": ["IA-5", "AC-2(1)", "AC-3(15)"], "pci-dss-v4.0": ["8.6.3", "8.3.9"]},
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
        Example("no rotation", [R(SECRET, "s", {"arn": SECRET_ARN})], {"s": "fail"}),
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
