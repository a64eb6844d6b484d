"""The document model: shapes it accepts, what it rejects, wildcard expansion, and one finding per broken doc."""
import subprocess
import sys

import pytest

from policypack.evaluate import evaluate
from policypack.examples import R, allow, doc
from policypack.iam import actions
from policypack.iam.document import IDENTITY, RESOURCE, TRUST, Document, Invalid, parse
from policypack.iam.resources import is_star, is_type_wide
from policypack.model import UNKNOWN, Status
from policypack.registry import RULES
from policypack.tokens.aws import POLICY

SHAPES = [
    ("json string", doc(allow("s3:GetObject")), 1),
    ("dict", {"Version": "2012-10-17", "Statement": [allow("s3:GetObject"), allow("s3:PutObject")]}, 2),
    ("Statement as one object", {"Statement": allow("s3:GetObject")}, 1),
    ("bare statement", allow("s3:GetObject"), 1),
    ("list of statements", [allow("s3:GetObject"), allow("s3:ListBucket")], 2),
    ("action list and resource list", {"Statement": [allow(["a:B", "c:D"], ["x", "y"])]}, 1),
]


@pytest.mark.parametrize("desc,raw,n", SHAPES, ids=[s[0] for s in SHAPES])
def test_accepted_shapes(desc, raw, n):
    doc = parse(raw, IDENTITY)
    assert isinstance(doc, Document) and len(doc.statements) == n


REJECTED = [
    ("not json", "nope", None, "not valid JSON"),
    ("number", "42", None, "no Statement"),
    ("empty statements", {"Statement": []}, None, "no statements"),
    ("statement not object", {"Statement": ["x"]}, None, "must be an object"),
    ("both Action and NotAction", {"Statement": [{**allow("a:b"), "NotAction": "c:d"}]}, None, "both"),
    ("action not a string", {"Statement": [allow(5)]}, None, "Action must be"),
    ("condition not object", {"Statement": [allow("a:b", Condition="x")]}, None, "Condition must be"),
    ("identity without Resource", {"Statement": [{"Effect": "Allow", "Action": "a:b"}]}, IDENTITY, "Resource"),
    ("trust with Resource", {"Statement": [{**allow("sts:AssumeRole"), "Principal": "*"}]}, TRUST, "Resource"),
    ("resource policy without Principal", {"Statement": [allow("kms:*")]}, RESOURCE, "Principal"),
]


@pytest.mark.parametrize("desc,raw,kind,why", REJECTED, ids=[r[0] for r in REJECTED])
def test_rejected_with_reason(desc, raw, kind, why):
    doc = parse(raw, kind)
    assert isinstance(doc, Invalid) and why in doc.reason


def test_unknown_anywhere_is_unknown():
    assert parse({"Statement": [allow("s3:GetObject", UNKNOWN)]}) is UNKNOWN


EXPANSIONS = [
    ("secretsmanager:Get*", {"secretsmanager:GetSecretValue", "secretsmanager:GetRandomPassword"}, set()),
    ("kms:GenerateDataKey*", {"kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext"}, {"kms:Decrypt"}),
    ("iam:Pass*", {"iam:PassRole"}, {"iam:CreateRole"}),
    ("KMS:DECRYPT", {"kms:Decrypt"}, {"kms:Encrypt"}),
    ("ssm:GetParameter?", {"ssm:GetParameters"}, {"ssm:GetParameter", "ssm:GetParametersByPath"}),
    ("s?s:SendMessage", {"sqs:SendMessage"}, set()),
]


@pytest.mark.parametrize("pattern,has,lacks", EXPANSIONS, ids=[e[0] for e in EXPANSIONS])
def test_wildcard_expansion(pattern, has, lacks):
    got = {actions.display(a) for a in actions.expand(pattern)}
    assert has <= got and not (lacks & got)


def test_kms_star_is_every_kms_action_and_star_is_everything():
    kms = actions.expand("kms:*")
    assert all(a.startswith("kms:") for a in kms) and len(kms) > 40
    assert len(actions.expand("*")) == actions.database_stats()["actions"] > 10000


def test_access_levels_and_resource_level_support():
    assert actions.access_level("secretsmanager:GetSecretValue") == "Read"
    assert actions.access_level("iam:PutRolePolicy") == "Permissions management"
    assert actions.info("logs:CreateLogGroup").resource_level is True
    assert actions.info("sts:GetCallerIdentity").resource_level is False
    assert actions.info("nosuch:Action") is None


@pytest.mark.parametrize("arn,star,wide", [
    ("*", True, True),
    ("arn:aws:kms:*:*:*", True, True),
    ("arn:aws:s3:::*", True, True),
    ("arn:aws:logs:us-east-1:111122223333:*", True, True),
    ("arn:aws:apigateway:us-east-1::/*", True, True),
    ("arn:aws:kms:us-east-1:111122223333:key/*", False, True),
    ("arn:aws:secretsmanager:us-east-1:111122223333:secret:*", False, True),
    ("arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/*", False, False),
    ("arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/fn:*", False, False),
    ("arn:aws:s3:::bucket/*", False, False),
    ("arn:aws:apigateway:us-east-1::/apikeys/*", False, True),
    ("arn:aws:apigateway:us-east-1::/restapis/abc/*", False, False),
])
def test_resource_breadth(arn, star, wide):
    assert (is_star(arn), is_type_wide(arn)) == (star, wide)


@pytest.mark.parametrize("raw", ["not json", doc({"Effect": "Allow", "Resource": "*"})])
def test_a_broken_document_is_one_finding_across_the_pack(raw):
    stack = [R(POLICY, "p", {"policy": raw}).build()]
    fails = [r for r in evaluate(stack, RULES) if r.status is Status.FAIL]
    assert [r.policy for r in fails] == ["iam-policy-document-valid"]
    assert fails[0].message.startswith("p: policy document at policy is not valid: ")


def test_pack_import_does_not_load_the_iam_databases():
    code = ("import sys, policypack.registry, policypack.crossguard; "
            "print(any(m.startswith(('policy_sentry', 'cloudsplaining')) for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
