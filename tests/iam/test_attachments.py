"""Managed-policy attachments and user policies: exact sets."""
from policypack.model import UNKNOWN
from policypack.registry import BY_NAME

from .conftest import policy, resource, split, statuses

ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
BASIC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"


def test_admin_managed_exact_sets():
    stack = [
        resource("aws:iam/role:Role", "role_admin", managedPolicyArns=[BASIC, ADMIN]),
        resource("aws:iam/role:Role", "role_basic", managedPolicyArns=[BASIC]),
        resource("aws:iam/role:Role", "role_none", assumeRolePolicy=policy()),
        resource("aws:iam/role:Role", "role_preview", managedPolicyArns=UNKNOWN),
        resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "rpa_breakglass", role="break-glass",
                 policyArn=ADMIN),
        resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "rpa_sm_rw", role="app",
                 policyArn="arn:aws:iam::aws:policy/SecretsManagerReadWrite"),
        resource("aws:iam/userPolicyAttachment:UserPolicyAttachment", "upa_iam", user="bob",
                 policyArn="arn:aws-cn:iam::aws:policy/IAMFullAccess"),
        resource("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "gpa_poweruser", group="devs",
                 policyArn="arn:aws:iam::aws:policy/PowerUserAccess"),
        resource("aws:iam/policyAttachment:PolicyAttachment", "pa_mixed", roles=["break-glass"], users=["bob"],
                 policyArn=ADMIN),
        resource("aws:iam/policyAttachment:PolicyAttachment", "pa_unknown_role", roles=UNKNOWN, policyArn=ADMIN),
        resource("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "rx_admin",
                 roleName="app", policyArns=[BASIC, ADMIN]),
        resource("aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive", "gx_basic",
                 groupName="devs", policyArns=[BASIC]),
        resource("aws:iam/policyAttachment:PolicyAttachment", "pa_customer", roles=["x"],
                 policyArn="arn:aws:iam::111122223333:policy/PowerUserAccess"),
    ]
    cfg = {"allowedAdminPrincipals": [{"principal": "break-glass", "reason": "incident response"}]}
    got = split(statuses(BY_NAME["iam-no-admin-managed-policy"], stack, cfg))
    assert got == {"fail": {"role_admin", "rpa_sm_rw", "upa_iam", "gpa_poweruser", "pa_mixed", "rx_admin"},
                   "pass": {"role_basic", "rpa_breakglass", "pa_customer", "gx_basic"},
                   "not_applicable": {"role_none"}, "unknown": {"role_preview", "pa_unknown_role"}}


def test_without_an_allow_list_an_unknown_principal_still_fails():
    stack = [resource("aws:iam/policyAttachment:PolicyAttachment", "a", roles=UNKNOWN, policyArn=ADMIN)]
    assert statuses(BY_NAME["iam-no-admin-managed-policy"], stack) == {"a": "fail"}


def test_user_policies_exact_sets():
    stack = [
        resource("aws:iam/userPolicy:UserPolicy", "inline", user="bob", policy=policy()),
        resource("aws:iam/userPolicyAttachment:UserPolicyAttachment", "attached", user="bob", policyArn=BASIC),
        resource("aws:iam/policyAttachment:PolicyAttachment", "pa_users", users=["bob"], policyArn=BASIC),
        resource("aws:iam/policyAttachment:PolicyAttachment", "pa_roles", roles=["r"], policyArn=BASIC),
        resource("aws:iam/policyAttachment:PolicyAttachment", "pa_preview", users=UNKNOWN, policyArn=BASIC),
        resource("aws:iam/groupPolicy:GroupPolicy", "group_inline", group="devs", policy=policy()),
        resource("aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive", "ux_some",
                 userName="bob", policyArns=[BASIC]),
        resource("aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive", "ux_none",
                 userName="bob", policyArns=[]),
    ]
    got = split(statuses(BY_NAME["iam-no-user-policies"], stack))
    assert got == {"fail": {"inline", "attached", "pa_users", "ux_some"}, "pass": {"pa_roles", "ux_none"},
                   "unknown": {"pa_preview"}}
