"""Least privilege in identity policies: wildcards, sensitive actions, resource scoping, NotAction."""
from __future__ import annotations

from typing import Any, List, Mapping

from ..examples import KEY_ARN, LAMBDA_TRUST, SECRET_ARN, Example, R, allow, doc
from ..iam.document import IDENTITY_TYPES, Document
from ..iam.grants import allowed, minus, names, on_star, pairs, resource_level_writes
from ..iam.judging import ACTIONS_ALLOW, allow_list, identity_check
from ..iam.risk import sensitive_actions
from ..model import UNKNOWN
from ..types import GROUP_POLICY, POLICY, ROLE, ROLE_POLICY, USER_POLICY
from .base import Rule

# --- iam-policy-no-service-wildcard ---------------------------------------------------------

def _service_wildcards(d: Document, config: Mapping[str, Any]) -> List[str]:
    ok = allow_list(config, "allowedServiceWildcards", "action")
    out = []
    for s in d.statements:
        if not s.allows:
            continue
        bad = [a for a in s.actions if (a == "*" or a.partition(":")[2] == "*") and a.lower() not in ok]
        if bad:
            out.append(f"{s.label} allows every action of a service: {', '.join(bad)}")
    return out


NO_SERVICE_WILDCARD = Rule(
    name="iam-policy-no-service-wildcard",
    title="Identity policies do not grant every action of a service",
    description="An Allow in an identity policy must not use the action \"*\" or \"<service>:*\"; name the "
                "actions, or a prefix such as \"ec2:Describe*\".",
    severity="high",
    enforcement="mandatory",
    kind="resource",
    check=identity_check(_service_wildcards),
    resource_types=IDENTITY_TYPES,
    remediation="Replace \"<service>:*\" with the actions the principal calls (for a secret reader: "
                "secretsmanager:GetSecretValue), or list a justified exception in allowedServiceWildcards.",
    url="https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-21",
    controls={"aws-fsbp": ["IAM.21"], "nist-800-53-r5": ["AC-6"], "pci-dss-v4.0": ["7.2.2"]},
    config_schema={"allowedServiceWildcards": ACTIONS_ALLOW},
    examples=(
        Example("named actions", [R(POLICY, "p", {"policy": doc(allow("s3:GetObject", "arn:aws:s3:::b/*"))})],
                {"p": "pass"}),
        Example("a prefix wildcard is not a service wildcard",
                [R(POLICY, "p", {"policy": doc(allow("ec2:Describe*"))})], {"p": "pass"}),
        Example("kms:* in an identity policy",
                [R(ROLE_POLICY, "p", {"policy": doc(allow("kms:*", KEY_ARN))})], {"p": "fail:policy"}),
        Example("\"*\" as a single statement dict",
                [R(POLICY, "p", {"policy": {"Effect": "Allow", "Action": "*", "Resource": SECRET_ARN}})],
                {"p": "fail:policy"}),
        Example("a Deny of s3:* is fine",
                [R(POLICY, "p", {"policy": doc({"Effect": "Deny", "Action": "s3:*", "Resource": "*"})})],
                {"p": "pass"}),
        Example("allow-listed with a reason",
                [R(POLICY, "p", {"policy": doc(allow("logs:*", "arn:aws:logs:*:*:log-group:/app:*"))})],
                {"p": "pass"}, config={"allowedServiceWildcards": [{"action": "logs:*", "reason": "log shipper"}]}),
        Example("role inline policy", [R(ROLE, "r", {"assumeRolePolicy": LAMBDA_TRUST, "inlinePolicies": [
            {"name": "x", "policy": doc(allow("secretsmanager:*", SECRET_ARN))}]})], {"r": "fail:inlinePolicies[0].policy"}),
        Example("malformed document is left to iam-policy-document-valid",
                [R(POLICY, "p", {"policy": "{\"Statement\": ["})], {"p": "not_applicable"}),
        Example("unknown during preview", [R(POLICY, "p", {"policy": UNKNOWN})], {"p": "unknown"}),
    ),
)


# --- iam-policy-sensitive-actions-scoped ------------------------------------------------------

def _sensitive(d: Document, config: Mapping[str, Any]) -> List[str]:
    sens = sensitive_actions(tuple(config.get("extraSensitiveActions") or ()))
    ok = allow_list(config, "allowedActions", "action")
    out = []
    for s, acts in pairs(d.statements):
        hit = minus(acts & sens, ok)
        if hit:
            out.append(f"{s.label} allows {names(hit)} on all resources of their type without a "
                       "restricting condition")
    return out


SENSITIVE_ACTIONS_SCOPED = Rule(
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
    resource_types=IDENTITY_TYPES,
    remediation="Put the exact secret and key ARNs in Resource (e.g. the secret's ARN for "
                "secretsmanager:GetSecretValue, the key's ARN for kms:Decrypt with a kms:ViaService condition).",
    url="https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-1",
    controls={"aws-fsbp": ["KMS.1", "KMS.2"], "nist-800-53-r5": ["AC-6"], "pci-dss-v4.0": ["7.2.2"]},
    config_schema={
        "extraSensitiveActions": {"type": "array", "default": [], "items": {"type": "string"},
                                  "description": "More actions (wildcards allowed) to treat as sensitive."},
        "allowedActions": ACTIONS_ALLOW,
    },
    examples=(
        Example("GetSecretValue on one secret", [R(POLICY, "p", {"policy": doc(
            allow("secretsmanager:GetSecretValue", SECRET_ARN))})], {"p": "pass"}),
        Example("secretsmanager:Get* on * expands to GetSecretValue", [R(POLICY, "p", {"policy": doc(
            allow("secretsmanager:Get*"))})], {"p": "fail:policy"}),
        Example("kms:Decrypt on every key of an account", [R(ROLE_POLICY, "p", {"policy": doc(
            allow("kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/*"))})], {"p": "fail:policy"}),
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
    ),
)


# --- iam-policy-resource-scoped ---------------------------------------------------------------

def _resource_scoped(d: Document, config: Mapping[str, Any]) -> List[str]:
    ok = allow_list(config, "allowedActions", "action")
    out = []
    for s in d.statements:
        if not on_star(s):
            continue
        hit = minus(resource_level_writes(allowed(s)), ok)
        if hit:
            out.append(f"{s.label} allows {names(hit)} on \"*\" without a condition, though they accept "
                       "resource ARNs")
    return out


RESOURCE_SCOPED = Rule(
    name="iam-policy-resource-scoped",
    title="Write and permissions-management actions name their resources",
    description="Write and permissions-management actions that support resource-level permissions must "
                "not be allowed on \"*\" without a condition.",
    severity="medium",
    enforcement="advisory",
    kind="resource",
    check=identity_check(_resource_scoped),
    resource_types=IDENTITY_TYPES,
    remediation="Replace \"*\" with the ARNs the actions act on (e.g. logs:CreateLogGroup on "
                "arn:aws:logs:<region>:<account>:log-group:/aws/lambda/<function>:*), or add a condition.",
    url="https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
    controls={"nist-800-53-r5": ["AC-6"], "pci-dss-v4.0": ["7.2.2"]},
    config_schema={"allowedActions": ACTIONS_ALLOW},
    examples=(
        Example("write scoped to the log group", [R(POLICY, "p", {"policy": doc(allow(
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/rotate:*"))})], {"p": "pass"}),
        Example("logs:CreateLogGroup on *", [R(ROLE_POLICY, "p", {"policy": doc(allow("logs:CreateLogGroup"))})],
                {"p": "fail:policy"}),
        Example("actions without resource-level support may use *", [R(POLICY, "p", {"policy": doc(
            allow(["secretsmanager:GetRandomPassword", "sts:GetCallerIdentity"]))})], {"p": "pass"}),
        Example("read actions on * are not this rule's business", [R(POLICY, "p", {"policy": doc(
            allow("s3:ListAllMyBuckets"))})], {"p": "pass"}),
        Example("a condition counts", [R(POLICY, "p", {"policy": doc(allow("ec2:TerminateInstances", "*",
            Condition={"StringEquals": {"aws:ResourceTag/team": "ai"}}))})], {"p": "pass"}),
        Example("iam:Pass* on * expands to iam:PassRole", [R(POLICY, "p", {"policy": doc(allow("iam:Pass*"))})],
                {"p": "fail:policy"}),
        Example("malformed: no Effect", [R(POLICY, "p", {"policy": {"Statement": [{"Action": "s3:*"}]}})],
                {"p": "not_applicable"}),
        Example("unknown during preview", [R(POLICY, "p", {"policy": UNKNOWN})], {"p": "unknown"}),
    ),
)


# --- iam-policy-no-not-action -----------------------------------------------------------------

def _not_action(d: Document, config: Mapping[str, Any]) -> List[str]:
    bad = [s for s in d.statements if s.allows and (s.not_actions or s.not_resources)]
    out = []
    for s in bad:
        which = " and ".join(n for n, v in (("NotAction", s.not_actions), ("NotResource", s.not_resources)) if v)
        out.append(f"{s.label} allows with {which}, which grants everything not listed")
    return out


NO_NOT_ACTION = Rule(
    name="iam-policy-no-not-action",
    title="No Allow with NotAction or NotResource",
    description="An Allow with NotAction or NotResource grants every action or resource not listed, "
                "including ones AWS adds later.",
    severity="high",
    enforcement="mandatory",
    kind="resource",
    check=identity_check(_not_action),
    resource_types=IDENTITY_TYPES,
    remediation="List the allowed actions in Action and the resources in Resource; keep NotAction and "
                "NotResource for Deny statements.",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
    controls={"nist-800-53-r5": ["AC-6"], "pci-dss-v4.0": ["7.2.2"]},
    examples=(
        Example("Allow with NotAction", [R(POLICY, "p", {"policy": doc(
            {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})})], {"p": "fail:policy"}),
        Example("Allow with NotResource", [R(POLICY, "p", {"policy": doc(
            {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::private/*"})})],
            {"p": "fail:policy"}),
        Example("Deny with NotAction is the safe use", [R(POLICY, "p", {"policy": doc(
            {"Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*"},
            allow("s3:GetObject", "arn:aws:s3:::b/*"))})], {"p": "pass"}),
        Example("single statement dict", [R(ROLE, "r", {"assumeRolePolicy": LAMBDA_TRUST, "inlinePolicies": [
            {"name": "x", "policy": {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}}]})], {"r": "fail:inlinePolicies[0].policy"}),
        Example("unknown during preview", [R(POLICY, "p", {"policy": UNKNOWN})], {"p": "unknown"}),
    ),
)
