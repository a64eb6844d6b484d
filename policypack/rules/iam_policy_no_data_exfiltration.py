"""iam-policy-no-data-exfiltration: data-reading actions name their resources."""
from __future__ import annotations

from ..examples import SECRET_ARN, Example, R, allow, doc, identity_inline_roles, identity_table
from ..iam.document import IDENTITY_TYPES
from ..iam.judging import ACTIONS_ALLOW, AS_OF, AS_OF_SCHEMA, identity_check, principal_phase, risk_category
from ..iam.risk import exfiltration_actions
from ..model import UNKNOWN
from ..tokens.aws import POLICY, ROLE_POLICY
from .base import Rule

_judge = risk_category("read stored data", exfiltration_actions)

RULE = Rule(
    name="iam-policy-no-data-exfiltration",
    title="Data-reading actions name their resources",
    description="Actions that read stored data (s3:GetObject, ssm:GetParameter*, "
                "secretsmanager:GetSecretValue) must not be allowed on unscoped resources.",
    severity="high",
    enforcement="advisory",
    kind="resource",
    check=identity_check(_judge),
    stack_check=principal_phase(_judge),
    resource_types=IDENTITY_TYPES,
    remediation="Name the buckets, parameters and secrets the principal reads in Resource.",
    url="https://cloudsplaining.readthedocs.io/en/latest/glossary/data-exfiltration/",
    controls={"nist-800-53-r5": ["AC-6"], "pci-dss-v4.0.1": ["7.2.2"], "pci-dss-v4.0": ["7.2.2"]},
    config_schema={"allowedActions": ACTIONS_ALLOW, AS_OF: AS_OF_SCHEMA},
    examples=(
        Example("s3:GetObject on every bucket", [R(POLICY, "p", {"policy": doc(allow("s3:GetObject", "arn:aws:s3:::*"))})],
                {"p": "fail:policy"},
                controls=("nist-800-53-r5:AC-6", "pci-dss-v4.0.1:7.2.2", "pci-dss-v4.0:7.2.2")),
        Example("ssm:GetParameter* on *", [R(ROLE_POLICY, "p", {"policy": doc(allow("ssm:GetParameter*"))})],
                {"p": "fail:policy"}),
        Example("objects of one bucket", [R(POLICY, "p", {"policy": doc(allow("s3:GetObject", "arn:aws:s3:::b/*"))})],
                {"p": "pass"}),
        Example("one secret", [R(POLICY, "p", {"policy": doc(allow("secretsmanager:GetSecretValue", SECRET_ARN))})],
                {"p": "pass"}),
        Example("unknown during preview", [R(POLICY, "p", {"policy": UNKNOWN})], {"p": "unknown"}),
        identity_table(["admin", "admin_single", "not_action", "s3_read_all", "sm_get_star"]),
        identity_inline_roles("sm_get_star"),
    ),
)
