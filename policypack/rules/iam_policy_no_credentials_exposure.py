"""iam-policy-no-credentials-exposure: credential-returning actions name their resources."""
from __future__ import annotations

from ..examples import KEY_ARN, LAMBDA_TRUST, Example, R, allow, doc, identity_inline_roles, identity_table
from ..iam.document import IDENTITY_TYPES
from ..iam.judging import ACTIONS_ALLOW, AS_OF, AS_OF_SCHEMA, identity_check, principal_phase, risk_category
from ..iam.risk import credentials_actions
from ..model import UNKNOWN
from ..tokens.aws import POLICY, ROLE
from .base import Rule

_judge = risk_category("return credentials", credentials_actions)

RULE = Rule(
    name="iam-policy-no-credentials-exposure",
    title="Credential-returning actions name their resources",
    description="Actions whose responses carry credentials (iam:CreateAccessKey, ecr:GetAuthorizationToken, "
                "sts:AssumeRole... cloudsplaining's list) must not be allowed on unscoped resources.",
    severity="high",
    enforcement="advisory",
    kind="resource",
    check=identity_check(_judge),
    stack_check=principal_phase(_judge),
    resource_types=IDENTITY_TYPES,
    remediation="Scope the actions to the users, roles or repositories concerned, or allow-list an action "
                "that supports no resource (such as ecr:GetAuthorizationToken) with its reason.",
    url="https://cloudsplaining.readthedocs.io/en/latest/glossary/credentials-exposure/",
    controls={"nist-800-53-r5": ["AC-6"], "pci-dss-v4.0.1": ["7.2.2"], "pci-dss-v4.0": ["7.2.2"]},
    config_schema={"allowedActions": ACTIONS_ALLOW, AS_OF: AS_OF_SCHEMA},
    examples=(
        Example("iam:CreateAccessKey on every user", [R(POLICY, "p", {"policy": doc(allow("iam:CreateAccessKey"))})],
                {"p": "fail:policy"},
                controls=("nist-800-53-r5:AC-6", "pci-dss-v4.0.1:7.2.2", "pci-dss-v4.0:7.2.2")),
        Example("sts:AssumeRole on one role", [R(ROLE, "r", {"assumeRolePolicy": LAMBDA_TRUST, "inlinePolicies": [
            {"name": "x", "policy": doc(allow("sts:AssumeRole", "arn:aws:iam::111122223333:role/deploy"))}]})],
            {"r": "pass"}),
        Example("allow-listed with a reason", [R(POLICY, "p", {"policy": doc(allow("ecr:GetAuthorizationToken"))})],
                {"p": "pass"}, config={"allowedActions": [{"action": "ecr:GetAuthorizationToken",
                                                            "reason": "supports no resource ARN"}]}),
        Example("kms:Decrypt on one key is not a credential", [R(POLICY, "p", {"policy": doc(
            allow("kms:Decrypt", KEY_ARN))})], {"p": "pass"}),
        Example("unknown during preview", [R(POLICY, "p", {"policy": UNKNOWN})], {"p": "unknown"}),
        identity_table(["access_key", "admin", "admin_single", "not_action"]),
        identity_inline_roles("not_action"),
    ),
)
