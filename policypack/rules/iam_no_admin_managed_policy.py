"""iam-no-admin-managed-policy: no broad AWS managed policy is attached."""
from __future__ import annotations

from typing import Any, Iterable, Iterator, List, Mapping, Tuple

from ..examples import Example, R, doc
from ..tokens.aws import ROLE as ROLE_TYPE
from ..iam.judging import allow_list, allow_list_schema
from ..model import UNKNOWN, Outcome, Resource, failed, not_applicable, passed, unknown
from ..tokens.aws import (
    GROUP_ATTACHMENT,
    GROUP_EXCLUSIVE,
    POLICY_ATTACHMENT,
    ROLE_ATTACHMENT,
    ROLE_EXCLUSIVE,
    USER_ATTACHMENT,
    USER_EXCLUSIVE,
)
from .base import Rule

ADMIN_POLICIES = ["AdministratorAccess", "IAMFullAccess", "PowerUserAccess", "SecretsManagerReadWrite"]


_SINGLE = {ROLE_ATTACHMENT: "role", USER_ATTACHMENT: "user", GROUP_ATTACHMENT: "group"}


# The *AttachmentsExclusive resources (pulumi-aws 6.5x+) set a principal's whole list at once.
_EXCLUSIVE = {ROLE_EXCLUSIVE: "roleName", USER_EXCLUSIVE: "userName", GROUP_EXCLUSIVE: "groupName"}


def _attachments(res: Resource) -> Iterator[Tuple[str, Any, List[Any]]]:
    """(path, policy ARN, principals it is attached to) for every attachment `res` makes."""
    if res.type == ROLE_TYPE or res.type in _EXCLUSIVE:
        prop = "managedPolicyArns" if res.type == ROLE_TYPE else "policyArns"
        arns = res.props.get(prop)
        who = [res.props.get("name") or res.name] if res.type == ROLE_TYPE else [res.props.get(_EXCLUSIVE[res.type])]
        if arns is UNKNOWN:
            yield prop, UNKNOWN, who
        elif isinstance(arns, list):
            for i, arn in enumerate(arns):
                yield f"{prop}[{i}]", arn, who
    elif res.type in _SINGLE:
        yield "policyArn", res.props.get("policyArn"), [res.props.get(_SINGLE[res.type])]
    elif res.type == POLICY_ATTACHMENT:
        who = []
        for prop in ("roles", "users", "groups"):
            v = res.props.get(prop)
            who.extend([UNKNOWN] if v is UNKNOWN else v if isinstance(v, list) else [])
        yield "policyArn", res.props.get("policyArn"), who


def _aws_managed_name(arn: str) -> str:
    """`AdministratorAccess` for arn:<partition>:iam::aws:policy/[path/]AdministratorAccess, else ""."""
    parts = arn.split(":", 5)
    if len(parts) == 6 and parts[0] == "arn" and parts[2] == "iam" and parts[4] == "aws" \
            and parts[5].startswith("policy/"):
        return parts[5].rsplit("/", 1)[-1]
    return ""


def _principal_name(p: Any) -> Any:
    return p.rsplit("/", 1)[-1].lower() if isinstance(p, str) else p


def check_admin_managed(res: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
    denied = {n.lower() for n in config.get("deniedPolicies") or ()}
    exempt = allow_list(config, "allowedAdminPrincipals", "principal")
    seen = False
    for path, arn, who in _attachments(res):
        seen = True
        if arn is UNKNOWN:
            yield unknown(f"{res.name}: {path} is not known during preview", path=path)
            continue
        name = _aws_managed_name(arn) if isinstance(arn, str) else ""
        if name.lower() not in denied:
            yield passed(path=path)
            continue
        names = [_principal_name(p) for p in who]
        if names and all(isinstance(n, str) and n in exempt for n in names):
            yield passed(f"{res.name}: {name} is allowed for {', '.join(names)}", path=path)
        elif exempt and any(n is UNKNOWN for n in names):
            yield unknown(f"{res.name}: {path} attaches {name} to a principal not known during preview",
                          path=path)
        else:
            yield failed(f"{res.name}: {path} attaches the AWS managed policy {name}", path=path)
    if not seen:
        yield not_applicable(f"{res.name} attaches no managed policy")


ATTACHMENT_TYPES = frozenset({ROLE_TYPE, ROLE_ATTACHMENT, USER_ATTACHMENT, GROUP_ATTACHMENT, POLICY_ATTACHMENT}
                             | set(_EXCLUSIVE))


_ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
_BASIC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
_AWS_MANAGED = "arn:aws:iam::aws:policy/"


RULE = Rule(
    name="iam-no-admin-managed-policy",
    title="No broad AWS managed policy is attached",
    description="AdministratorAccess, IAMFullAccess, PowerUserAccess and SecretsManagerReadWrite must not be "
                "attached to roles, users or groups (Role.managedPolicyArns and the attachment resources).",
    severity="critical",
    enforcement="mandatory",
    kind="resource",
    check=check_admin_managed,
    resource_types=ATTACHMENT_TYPES,
    remediation="Attach a customer managed or inline policy listing the actions and ARNs the principal "
                "needs; list a break-glass role in allowedAdminPrincipals with its reason.",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html",
    controls={"cis-aws-v5.0.0": ["1.15"],
              "cis-aws-v3.0.0": ["1.16"],
              "nist-800-53-r5": ["AC-6", "AC-6(10)"],
              "pci-dss-v4.0.1": ["7.2.2"],
              "pci-dss-v4.0": ["7.2.2"]},
    config_schema={
        "deniedPolicies": {"type": "array", "default": list(ADMIN_POLICIES), "items": {"type": "string"},
                           "description": "Names of AWS managed policies that must not be attached."},
        "allowedAdminPrincipals": allow_list_schema(
            "principal", "Role, user or group names (or ARNs) that may hold them, each with its reason."),
    },
    examples=(
        Example("AdministratorAccess on a role", [R(ROLE_TYPE, "r", {"managedPolicyArns": [_ADMIN]})], {"r": "fail:managedPolicyArns[0]"},
            controls=("cis-aws-v5.0.0:1.15", "cis-aws-v3.0.0:1.16", "nist-800-53-r5:AC-6",
                      "nist-800-53-r5:AC-6(10)", "pci-dss-v4.0.1:7.2.2", "pci-dss-v4.0:7.2.2")),
        Example("a narrow AWS managed policy", [R(ROLE_ATTACHMENT, "a", {"role": "app", "policyArn":
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"})], {"a": "pass"}),
        Example("SecretsManagerReadWrite via RolePolicyAttachment", [R(ROLE_ATTACHMENT, "a", {"role": "app",
            "policyArn": "arn:aws:iam::aws:policy/SecretsManagerReadWrite"})], {"a": "fail:policyArn"}),
        Example("PowerUserAccess on a group, GovCloud partition", [R(GROUP_ATTACHMENT, "a", {"group": "devs",
            "policyArn": "arn:aws-us-gov:iam::aws:policy/PowerUserAccess"})], {"a": "fail:policyArn"}),
        Example("IAMFullAccess via PolicyAttachment", [R(POLICY_ATTACHMENT, "a", {"roles": ["x"],
            "policyArn": "arn:aws:iam::aws:policy/IAMFullAccess"})], {"a": "fail:policyArn"}),
        Example("a customer policy that shares the name", [R(USER_ATTACHMENT, "a", {"user": "u",
            "policyArn": "arn:aws:iam::111122223333:policy/AdministratorAccess"})], {"a": "pass"}),
        Example("break-glass role allowed with a reason", [R(ROLE_ATTACHMENT, "a", {"role": "break-glass",
            "policyArn": _ADMIN})], {"a": "pass"},
            config={"allowedAdminPrincipals": [{"principal": "break-glass", "reason": "incident access"}]}),
        Example("role without managed policies", [R(ROLE_TYPE, "r", {"assumeRolePolicy": doc()})],
                {"r": "not_applicable"}),
        Example("unknown during preview", [R(ROLE_ATTACHMENT, "a", {"role": "x", "policyArn": UNKNOWN})],
                {"a": "unknown"}),
        Example("every kind of attachment, one principal allowed", [
            R(ROLE_TYPE, "role_admin", {"managedPolicyArns": [_BASIC, _ADMIN]}),
            R(ROLE_TYPE, "role_basic", {"managedPolicyArns": [_BASIC]}),
            R(ROLE_TYPE, "role_none", {"assumeRolePolicy": doc()}),
            R(ROLE_TYPE, "role_preview", {"managedPolicyArns": UNKNOWN}),
            R(ROLE_ATTACHMENT, "rpa_breakglass", {"role": "break-glass", "policyArn": _ADMIN}),
            R(ROLE_ATTACHMENT, "rpa_sm_rw", {"role": "app", "policyArn": _AWS_MANAGED + "SecretsManagerReadWrite"}),
            R(USER_ATTACHMENT, "upa_iam", {"user": "bob", "policyArn": "arn:aws-cn:iam::aws:policy/IAMFullAccess"}),
            R(GROUP_ATTACHMENT, "gpa_poweruser", {"group": "devs", "policyArn": _AWS_MANAGED + "PowerUserAccess"}),
            R(POLICY_ATTACHMENT, "pa_mixed", {"roles": ["break-glass"], "users": ["bob"], "policyArn": _ADMIN}),
            R(POLICY_ATTACHMENT, "pa_unknown_role", {"roles": UNKNOWN, "policyArn": _ADMIN}),
            R(ROLE_EXCLUSIVE, "rx_admin", {"roleName": "app", "policyArns": [_BASIC, _ADMIN]}),
            R(GROUP_EXCLUSIVE, "gx_basic", {"groupName": "devs", "policyArns": [_BASIC]}),
            R(POLICY_ATTACHMENT, "pa_customer", {"roles": ["x"],
                                                 "policyArn": "arn:aws:iam::111122223333:policy/PowerUserAccess"}),
        ], {"role_admin": ("fail:managedPolicyArns[1]", "pass"), "role_basic": "pass", "role_none": "not_applicable",
            "role_preview": "unknown", "rpa_breakglass": "pass", "rpa_sm_rw": "fail:policyArn",
            "upa_iam": "fail:policyArn", "gpa_poweruser": "fail:policyArn", "pa_mixed": "fail:policyArn",
            "pa_unknown_role": "unknown",
            "rx_admin": ("fail:policyArns[1]", "pass"), "gx_basic": "pass", "pa_customer": "pass"},
            config={"allowedAdminPrincipals": [{"principal": "break-glass", "reason": "incident response"}]}),
        Example("without an allow-list an unknown principal still fails",
                [R(POLICY_ATTACHMENT, "a", {"roles": UNKNOWN, "policyArn": _ADMIN})], {"a": "fail:policyArn"}),
    ),
)
