"""iam-policy-no-service-wildcard: identity policies do not grant every action of a service."""
from __future__ import annotations

from typing import Any, List, Mapping

from ..examples import (
    IDENTITY_DOCUMENTS,
    KEY_ARN,
    LAMBDA_TRUST,
    SECRET_ARN,
    Example,
    R,
    allow,
    doc,
    identity_inline_roles,
    identity_table,
)
from ..iam.document import IDENTITY_TYPES, Document
from ..iam.grants import Context, grants_nothing
from ..iam.judging import ACTIONS_ALLOW, AS_OF, AS_OF_SCHEMA, allow_list, identity_check, principal_phase
from ..model import UNKNOWN
from ..tokens.aws import POLICY, ROLE, ROLE_POLICY
from .base import Rule


def _service_wildcards(d: Document, config: Mapping[str, Any], ctx: Context) -> List[str]:
    ok = allow_list(config, "allowedServiceWildcards", "action")
    out = []
    for s in d.statements:
        if not s.allows or grants_nothing(s, ctx):
            continue
        bad = [a for a in s.actions if (a == "*" or a.partition(":")[2] == "*") and a.lower() not in ok]
        if bad:
            out.append(f"{s.label} allows every action of a service: {', '.join(bad)}")
    return out


RULE = Rule(
    name="iam-policy-no-service-wildcard",
    title="Identity policies do not grant every action of a service",
    description="An Allow in an identity policy must not use the action \"*\" or \"<service>:*\"; name the "
                "actions, or a prefix such as \"ec2:Describe*\".",
    severity="high",
    enforcement="mandatory",
    kind="resource",
    check=identity_check(_service_wildcards),
    stack_check=principal_phase(_service_wildcards),
    resource_types=IDENTITY_TYPES,
    remediation="Replace \"<service>:*\" with the actions the principal calls (for a secret reader: "
                "secretsmanager:GetSecretValue), or list a justified exception in allowedServiceWildcards.",
    url="https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-21",
    controls={"aws-fsbp": ["IAM.21"],
              "nist-800-53-r5": ["AC-6"],
              "pci-dss-v4.0.1": ["7.2.2"],
              "pci-dss-v4.0": ["7.2.2"]},
    config_schema={"allowedServiceWildcards": ACTIONS_ALLOW, AS_OF: AS_OF_SCHEMA},
    examples=(
        Example("named actions", [R(POLICY, "p", {"policy": doc(allow("s3:GetObject", "arn:aws:s3:::b/*"))})],
                {"p": "pass"}),
        Example("a prefix wildcard is not a service wildcard",
                [R(POLICY, "p", {"policy": doc(allow("ec2:Describe*"))})], {"p": "pass"}),
        Example("kms:* in an identity policy",
                [R(ROLE_POLICY, "p", {"policy": doc(allow("kms:*", KEY_ARN))})], {"p": "fail:policy"},
                controls=("aws-fsbp:IAM.21", "nist-800-53-r5:AC-6", "pci-dss-v4.0.1:7.2.2", "pci-dss-v4.0:7.2.2")),
        Example("\"*\" as a single statement dict",
                [R(POLICY, "p", {"policy": {"Effect": "Allow", "Action": "*", "Resource": SECRET_ARN}})],
                {"p": "fail:policy"}),
        Example("iam:* allowed and denied in the same document",
                [R(POLICY, "p", {"policy": doc(allow("iam:*"), {"Effect": "Deny", "Action": "iam:*", "Resource": "*"})})],
                {"p": "pass"}),
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
        identity_table(["admin", "admin_single", "kms_star_on_key"]),
        identity_inline_roles("kms_star_on_key"),
        Example("the allow-list excuses the listed action only",
                [R(POLICY, "k", {"policy": IDENTITY_DOCUMENTS["kms_star_on_key"]}),
                 R(POLICY, "s", {"policy": doc(allow("s3:*", "arn:aws:s3:::b"))})],
                {"k": "pass", "s": "fail:policy"},
                config={"allowedServiceWildcards": [{"action": "kms:*", "reason": "key admin role"}]}),
    ),
)
