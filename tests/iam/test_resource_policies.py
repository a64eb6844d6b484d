"""Key and secret policies: public principals and the lockout bypass, exact sets."""
from policypack.model import UNKNOWN
from policypack.registry import BY_NAME

from .conftest import policy, resource, split, statuses

KEY, KEY_POLICY = "aws:kms/key:Key", "aws:kms/keyPolicy:KeyPolicy"
SECRET, SECRET_POLICY = "aws:secretsmanager/secret:Secret", "aws:secretsmanager/secretPolicy:SecretPolicy"
ROOT = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*",
        "Resource": "*"}


def grant(principal, action, **extra):
    return {"Effect": "Allow", "Principal": principal, "Action": action, "Resource": "*", **extra}


def test_key_policies_exact_sets():
    stack = [
        resource(KEY, "default", policy=policy(ROOT)),
        resource(KEY, "none"),
        resource(KEY, "public", policy=policy(ROOT, grant("*", "kms:Decrypt"))),
        resource(KEY, "public_via_only", policy=policy(grant({"AWS": "*"}, "kms:Decrypt", Condition={
            "StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}}))),
        resource(KEY, "caller_account", policy=policy(grant({"AWS": "*"}, "kms:Decrypt", Condition={
            "StringEquals": {"kms:CallerAccount": "111122223333"}}))),
        resource(KEY_POLICY, "kp_public_single", keyId="k", policy={"Statement": grant("*", "kms:*")}),
        resource(KEY, "broken", policy="{"),
        resource(KEY, "preview", policy=UNKNOWN),
        resource(SECRET, "secret_is_other_rule", policy=policy(grant("*", "secretsmanager:GetSecretValue"))),
    ]
    got = split(statuses(BY_NAME["kms-key-policy-no-public-principal"], stack))
    assert got == {"pass": {"default", "none", "caller_account"},
                   "fail": {"public", "public_via_only", "kp_public_single"},
                   "not_applicable": {"broken"}, "unknown": {"preview"}}


def test_secret_policies_exact_sets():
    read = "secretsmanager:GetSecretValue"
    stack = [
        resource(SECRET, "no_policy"),
        resource(SECRET, "role", policy=policy(grant({"AWS": "arn:aws:iam::111122223333:role/r"}, read))),
        resource(SECRET, "public", policy=policy(grant("*", read))),
        resource(SECRET_POLICY, "sp_public_single", secretArn="arn:x", policy={"Statement": grant({"AWS": "*"}, read)}),
        resource(SECRET_POLICY, "org", secretArn="arn:x", policy=policy(grant("*", read, Condition={
            "StringEquals": {"aws:PrincipalOrgID": "o-1"}}))),
        resource(SECRET_POLICY, "org_if_exists", secretArn="arn:x", policy=policy(grant("*", read, Condition={
            "StringEqualsIfExists": {"aws:PrincipalOrgID": "o-1"}}))),
        resource(SECRET_POLICY, "no_principal", secretArn="arn:x", policy=policy(
            {"Effect": "Allow", "Action": read, "Resource": "*"})),
        resource(SECRET_POLICY, "preview", secretArn="arn:x", policy=UNKNOWN),
    ]
    got = split(statuses(BY_NAME["secretsmanager-secret-policy-no-public-principal"], stack))
    assert got == {"pass": {"role", "org"}, "fail": {"public", "sp_public_single", "org_if_exists"},
                   "not_applicable": {"no_policy", "no_principal"}, "unknown": {"preview"}}


def test_lockout_bypass_exact_sets():
    stack = [resource(KEY, "unset"), resource(KEY, "off", bypassPolicyLockoutSafetyCheck=False),
             resource(KEY, "on", bypassPolicyLockoutSafetyCheck=True),
             resource(KEY_POLICY, "kp_on", keyId="k", policy=policy(ROOT), bypassPolicyLockoutSafetyCheck=True),
             resource(KEY, "preview", bypassPolicyLockoutSafetyCheck=UNKNOWN)]
    got = split(statuses(BY_NAME["kms-key-no-lockout-bypass"], stack))
    assert got == {"pass": {"unset", "off"}, "fail": {"on", "kp_on"}, "unknown": {"preview"}}
