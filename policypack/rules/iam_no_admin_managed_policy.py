"""iam-no-admin-managed-policy: no broad AWS managed policy is attached.

Broad by name (config `deniedPolicies`, the four AWS names by default) and, unless config
`judgeDocuments` is off, by what the policy's published document grants (iam/managed.py):
every action on every resource, secret-reading or key-using actions on unscoped resources
(iam-policy-sensitive-actions-scoped's set), or a privilege-escalation method
(iam-policy-no-privilege-escalation's set), judged as those rules judge a document alone.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator, List, Mapping, Tuple

from ..examples import Example, R, doc
from ..tokens.aws import ROLE as ROLE_TYPE
from ..iam import managed
from ..iam.grants import alone, names, pairs
from ..iam.judging import allow_list, allow_list_schema
from ..iam.risk import escalations, sensitive_actions
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


def broad_grants(arn: str) -> List[str]:
    """What makes an AWS-managed policy broad, from its published document ([] when nothing, or
    when the data does not hold it)."""
    d = managed.document(arn)
    if d is None:
        return []
    ctx = alone(d)
    unscoped = frozenset().union(*(a for _, a in pairs(d.statements, ctx)))
    out = []
    if any(s.allows and "*" in s.actions and "*" in s.resources and not s.conditions for s in d.statements):
        out.append("every action on every resource")
    hit = unscoped & sensitive_actions()
    if hit:
        out.append(f"secret-reading or key-using actions on unscoped resources ({names(hit, 3)})")
    found = escalations(unscoped)
    if found:
        out.append(f"privilege escalation ({sorted(n for n, _ in found)[0]})")
    return out


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
        why = [] if not name else ["listed in deniedPolicies"] if name.lower() in denied else \
            broad_grants(arn) if config.get("judgeDocuments", True) and isinstance(arn, str) else []
        if not why:
            yield passed(path=path)
            continue
        names = [_principal_name(p) for p in who]
        if names and all(isinstance(n, str) and n in exempt for n in names):
            yield passed(f"{res.name}: {name} is allowed for {', '.join(names)}", path=path)
        elif exempt and any(n is UNKNOWN for n in names):
            yield unknown(f"{res.name}: {path} attaches {name} to a principal not known during preview",
                          path=path)
        else:
            reason = "" if why == ["listed in deniedPolicies"] else \
                f", which grants {'; '.join(why)} (its published document, {managed.data_version()})"
            yield failed(f"{res.name}: {path} attaches the AWS managed policy {name}{reason}", path=path)
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
    description="No AWS managed policy that is broad may be attached to roles, users or groups "
                "(Role.managedPolicyArns and the attachment resources): one named in deniedPolicies "
                "(AdministratorAccess, IAMFullAccess, PowerUserAccess, SecretsManagerReadWrite by default), or "
                "one whose published document grants every action, secret-reading or key-using actions on "
                "unscoped resources, or a privilege-escalation path.",
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
        "judgeDocuments": {"type": "boolean", "default": True,
                           "description": "Also judge every attached AWS managed policy by what its published "
                                          "document grants (off: by deniedPolicies names only)."},
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
        Example("judged by its document: AWSLambda_FullAccess passes roles to new functions",
                [R(ROLE_ATTACHMENT, "a", {"role": "app", "policyArn": _AWS_MANAGED + "AWSLambda_FullAccess"})],
                {"a": "fail:policyArn"}),
        Example("judged by its document: AmazonSSMManagedInstanceCore reads every parameter",
                [R(ROLE_ATTACHMENT, "a", {"role": "app", "policyArn": _AWS_MANAGED + "AmazonSSMManagedInstanceCore"})],
                {"a": "fail:policyArn"}),
        Example("judged by its document: AmazonS3ReadOnlyAccess is not broad in these ways",
                [R(ROLE_ATTACHMENT, "a", {"role": "app", "policyArn": _AWS_MANAGED + "AmazonS3ReadOnlyAccess"})],
                {"a": "pass"}),
        Example("by name only when judgeDocuments is off",
                [R(ROLE_ATTACHMENT, "a", {"role": "app", "policyArn": _AWS_MANAGED + "AWSLambda_FullAccess"}),
                 R(ROLE_ATTACHMENT, "b", {"role": "app", "policyArn": _ADMIN})],
                {"a": "pass", "b": "fail:policyArn"}, config={"judgeDocuments": False}),
        Example("a name the data does not hold is judged by the name list",
                [R(ROLE_ATTACHMENT, "a", {"role": "app", "policyArn": _AWS_MANAGED + "OtherFuturePolicy"}),
                 R(ROLE_ATTACHMENT, "b", {"role": "app", "policyArn": _AWS_MANAGED + "SomeFuturePolicy"})],
                {"a": "pass", "b": "fail:policyArn"}, config={"deniedPolicies": ["SomeFuturePolicy"]}),
        Example("without an allow-list an unknown principal still fails",
                [R(POLICY_ATTACHMENT, "a", {"roles": UNKNOWN, "policyArn": _ADMIN})], {"a": "fail:policyArn"}),
    ),
)
