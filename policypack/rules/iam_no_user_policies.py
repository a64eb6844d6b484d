"""iam-no-user-policies: iAM users get permissions only through groups or roles."""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..examples import Example, R, doc
from ..model import UNKNOWN, Outcome, Resource, failed, passed, unknown
from ..tokens.aws import GROUP_POLICY, POLICY_ATTACHMENT, USER_ATTACHMENT, USER_EXCLUSIVE, USER_POLICY
from .base import Rule


def check_user_policies(res: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
    if res.type == USER_POLICY:
        yield failed(f"{res.name}: an inline policy is attached to a user", path="user")
    elif res.type == USER_ATTACHMENT:
        yield failed(f"{res.name}: a managed policy is attached to a user", path="user")
    elif res.type == USER_EXCLUSIVE:
        arns = res.props.get("policyArns")
        if arns is UNKNOWN:
            yield unknown(f"{res.name}: policyArns is not known during preview", path="policyArns")
        elif arns:
            yield failed(f"{res.name}: managed policies are attached to a user", path="policyArns")
        else:
            yield passed()
    else:
        users = res.props.get("users")
        if users is UNKNOWN:
            yield unknown(f"{res.name}: users is not known during preview", path="users")
        elif isinstance(users, list) and users:
            yield failed(f"{res.name}: a managed policy is attached to {len(users)} user(s)", path="users")
        else:
            yield passed()


_BASIC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"


RULE = Rule(
    name="iam-no-user-policies",
    title="IAM users get permissions only through groups or roles",
    description="No inline policy (UserPolicy) or managed-policy attachment (UserPolicyAttachment, "
                "PolicyAttachment.users) may target an IAM user.",
    severity="medium",
    enforcement="advisory",
    kind="resource",
    check=check_user_policies,
    resource_types=frozenset({USER_POLICY, USER_ATTACHMENT, POLICY_ATTACHMENT, USER_EXCLUSIVE}),
    remediation="Attach the policy to a group and add the user to it, or let the workload assume a role.",
    url="https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-2",
    controls={"aws-fsbp": ["IAM.2"],
              "cis-aws-v5.0.0": ["1.14"],
              "cis-aws-v3.0.0": ["1.15"],
              "nist-800-53-r5": ["AC-2", "AC-6"]},
    examples=(
        Example("inline user policy", [R(USER_POLICY, "p", {"user": "bob", "policy": doc()})], {"p": "fail:user"},
            controls=("aws-fsbp:IAM.2", "cis-aws-v5.0.0:1.14", "cis-aws-v3.0.0:1.15", "nist-800-53-r5:AC-2",
                      "nist-800-53-r5:AC-6")),
        Example("user attachment", [R(USER_ATTACHMENT, "a", {"user": "bob", "policyArn": "arn:x"})], {"a": "fail:user"}),
        Example("PolicyAttachment to users", [R(POLICY_ATTACHMENT, "a", {"users": ["bob"], "policyArn": "arn:x"})],
                {"a": "fail:users"}),
        Example("PolicyAttachment to groups only", [R(POLICY_ATTACHMENT, "a", {"groups": ["devs"], "users": [],
                                                                              "policyArn": "arn:x"})], {"a": "pass"}),
        Example("unknown during preview", [R(POLICY_ATTACHMENT, "a", {"users": UNKNOWN, "policyArn": "arn:x"})],
                {"a": "unknown"}),
        Example("every way a user gets a policy, and a group's inline policy", [
            R(USER_POLICY, "inline", {"user": "bob", "policy": doc()}),
            R(USER_ATTACHMENT, "attached", {"user": "bob", "policyArn": _BASIC}),
            R(POLICY_ATTACHMENT, "pa_users", {"users": ["bob"], "policyArn": _BASIC}),
            R(POLICY_ATTACHMENT, "pa_roles", {"roles": ["r"], "policyArn": _BASIC}),
            R(POLICY_ATTACHMENT, "pa_preview", {"users": UNKNOWN, "policyArn": _BASIC}),
            R(GROUP_POLICY, "group_inline", {"group": "devs", "policy": doc()}),
            R(USER_EXCLUSIVE, "ux_some", {"userName": "bob", "policyArns": [_BASIC]}),
            R(USER_EXCLUSIVE, "ux_none", {"userName": "bob", "policyArns": []}),
        ], {"inline": "fail:user", "attached": "fail:user", "pa_users": "fail:users", "pa_roles": "pass",
            "pa_preview": "unknown", "ux_some": "fail:policyArns", "ux_none": "pass"}),
    ),
)
