"""Identity-policy rules over one table of documents: the exact set each rule fails, passes, skips."""
import pytest

from policypack.evaluate import evaluate
from policypack.model import UNKNOWN
from policypack.registry import BY_NAME

from .conftest import allow, policy, resource, split, statuses

POLICY = "aws:iam/policy:Policy"
ROLE = "aws:iam/role:Role"
SECRET = "arn:aws:secretsmanager:us-east-1:111122223333:secret:api-key-AbCdEf"
KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
VIA_SM = {"StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}}
TRUST = policy({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"})

DOCS = {
    "admin": policy(allow("*")),
    "admin_single": {"Effect": "Allow", "Action": "*:*", "Resource": "*"},
    "kms_star_on_key": policy(allow("kms:*", KEY)),
    "sm_get_star": policy(allow("secretsmanager:Get*")),
    "sm_get_one": policy(allow("secretsmanager:GetSecretValue", SECRET)),
    "decrypt_via": policy(allow("kms:Decrypt", "*", Condition=VIA_SM)),
    "decrypt_all_keys": policy(allow(["kms:Decrypt", "kms:DescribeKey"], "arn:aws:kms:*:111122223333:key/*")),
    "pass_lambda": policy(allow(["iam:Pass*", "lambda:CreateFunction", "lambda:InvokeFunction"])),
    "logs_star": policy(allow("logs:CreateLogGroup")),
    "s3_read_all": policy(allow("s3:GetObject", "arn:aws:s3:::*")),
    "access_key": policy(allow("iam:CreateAccessKey")),
    "not_action": policy({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}),
    "describe_only": policy(allow("ec2:Describe*")),
    "deny_all": policy({"Effect": "Deny", "Action": "*", "Resource": "*"}),
    "broken": "{\"Statement\": [",
    "preview": UNKNOWN,
}

# policy -> the exact documents it fails; every other document passes, except the two below.
FAILS = {
    "iam-policy-no-admin-wildcard": {"admin", "admin_single"},
    "iam-policy-no-service-wildcard": {"admin", "admin_single", "kms_star_on_key"},
    "iam-policy-sensitive-actions-scoped": {"admin", "admin_single", "sm_get_star", "decrypt_all_keys",
                                            "not_action"},
    "iam-policy-resource-scoped": {"admin", "admin_single", "pass_lambda", "logs_star", "access_key", "not_action"},
    "iam-policy-no-privilege-escalation": {"admin", "admin_single", "pass_lambda", "access_key", "not_action"},
    "iam-policy-no-data-exfiltration": {"admin", "admin_single", "sm_get_star", "s3_read_all", "not_action"},
    "iam-policy-no-credentials-exposure": {"admin", "admin_single", "access_key", "not_action"},
    "iam-policy-no-not-action": {"not_action"},
}


@pytest.fixture(scope="module")
def stack():
    return [resource(POLICY, name, policy=d) for name, d in DOCS.items()]


@pytest.mark.parametrize("rule_name", sorted(FAILS))
def test_exact_sets(rule_name, stack):
    got = split(statuses(BY_NAME[rule_name], stack))
    assert got.get("fail", set()) == FAILS[rule_name]
    assert got.get("not_applicable") == {"broken"}
    assert got.get("unknown") == {"preview"}
    assert got.get("pass") == set(DOCS) - FAILS[rule_name] - {"broken", "preview"}


@pytest.mark.parametrize("rule_name", sorted(FAILS))
def test_role_inline_policies_are_judged_one_by_one(rule_name):
    role = resource(ROLE, "r", assumeRolePolicy=TRUST, inlinePolicies=[
        {"name": "ok", "policy": DOCS["sm_get_one"]},
        {"name": "bad", "policy": DOCS[sorted(FAILS[rule_name])[-1]]}])
    results = evaluate([role], [BY_NAME[rule_name]])
    assert [(r.status.value, r.path) for r in results] == [
        ("pass", "inlinePolicies[0].policy"), ("fail", "inlinePolicies[1].policy")]


def test_resource_policies_are_out_of_identity_scope():
    # AWS's default key policy grants kms:* on * to the account root; identity rules never see it.
    key = resource("aws:kms/key:Key", "k", policy=policy({"Effect": "Allow", "Principal": {
        "AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}))
    for name in FAILS:
        assert statuses(BY_NAME[name], [key]) == {}


def test_messages_name_statement_and_actions_not_the_document():
    sid = policy({**allow("secretsmanager:Get*"), "Sid": "ReadAll"})
    res = evaluate([resource(POLICY, "p", policy=sid)], [BY_NAME["iam-policy-sensitive-actions-scoped"]])
    (r,) = res
    assert "statement 'ReadAll'" in r.message and "secretsmanager:GetSecretValue" in r.message
    assert "Statement" not in r.message and "{" not in r.message


def test_allow_lists_need_the_listed_action_only():
    cfg = {"allowedServiceWildcards": [{"action": "kms:*", "reason": "key admin role"}]}
    got = statuses(BY_NAME["iam-policy-no-service-wildcard"],
                   [resource(POLICY, "k", policy=DOCS["kms_star_on_key"]),
                    resource(POLICY, "s", policy=policy(allow("s3:*", "arn:aws:s3:::b")))], cfg)
    assert got == {"k": "pass", "s": "fail"}


@pytest.mark.parametrize("action", [
    "secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue", "kms:Decrypt", "kms:ReEncryptFrom",
    "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "ssm:GetParameter", "ssm:GetParametersByPath",
    "apigateway:GET", "secretsmanager:*", "kms:*", "ssm:Get*"])
def test_every_sensitive_action_on_star_fails(action):
    got = statuses(BY_NAME["iam-policy-sensitive-actions-scoped"], [resource(POLICY, "p", policy=policy(allow(action)))])
    assert got == {"p": "fail"}


def test_an_allow_list_entry_without_reason_is_refused():
    from policypack.config import ConfigError

    with pytest.raises(ConfigError, match="allowedServiceWildcards\\[0\\] needs reason"):
        statuses(BY_NAME["iam-policy-no-service-wildcard"], [], {"allowedServiceWildcards": [{"action": "s3:*"}]})
