"""iam-policy-resource-scoped: write and permissions-management actions name their resources."""
from __future__ import annotations

from typing import Any, List, Mapping

from ..examples import Example, R, allow, doc, identity_inline_roles, identity_table
from ..iam.document import IDENTITY_TYPES, Document
from ..iam.grants import Context, minus, names, resource_level_writes, star_actions
from ..iam.judging import ACTIONS_ALLOW, AS_OF, AS_OF_SCHEMA, allow_list, identity_check, principal_phase
from ..model import UNKNOWN
from ..tokens.aws import POLICY, ROLE_POLICY
from .base import Rule


def _resource_scoped(d: Document, config: Mapping[str, Any], ctx: Context) -> List[str]:
    ok = allow_list(config, "allowedActions", "action")
    out = []
    for s in d.statements:
        hit = minus(resource_level_writes(star_actions(s, ctx)), ok)
        if hit:
            out.append(f"{s.label} allows {names(hit)} on \"*\" without a condition, though they accept "
                       "resource ARNs")
    return out


RULE = Rule(
    name="iam-policy-resource-scoped",
    title="Write and permissions-management actions name their resources",
    description="Write and permissions-management actions that support resource-level permissions must "
                "not be allowed on \"*\" without a condition.",
    severity="medium",
    enforcement="advisory",
    kind="resource",
    check=identity_check(_resource_scoped),
    stack_check=principal_phase(_resource_scoped),
    resource_types=IDENTITY_TYPES,
    remediation="Replace \"*\" with the ARNs the actions act on (e.g. logs:CreateLogGroup on "
                "arn:aws:logs:<region>:<account>:log-group:/aws/lambda/<function>:*), or add a condition.",
    url="https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
    controls={"nist-800-53-r5": ["AC-6"], "pci-dss-v4.0.1": ["7.2.2"], "pci-dss-v4.0": ["7.2.2"]},
    config_schema={"allowedActions": ACTIONS_ALLOW, AS_OF: AS_OF_SCHEMA},
    examples=(
        Example("write scoped to the log group", [R(POLICY, "p", {"policy": doc(allow(
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/rotate:*"))})], {"p": "pass"}),
        Example("logs:CreateLogGroup on *", [R(ROLE_POLICY, "p", {"policy": doc(allow("logs:CreateLogGroup"))})],
                {"p": "fail:policy"},
                controls=("nist-800-53-r5:AC-6", "pci-dss-v4.0.1:7.2.2", "pci-dss-v4.0:7.2.2")),
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
        identity_table(["access_key", "admin", "admin_single", "logs_star", "not_action", "pass_lambda"]),
        identity_inline_roles("pass_lambda"),
    ),
)
