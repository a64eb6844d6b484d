"""iam-policy-no-admin-wildcard: no identity policy grants full administrative access."""
from __future__ import annotations

from typing import Any, List, Mapping

from ..examples import Example, R, identity_inline_roles, identity_table
from ..iam.document import IDENTITY_TYPES, Document
from ..iam.grants import Context, grants_nothing
from ..iam.judging import AS_OF, AS_OF_SCHEMA, identity_check, principal_phase
from ..model import UNKNOWN
from ..tokens.aws import POLICY, ROLE, ROLE_POLICY
from .base import Rule

_ADMIN_ACTIONS = {"*", "*:*"}


def _admin_statements(d: Document, config: Mapping[str, Any], ctx: Context) -> List[str]:
    # A statement that Denies, a boundary or a past date leave empty grants nothing.
    return [f"{s.label} allows every action (\"*\") on every resource" for s in d.statements
            if s.allows and _ADMIN_ACTIONS & set(s.actions) and "*" in s.resources
            and not grants_nothing(s, ctx)]


check_no_admin_wildcard = identity_check(_admin_statements)


RULE = Rule(
    name="iam-policy-no-admin-wildcard",
    title="No identity policy grants full administrative access",
    description="IAM identity policies must not Allow the action \"*\" on the resource \"*\".",
    severity="critical",
    enforcement="mandatory",
    kind="resource",
    check=check_no_admin_wildcard,
    stack_check=principal_phase(_admin_statements),
    resource_types=IDENTITY_TYPES,
    remediation="Replace \"*\" with the exact actions the principal needs, scoped to the ARNs it uses "
                "(for a secret reader: secretsmanager:GetSecretValue on the secret's ARN).",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
    controls={"aws-fsbp": ["IAM.1"],
              "cis-aws-v5.0.0": ["1.15"],
              "cis-aws-v3.0.0": ["1.16"],
              "nist-800-53-r5": ["AC-6"],
              "pci-dss-v4.0.1": ["7.2.2"],
              "pci-dss-v4.0": ["7.2.2"]},
    config_schema={AS_OF: AS_OF_SCHEMA},
    examples=(
        Example("scoped JSON string",
                [R(POLICY, "p", {"policy": '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
                                           '"Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:'
                                           'secretsmanager:us-east-1:111122223333:secret:x"}]}'})],
                {"p": "pass"}),
        Example("admin as a JSON string",
                [R(POLICY, "p", {"policy": '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
                                           '"Action":"*","Resource":"*"}]}'})],
                {"p": "fail:policy"},
                controls=("aws-fsbp:IAM.1", "cis-aws-v5.0.0:1.15", "cis-aws-v3.0.0:1.16", "nist-800-53-r5:AC-6",
                          "pci-dss-v4.0.1:7.2.2", "pci-dss-v4.0:7.2.2")),
        Example("admin as a dict with *:* in a list",
                [R(ROLE_POLICY, "p", {"policy": {"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "*:*"],
                                                               "Resource": ["*"]}]}})],
                {"p": "fail:policy"}),
        Example("single statement, no Statement list",
                [R(POLICY, "p", {"policy": {"Effect": "Allow", "Action": "*", "Resource": "*"}})], {"p": "fail:policy"}),
        Example("a Deny of everything is fine",
                [R(POLICY, "p", {"policy": {"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}})],
                {"p": "pass"}),
        Example("admin on one resource is not full admin",
                [R(POLICY, "p", {"policy": {"Statement": [{"Effect": "Allow", "Action": "*",
                                                          "Resource": "arn:aws:s3:::b"}]}})], {"p": "pass"}),
        Example("role inline policy",
                [R(ROLE, "r", {"assumeRolePolicy": "{}", "inlinePolicies": [
                    {"name": "all", "policy": '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'}]})],
                {"r": "fail:inlinePolicies[0].policy"}),
        Example("role without identity policy", [R(ROLE, "r", {"assumeRolePolicy": "{}"})], {"r": "not_applicable"}),
        Example("invalid document is left to iam-policy-document-valid",
                [R(POLICY, "p", {"policy": "not json"})], {"p": "not_applicable"}),
        Example("unknown during preview", [R(POLICY, "p", {"policy": UNKNOWN})], {"p": "unknown"}),
        identity_table(["admin", "admin_single"]),
        identity_inline_roles("admin_single"),
    ),
)
