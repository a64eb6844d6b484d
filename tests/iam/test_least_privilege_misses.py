"""Issue 12's six miss classes, one table each: what a security reviewer expects of a principal.

Each case is a small stack, one policy, its config, and each named resource's worst status.
Bad cases failed (or were left undecided) before the principal model; good cases must stay
clean. Cases whose outcome the engine gives too (no Deny or boundary in another resource)
also live in the rules' examples, so the engine-protocol tests run them through a pack.
"""
from __future__ import annotations

from typing import Any, List, Mapping, Tuple

import pytest

from policypack.registry import BY_NAME
from policypack.tokens.aws import AWS_PROVIDER as PROVIDER, GROUP, GROUP_MEMBERSHIP, GROUP_POLICY, USER, USER_POLICY

from tests.builders import ACCOUNT as ACCT, allow, attach, deny, inline, managed, policy, res as resource, role, trusting

from .conftest import statuses

ESC = "iam-policy-no-privilege-escalation"
TRUST = "iam-role-trust-restricted"
DAY = {"asOf": "2026-06-01"}


Case = Tuple[str, str, List[Any], Mapping[str, Any], Mapping[str, str]]

ESCALATION_SET: List[Case] = [
    ("ssm:SendCommand on *", ESC, [managed("p", allow("ssm:SendCommand"))], {}, {"p": "fail"}),
    ("ssm:StartSession on *", ESC, [managed("p", allow("ssm:StartSession"))], {}, {"p": "fail"}),
    ("cloudformation:UpdateStack on *", ESC, [managed("p", allow("cloudformation:UpdateStack"))], {}, {"p": "fail"}),
    ("iam:DeleteRolePermissionsBoundary on *", ESC,
     [managed("p", allow("iam:DeleteRolePermissionsBoundary"))], {}, {"p": "fail"}),
    ("good: ssm:SendCommand on one instance and document", ESC, [managed("p", allow("ssm:SendCommand", [
        f"arn:aws:ec2:us-east-1:{ACCT}:instance/i-0abc", "arn:aws:ssm:us-east-1::document/AWS-RunShellScript"]))],
     {}, {"p": "pass"}),
    ("good: UpdateStack on one stack", ESC, [managed("p", allow(
        "cloudformation:UpdateStack", f"arn:aws:cloudformation:us-east-1:{ACCT}:stack/app/*"))], {}, {"p": "pass"}),
]

WILDCARD_ARNS: List[Case] = [
    ("CreatePolicyVersion on any account's team-* policies", ESC,
     [managed("p", allow("iam:CreatePolicyVersion", "arn:aws:iam::*:policy/team-*"))], {}, {"p": "fail"}),
    ("PassRole to a role of any account, with lambda", ESC, [managed("p", allow("iam:PassRole", "arn:aws:iam::*:role/app"),
                                                                    allow(["lambda:CreateFunction", "lambda:InvokeFunction"]))],
     {}, {"p": "fail"}),
    ("CreatePolicyVersion on a pattern matching the role's own policy", ESC, [
        role("app"), managed("team-deploy", allow("s3:GetObject", "arn:aws:s3:::b/*")),
        attach("att", "app", "team-deploy"),
        inline("rp", "app", allow("iam:CreatePolicyVersion", f"arn:aws:iam::{ACCT}:policy/team-*"))],
     {}, {"rp": "fail", "team-deploy": "pass", "app": "not_applicable"}),
    ("good: the pattern matches none of the role's policies", ESC, [
        role("app"), managed("app-deploy", allow("s3:GetObject", "arn:aws:s3:::b/*")),
        attach("att", "app", "app-deploy"),
        inline("rp", "app", allow("iam:CreatePolicyVersion", f"arn:aws:iam::{ACCT}:policy/team-*"))],
     {}, {"rp": "pass", "app-deploy": "pass", "app": "not_applicable"}),
    ("good: AWS-managed policy ARNs keep their meaning", ESC, [
        managed("p", allow("iam:CreatePolicyVersion", "arn:aws:iam::aws:policy/*"))], {}, {"p": "pass"}),
]

DENY: List[Case] = [
    ("iam:* allowed and denied in the same document", ESC, [managed("p", allow("iam:*"), deny("iam:*"))], {},
     {"p": "pass"}),
    ("iam:* allowed, everything but s3 denied (NotAction)", ESC, [managed(
        "p", allow("iam:*"), {"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"})], {}, {"p": "pass"}),
    ("a Deny pattern covering the allowed pattern", ESC, [managed(
        "p", allow("iam:CreatePolicyVersion", f"arn:aws:iam::{ACCT}:policy/team-*"),
        deny("iam:CreatePolicyVersion", "arn:aws:iam::*:policy/*"))], {}, {"p": "pass"}),
    ("a Deny in another policy of the same role", ESC, [
        role("app"), inline("allows", "app", allow("iam:*")), inline("denies", "app", deny("iam:*"))],
     {}, {"allows": "pass", "denies": "pass", "app": "not_applicable"}),
    ("a permissions boundary that allows only S3", ESC, [
        managed("boundary", allow("s3:*")),
        role("app", permissionsBoundary=f"arn:aws:iam::{ACCT}:policy/boundary"),
        inline("rp", "app", allow("iam:CreatePolicyVersion"))],
     {}, {"rp": "pass", "boundary": "pass", "app": "not_applicable"}),
    ("bad: a conditional Deny may not apply", ESC, [managed("p", allow("iam:*"), deny(
        "iam:*", Condition={"Bool": {"aws:MultiFactorAuthPresent": "false"}}))], {}, {"p": "fail"}),
    ("bad: the Deny is on another role", ESC, [
        role("app"), role("other"), inline("allows", "app", allow("iam:*")), inline("denies", "other", deny("iam:*"))],
     {}, {"allows": "fail", "denies": "pass", "app": "not_applicable", "other": "not_applicable"}),
]

PAST = {"DateLessThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}
TIME: List[Case] = [
    ("CurrentTime before a past date", ESC, [managed("p", allow("iam:CreatePolicyVersion", Condition=PAST))], DAY,
     {"p": "pass"}),
    ("TokenIssueTime before a past date", ESC, [managed("p", allow("iam:CreatePolicyVersion", Condition={
        "DateLessThan": {"aws:TokenIssueTime": "2020-01-01"}}))], DAY, {"p": "pass"}),
    ("bad: the date is still ahead on the configured day", ESC,
     [managed("p", allow("iam:CreatePolicyVersion", Condition=PAST))], {"asOf": "2019-06-01"}, {"p": "fail"}),
    ("bad: IfExists never narrows", ESC, [managed("p", allow("iam:CreatePolicyVersion", Condition={
        "DateLessThanIfExists": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}))], DAY, {"p": "fail"}),
]

SPLIT: List[Case] = [
    ("PassRole in one inline policy, lambda in another", ESC, [
        role("app"), inline("pass", "app", allow("iam:PassRole")),
        inline("fn", "app", allow(["lambda:CreateFunction", "lambda:InvokeFunction"]))],
     {}, {"pass": "fail", "fn": "pass", "app": "not_applicable"}),
    ("PassRole in an attached managed policy, lambda inline", ESC, [
        role("app"), managed("passer", allow("iam:PassRole")), attach("att", "app", "passer"),
        inline("fn", "app", allow(["lambda:CreateFunction", "lambda:InvokeFunction"]))],
     {}, {"passer": "fail", "fn": "pass", "app": "not_applicable"}),
    ("a user's own policy and its group's", ESC, [
        resource(USER, "u", **{"name": "u"}), resource(GROUP, "g", **{"name": "g"}),
        resource(GROUP_MEMBERSHIP, "m", group="g", users=["u"]),
        resource(GROUP_POLICY, "gp", group="g", policy=policy(allow("iam:PassRole"))),
        resource(USER_POLICY, "up", user="u", policy=policy(allow(["lambda:CreateFunction", "lambda:InvokeFunction"])))],
     {}, {"gp": "fail", "up": "pass"}),
    ("good: PassRole scoped to one role", ESC, [
        role("app"), inline("pass", "app", allow("iam:PassRole", f"arn:aws:iam::{ACCT}:role/worker")),
        inline("fn", "app", allow(["lambda:CreateFunction", "lambda:InvokeFunction"]))],
     {}, {"pass": "pass", "fn": "pass", "app": "not_applicable"}),
    ("good: the two halves on different roles", ESC, [
        role("a"), role("b"), inline("pass", "a", allow("iam:PassRole")),
        inline("fn", "b", allow(["lambda:CreateFunction", "lambda:InvokeFunction"]))],
     {}, {"pass": "pass", "fn": "pass", "a": "not_applicable", "b": "not_applicable"}),
]

FOREIGN = "arn:aws:iam::444455556666:root"
OWN_ROOT = f"arn:aws:iam::{ACCT}:root"
CROSS_ACCOUNT: List[Case] = [
    ("another account; the stack's key ARN shows its own", TRUST, [
        trusting("r", FOREIGN), resource("aws:kms/key:Key", "k", arn=f"arn:aws:kms:us-east-1:{ACCT}:key/k1")],
     {}, {"r": "fail"}),
    ("another account; the provider's allowedAccountIds shows its own", TRUST, [
        trusting("r", FOREIGN), resource(PROVIDER, "aws", allowedAccountIds=[ACCT])], {}, {"r": "fail"}),
    ("nothing shows the own account, unknownAccount mandatory", TRUST, [trusting("r", FOREIGN)],
     {"unknownAccount": "mandatory"}, {"r": "fail"}),
    ("good: its own account, shown by another role's ARN", TRUST, [
        trusting("r", OWN_ROOT), trusting("s", "arn:aws:iam::111122223333:role/x", arn=f"arn:aws:iam::{ACCT}:role/s")],
     {}, {"r": "pass", "s": "pass"}),
    ("nothing shows the own account: still undecided by default", TRUST, [trusting("r", FOREIGN)], {},
     {"r": "unknown"}),
]

TABLES = {"escalation set": ESCALATION_SET, "wildcard ARNs": WILDCARD_ARNS, "Deny": DENY,
          "time conditions": TIME, "split escalations": SPLIT, "cross-account trust": CROSS_ACCOUNT}
CASES = [(table, *case) for table, cases in TABLES.items() for case in cases]


@pytest.mark.parametrize("table,description,policy_name,resources,config,expect", CASES,
                         ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_miss(table, description, policy_name, resources, config, expect):
    assert statuses(BY_NAME[policy_name], resources, config) == dict(expect)


def test_every_table_has_bad_and_good_cases():
    for table, cases in TABLES.items():
        wanted = [set(c[4].values()) for c in cases]
        assert any("fail" in w for w in wanted), table
        assert any("fail" not in w for w in wanted), table
