"""Exact reader sets: policypack/access/reach.py on small stacks (rules layer: model resources)."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Set, Tuple

from policypack.access.reach import analyse
from policypack.examples import ACCOUNT, KEY_ARN, SECRET_ARN, R, allow, doc
from policypack.model import UNKNOWN, Stack
from policypack.tokens.aws import (
    GROUP, GROUP_MEMBERSHIP, GROUP_POLICY, KMS_KEY, ROLE, ROLE_POLICY, SECRET, SSM_PARAMETER, USER, USER_POLICY,
)

ROOT = f"arn:aws:iam::{ACCOUNT}:root"
OTHER = "arn:aws:iam::444455556666:root"
LAMBDA = doc({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"})
READ = allow("secretsmanager:GetSecretValue", SECRET_ARN)
DECRYPT = allow("kms:Decrypt", KEY_ARN)


def role(name: str, trust: str = LAMBDA) -> R:
    return R(ROLE, name, {"name": name, "arn": f"arn:aws:iam::{ACCOUNT}:role/{name}", "assumeRolePolicy": trust})


def inline(role_name: str, *statements: Any) -> R:
    return R(ROLE_POLICY, f"{role_name}-pol", {"role": role_name, "policy": doc(*statements)})


def secret(**props: Any) -> R:
    return R(SECRET, "s", {"name": "api-key", "arn": SECRET_ARN, "kmsKeyId": KEY_ARN, **props})


def key(policy: Optional[Any] = None) -> R:
    props: Dict[str, Any] = {"arn": KEY_ARN, "keyId": "k1"}
    if policy is not None:
        props["policy"] = policy
    return R(KMS_KEY, "k", props)


def readers(resources: List[R], target: str = "s") -> Set[Tuple[str, str, bool]]:
    access = analyse(Stack([r.build() for r in resources]))
    t = next(t for t in access.targets if t.resource.name == target)
    return {(r.principal, r.via, r.conditional) for r in t.readers}


def test_a_cmk_secret_needs_both_the_read_and_decrypt():
    assert readers([secret(), key(), role("a"), inline("a", READ)]) == set()
    assert readers([secret(), key(), role("a"), inline("a", DECRYPT)]) == set()
    assert readers([secret(), key(), role("a"), inline("a", READ, DECRYPT)]) == {("a", "identity", False)}


def test_a_key_policy_that_does_not_delegate_needs_the_principal_named():
    only_b = doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/b"}, "Action": "kms:Decrypt",
                  "Resource": "*"})
    stack = [secret(), key(only_b), role("a"), inline("a", READ, DECRYPT), role("b"), inline("b", READ)]
    assert readers(stack) == {("b", "identity", False)}
    # The key's own readers: b by the key policy; a's identity grant counts for nothing.
    assert readers(stack, "k") == {("b", "resource-policy", False)}


def test_without_a_cmk_only_the_account_reads():
    open_policy = doc({"Effect": "Allow", "Principal": {"AWS": OTHER}, "Action": "secretsmanager:GetSecretValue",
                       "Resource": "*"})
    stack = [R(SECRET, "s", {"name": "api-key", "arn": SECRET_ARN, "policy": open_policy}), role("a"), inline("a", READ)]
    # aws/secretsmanager cannot be used from another account: it is no reader.
    assert readers(stack) == {("a", "identity", False)}


def test_another_account_and_the_public_through_the_secret_and_key_policies():
    to_all = doc({"Effect": "Allow", "Principal": {"AWS": [OTHER, "*"]}, "Action": "secretsmanager:GetSecretValue",
                  "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-123"}}})
    kp = doc({"Effect": "Allow", "Principal": {"AWS": ROOT}, "Action": "kms:*", "Resource": "*"},
             {"Effect": "Allow", "Principal": {"AWS": OTHER}, "Action": "kms:Decrypt", "Resource": "*"})
    assert readers([secret(policy=to_all), key(kp)]) == {("444455556666", "resource-policy", True)}
    kp_all = doc({"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"})
    assert readers([secret(policy=to_all), key(kp_all)]) == {
        ("444455556666", "resource-policy", True), ("*", "public", True)}
    # The account by id in one policy and by root ARN in the other is one principal.
    kp_id = doc({"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "kms:Decrypt", "Resource": "*"})
    assert readers([secret(policy=to_all), key(kp_id)]) == {("444455556666", "resource-policy", True)}


def test_conditions_are_kept_and_via_service_holds_for_the_read():
    via_sm = {"StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}}
    odd = {"SomeFutureOperator": {"aws:SourceVpc": "vpc-1"}}
    assert readers([secret(), key(), role("a"), inline("a", READ, allow("kms:Decrypt", KEY_ARN, Condition=via_sm))]) \
        == {("a", "identity", False)}
    assert readers([secret(), key(), role("a"), inline("a", allow("secretsmanager:GetSecretValue", SECRET_ARN,
                                                                    Condition=odd), DECRYPT)]) \
        == {("a", "identity", True)}
    # Decrypting the key directly does not go through Secrets Manager: the condition decides.
    assert readers([secret(), key(), role("a"), inline("a", allow("kms:Decrypt", KEY_ARN, Condition=via_sm))], "k") \
        == {("a", "identity", True)}


def test_denies_remove_and_conditional_denies_leave_a_conditional_reader():
    deny = {"Effect": "Deny", "Action": "secretsmanager:*", "Resource": "*"}
    assert readers([secret(), key(), role("a"), inline("a", READ, DECRYPT, deny)]) == set()
    cdeny = {**deny, "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}
    assert readers([secret(), key(), role("a"), inline("a", READ, DECRYPT, cdeny)]) == {("a", "identity", True)}


def test_assume_role_and_escalation_paths():
    trust_account = doc({"Effect": "Allow", "Principal": {"AWS": ROOT}, "Action": "sts:AssumeRole"})
    stack = [secret(), key(), role("reader", trust_account), inline("reader", READ, DECRYPT),
             R(USER, "dev", {"name": "dev", "arn": f"arn:aws:iam::{ACCOUNT}:user/dev"}),
             R(USER_POLICY, "dev-pol", {"user": "dev", "policy": doc(allow("sts:AssumeRole",
                                                                               f"arn:aws:iam::{ACCOUNT}:role/reader"))}),
             role("ci"), inline("ci", allow(["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]))]
    access = analyse(Stack([r.build() for r in stack]))
    t = next(t for t in access.targets if t.type == "secret")
    got = {(r.principal, r.via): [p.rsplit("::", 1)[-1] for p in r.path] for r in t.readers}
    assert got == {
        ("reader", "identity"): ["reader", "reader-pol", "s"],
        ("dev", "assume-role"): ["dev", "reader", "reader-pol", "s"],
        ("ci", "escalation"): ["ci", "escalation:PassExistingRoleToNewLambdaThenInvoke", "s"],
    }


def test_a_trust_policy_naming_another_account_makes_it_a_reader_of_the_role():
    trust = doc({"Effect": "Allow", "Principal": {"AWS": OTHER}, "Action": "sts:AssumeRole"})
    assert readers([secret(), key(), role("x", trust), inline("x", READ, DECRYPT)]) == {
        ("x", "identity", False), ("444455556666", "assume-role", False)}


def test_group_members_read_the_group_does_not_appear():
    stack = [secret(), key(), R(GROUP, "g", {"name": "g", "arn": f"arn:aws:iam::{ACCOUNT}:group/g"}),
             R(GROUP_POLICY, "g-pol", {"group": "g", "policy": doc(READ, DECRYPT)}),
             R(USER, "u", {"name": "u", "arn": f"arn:aws:iam::{ACCOUNT}:user/u"}),
             R(GROUP_MEMBERSHIP, "m", {"group": "g", "users": ["u"]})]
    assert readers(stack) == {("u", "identity", False)}


def test_securestring_parameters_need_the_ssm_read_and_decrypt():
    arn = f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/app/token"
    param = R(SSM_PARAMETER, "p", {"name": "/app/token", "arn": arn, "type": "SecureString", "keyId": KEY_ARN})
    assert readers([param, key(), role("a"), inline("a", allow("ssm:GetParameter", arn))], "p") == set()
    assert readers([param, key(), role("a"), inline("a", allow("ssm:GetParameter*", arn), DECRYPT)], "p") == {
        ("a", "identity", False)}


def test_unknown_parts_are_listed_and_never_crash():
    access = analyse(Stack([r.build() for r in [secret(), key(), role("a"), R(ROLE_POLICY, "a-pol", {
        "role": "a", "policy": UNKNOWN})]]))
    t = next(t for t in access.targets if t.type == "secret")
    assert t.readers == [] and t.unknown == ["a-pol.policy"]
    access = analyse(Stack([R(SECRET, "s", {"arn": UNKNOWN}).build()]))
    assert access.targets[0].unknown == ["s.arn"]


def test_the_bundled_stack_has_exactly_its_two_roles_as_readers(stack_resources):
    access = analyse(Stack(stack_resources))
    (s,) = access.secrets
    assert s.resource.name == "api-key-secret" and s.key is not None and s.unknown == []
    assert {(r.resource_name, r.via, r.conditional) for r in _named(s.readers)} == {
        ("reader-role", "identity", False), ("rotation-role", "identity", False)}
    (k,) = access.keys
    # Directly, the key decrypts only through Secrets Manager: both roles, conditionally.
    assert {(r.resource_name, r.via, r.conditional) for r in _named(k.readers)} == {
        ("reader-role", "resource-policy", True), ("rotation-role", "resource-policy", True)}


class _N:
    def __init__(self, r: Any) -> None:
        self.resource_name = (r.principal_urn or r.principal).rsplit("::", 1)[-1]
        self.via, self.conditional = r.via, r.conditional


def _named(rs: Any) -> List[_N]:
    return [_N(r) for r in rs]


def test_pack_import_does_not_load_the_reach_analysis():
    """Rule discovery imports every rule; secretsmanager-secret-readers-allowlisted imports the
    reach analysis only when a pack configured with `readers` judges a stack."""
    import subprocess
    import sys

    code = ("import sys, policypack.registry, policypack.crossguard; "
            "print(sorted(m for m in ('policypack.access.reach', 'policypack.access.render') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
