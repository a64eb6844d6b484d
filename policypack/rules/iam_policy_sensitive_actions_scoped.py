"""iam-policy-sensitive-actions-scoped: secret-reading and key-using actions are scoped to named resources."""
from __future__ import annotations

from typing import Any, List, Mapping

from ..examples import SECRET_ARN, Example, R, allow, doc, identity_inline_roles, identity_table
from ..iam.document import IDENTITY_TYPES, Document
from ..iam.grants import Context, minus, names, pairs
from ..iam.judging import ACTIONS_ALLOW, AS_OF, AS_OF_SCHEMA, allow_list, identity_check, principal_phase
from ..iam.risk import sensitive_actions
from ..model import UNKNOWN
from ..tokens.aws import GROUP_POLICY, POLICY, ROLE_POLICY, USER_POLICY
from .base import Rule


def _sensitive(d: Document, config: Mapping[str, Any], ctx: Context) -> List[str]:
    sens = sensitive_actions(tuple(config.get("extraSensitiveActions") or ()))
    ok = allow_list(config, "allowedActions", "action")
    out = []
    for s, acts in pairs(d.statements, ctx):
        hit = minus(acts & sens, ok)
        if hit:
            out.append(f"{s.label} allows {names(hit)} on all resources of their type without a "
                       "restricting condition")
    return out


# Each of these, allowed on "*", reads secret material or uses a key: one failing policy apiece.
_SENSITIVE_ON_STAR = (
    "secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue", "kms:Decrypt", "kms:ReEncryptFrom",
    "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "ssm:GetParameter", "ssm:GetParametersByPath",
    "apigateway:GET", "secretsmanager:*", "kms:*", "ssm:Get*")


def _named(action: str) -> str:
    return action.replace(":", "_").replace("*", "star")


RULE = Rule(
    name="iam-policy-sensitive-actions-scoped",
    title="Secret-reading and key-using actions are scoped to named resources",
    description="Actions that read secret material or decrypt with a key (secretsmanager:GetSecretValue, "
                "kms:Decrypt, kms:GenerateDataKey*, ssm:GetParameter*, apigateway:GET on /apikeys, after "
                "wildcard expansion) must name their secrets, keys or parameters, or carry a restricting "
                "condition such as kms:ViaService or aws:ResourceTag.",
    severity="high",
    enforcement="mandatory",
    kind="resource",
    check=identity_check(_sensitive),
    stack_check=principal_phase(_sensitive),
    resource_types=IDENTITY_TYPES,
    remediation="Put the exact secret and key ARNs in Resource (e.g. the secret's ARN for "
                "secretsmanager:GetSecretValue, the key's ARN for kms:Decrypt with a kms:ViaService condition).",
    url="https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-1",
    controls={"aws-fsbp": ["KMS.1", "KMS.2"],
              "nist-800-53-r5": ["AC-6"],
              "pci-dss-v4.0.1": ["7.2.2"],
              "pci-dss-v4.0": ["7.2.2"]},
    config_schema={
        "extraSensitiveActions": {"type": "array", "default": [], "items": {"type": "string"},
                                  "description": "More actions (wildcards allowed) to treat as sensitive."},
        "allowedActions": ACTIONS_ALLOW,
        AS_OF: AS_OF_SCHEMA,
    },
    examples=(
        Example("GetSecretValue on one secret", [R(POLICY, "p", {"policy": doc(
            allow("secretsmanager:GetSecretValue", SECRET_ARN))})], {"p": "pass"}),
        Example("secretsmanager:Get* on * expands to GetSecretValue", [R(POLICY, "p", {"policy": doc(
            allow("secretsmanager:Get*"))})], {"p": "fail:policy"},
            controls=("nist-800-53-r5:AC-6", "pci-dss-v4.0.1:7.2.2", "pci-dss-v4.0:7.2.2")),
        Example("kms:Decrypt on every key of an account", [R(ROLE_POLICY, "p", {"policy": doc(
            allow("kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/*"))})], {"p": "fail:policy"},
            controls=("aws-fsbp:KMS.2",)),
        Example("one key id in any account is no scope", [R(ROLE_POLICY, "p", {"policy": doc(
            allow("kms:Decrypt", "arn:aws:kms:us-east-1:*:key/1234abcd-12ab-34cd-56ef-1234567890ab"))})],
            {"p": "fail:policy"}),
        Example("kms:Decrypt on * under kms:ViaService", [R(ROLE_POLICY, "p", {"policy": doc(allow(
            "kms:Decrypt", "*", Condition={"StringEquals": {
                "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}}))})], {"p": "pass"}),
        Example("a negated condition does not restrict", [R(ROLE_POLICY, "p", {"policy": doc(allow(
            "kms:Decrypt", "*", Condition={"StringNotEquals": {"kms:ViaService": "s3.amazonaws.com"}}))})],
            {"p": "fail:policy"}),
        Example("kms:GenerateDataKey* as a single statement", [R(USER_POLICY, "p", {"policy": {
            "Effect": "Allow", "Action": "kms:GenerateDataKey*", "Resource": "*"}})], {"p": "fail:policy"}),
        Example("apigateway:GET on /apikeys/* reads every key", [R(POLICY, "p", {"policy": doc(
            allow("apigateway:GET", "arn:aws:apigateway:us-east-1::/apikeys/*"))})], {"p": "fail:policy"}),
        Example("apigateway:GET on one usage plan's keys", [R(POLICY, "p", {"policy": doc(
            allow("apigateway:GET", "arn:aws:apigateway:us-east-1::/usageplans/abc123/keys/*"))})],
            {"p": "pass"}),
        Example("non-sensitive reads on * are another rule's business", [R(POLICY, "p", {"policy": doc(
            allow(["secretsmanager:ListSecrets", "kms:ListKeys"]))})], {"p": "pass"}),
        Example("extra sensitive action from config", [R(GROUP_POLICY, "p", {"policy": doc(
            allow("s3:GetObject", "arn:aws:s3:::*"))})], {"p": "fail:policy"},
            config={"extraSensitiveActions": ["s3:GetObject"]}),
        Example("allow-listed with a reason", [R(POLICY, "p", {"policy": doc(allow("ssm:GetParameter"))})],
                {"p": "pass"}, config={"allowedActions": [{"action": "ssm:GetParameter*", "reason": "public AMI ids"}]}),
        Example("malformed document", [R(POLICY, "p", {"policy": "[1, 2]"})], {"p": "not_applicable"}),
        Example("unknown during preview", [R(POLICY, "p", {"policy": UNKNOWN})], {"p": "unknown"}),
        identity_table(["admin", "admin_single", "decrypt_all_keys", "not_action", "sm_get_star"]),
        identity_inline_roles("sm_get_star"),
        Example("every sensitive action on * fails",
                [R(POLICY, _named(a), {"policy": doc(allow(a))}) for a in _SENSITIVE_ON_STAR],
                {_named(a): "fail:policy" for a in _SENSITIVE_ON_STAR}),
        Example("kms:Decrypt on every key in a customer managed policy",
                [R(POLICY, "p", {"policy": doc(allow(["kms:Decrypt", "kms:ReEncryptFrom"]))})], {"p": "fail:policy"},
                controls=("aws-fsbp:KMS.1",)),
    ),
)
