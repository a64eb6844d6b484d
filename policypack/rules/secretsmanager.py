"""Secrets Manager guardrails: customer-managed encryption and bounded rotation."""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional

from ..examples import KEY_ARN, OTHER_KEY_ARN, SECRET_ARN, Example, R
from ..links import identifiers
from ..model import UNKNOWN, Outcome, Resource, Stack, failed, passed, unknown
from ..schedule import INFINITE, ScheduleError, longest_gap_days
from ..types import ROTATION, SECRET
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


SECRET_KMS_CMK = Rule(
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


SECRET_ROTATION_ENABLED = Rule(
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


def _gap_of(rules: Mapping[str, Any]) -> tuple[Optional[float], str, Optional[str]]:
    """(longest gap in days, property path, problem); gap None with no problem means unknown."""
    after = rules.get("automaticallyAfterDays")
    expr = rules.get("scheduleExpression")
    if after is UNKNOWN or expr is UNKNOWN:
        return None, "rotationRules", None
    if after not in (None, ""):
        if isinstance(after, bool) or not isinstance(after, (int, float)):
            return None, "rotationRules.automaticallyAfterDays", "is not a number"
        return float(after), "rotationRules.automaticallyAfterDays", None
    if expr:
        if not isinstance(expr, str):
            return None, "rotationRules.scheduleExpression", "is not a string"
        try:
            return longest_gap_days(expr), "rotationRules.scheduleExpression", None
        except ScheduleError as e:
            return None, "rotationRules.scheduleExpression", f"is not a valid schedule ({e})"
    return None, "rotationRules", "sets neither automaticallyAfterDays nor scheduleExpression"


def check_rotation_period(res: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
    max_days = config["maxDays"]
    rules = res.props.get("rotationRules")
    if rules is UNKNOWN:
        yield unknown("rotationRules is not known during preview", path="rotationRules")
        return
    if not isinstance(rules, Mapping):
        yield failed(f"rotation {res.name} has no rotationRules", path="rotationRules")
        return
    gap, path, problem = _gap_of(rules)
    if problem:
        yield failed(f"rotation {res.name}: {path} {problem}", path=path)
    elif gap is None:
        yield unknown(f"{path} is not known during preview", path=path)
    elif gap == INFINITE:
        yield failed(f"rotation {res.name}: {path} stops rotating (its year field ends)", path=path)
    elif gap > max_days:
        yield failed(f"rotation {res.name}: {path} leaves up to {gap:g} days between rotations, "
                     f"more than maxDays ({max_days})", path=path)
    else:
        yield passed(path=path)


ROTATION_PERIOD = Rule(
    name="secretsmanager-rotation-period",
    title="Secrets rotate at least every maxDays",
    description="A SecretRotation's schedule must rotate the secret at least every maxDays days "
                "(automaticallyAfterDays, rate() or cron() by its longest gap).",
    severity="medium",
    enforcement="mandatory",
    kind="resource",
    check=check_rotation_period,
    resource_types=frozenset({ROTATION}),
    remediation="Set rotation_rules.automatically_after_days (or a schedule_expression such as "
                "rate(30 days)) to at most maxDays.",
    url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html",
    # AC-2(1) and AC-3(15) are Security Hub's own NIST mapping for SecretsManager.4.
    controls={"aws-fsbp": ["SecretsManager.4"], "nist-800-53-r5": ["IA-5"], "pci-dss-v4.0": ["8.6.3"]},
    config_schema={
        "maxDays": {"type": "integer", "default": 90, "minimum": 1, "maximum": 1000,
                    "description": "The longest time, in days, a secret may go without rotation."},
    },
    examples=(
        Example("30 days", [R(ROTATION, "r", {"rotationRules": {"automaticallyAfterDays": 30}})], {"r": "pass"}),
        Example("365 days", [R(ROTATION, "r", {"rotationRules": {"automaticallyAfterDays": 365}})], {"r": "fail:rotationRules.automaticallyAfterDays"}),
        Example("rate in days", [R(ROTATION, "r", {"rotationRules": {"scheduleExpression": "rate(10 days)"}})],
                {"r": "pass"}),
        Example("rate in hours", [R(ROTATION, "r", {"rotationRules": {"scheduleExpression": "rate(4 hours)"}})],
                {"r": "pass"}),
        Example("rate too slow", [R(ROTATION, "r", {"rotationRules": {"scheduleExpression": "rate(120 days)"}})],
                {"r": "fail:rotationRules.scheduleExpression"}),
        Example("cron twice a month",
                [R(ROTATION, "r", {"rotationRules": {"scheduleExpression": "cron(0 16 1,15 * ? *)"}})],
                {"r": "pass"}),
        Example("cron twice a year has a 184-day gap",
                [R(ROTATION, "r", {"rotationRules": {"scheduleExpression": "cron(0 0 1 1,7 ? *)"}})],
                {"r": "fail:rotationRules.scheduleExpression"}),
        Example("stricter maxDays", [R(ROTATION, "r", {"rotationRules": {"automaticallyAfterDays": 30}})],
                {"r": "fail:rotationRules.automaticallyAfterDays"}, config={"maxDays": 14}),
        Example("no rules", [R(ROTATION, "r", {"secretId": "s"})], {"r": "fail:rotationRules"}),
        Example("empty rules", [R(ROTATION, "r", {"rotationRules": {}})], {"r": "fail:rotationRules"}),
        Example("not a schedule", [R(ROTATION, "r", {"rotationRules": {"scheduleExpression": "weekly"}})],
                {"r": "fail:rotationRules.scheduleExpression"}),
        Example("unknown during preview",
                [R(ROTATION, "r", {"rotationRules": {"automaticallyAfterDays": UNKNOWN}})], {"r": "unknown"}),
    ),
)
