"""aws.iam.get_policy_document under mocks (policypack/inputs/_policydoc.py): the document the
provider would build from the same arguments."""
import json

import pytest

from policypack.inputs._policydoc import UNKNOWN_SENTINEL, BadArguments, Unknowable, policy_document


def doc(**args):
    return json.loads(policy_document(args)["json"])


def test_defaults_and_one_element_lists_render_as_strings():
    assert doc(statements=[{"actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::b/*"]}]) == {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}


def test_lists_are_sets_and_everything_renders():
    got = doc(version="2012-10-17", policyId="p1", statements=[{
        "sid": "Read", "effect": "Deny", "actions": ["s3:GetObject", "s3:GetObject", "s3:ListBucket"],
        "notResources": ["arn:aws:s3:::a", "arn:aws:s3:::b"],
        "notPrincipals": [{"type": "AWS", "identifiers": ["arn:aws:iam::111122223333:root"]}],
        "conditions": [{"test": "StringEquals", "variable": "aws:PrincipalOrgID", "values": ["o-1"]},
                       {"test": "StringEquals", "variable": "aws:PrincipalOrgID", "values": ["o-2"]},
                       {"test": "Bool", "variable": "aws:SecureTransport", "values": ["true"]}]}])
    assert got == {"Version": "2012-10-17", "Id": "p1", "Statement": [{
        "Sid": "Read", "Effect": "Deny", "Action": ["s3:ListBucket", "s3:GetObject"],
        "NotResource": ["arn:aws:s3:::b", "arn:aws:s3:::a"],
        "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": ["o-1", "o-2"]}, "Bool": {"aws:SecureTransport": "true"}}}]}


def test_principals_group_by_type_and_everyone_is_a_star():
    anyone = doc(statements=[{"actions": ["sqs:SendMessage"], "principals": [{"type": "*", "identifiers": ["*"]}]}])
    assert anyone["Statement"][0]["Principal"] == "*"
    grouped = doc(statements=[{"actions": ["sts:AssumeRole"], "principals": [
        {"type": "Service", "identifiers": ["lambda.amazonaws.com"]},
        {"type": "Service", "identifiers": ["edgelambda.amazonaws.com"]},
        {"type": "AWS", "identifiers": ["arn:aws:iam::444455556666:root"]}]}])
    assert grouped["Statement"][0]["Principal"] == {
        "Service": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"], "AWS": "arn:aws:iam::444455556666:root"}


def test_source_documents_then_own_statements_then_overrides_by_sid():
    base = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]})
    override = json.dumps({"Version": "2012-10-17", "Statement": {
        "Sid": "B", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}})
    got = doc(sourcePolicyDocuments=[base], overridePolicyDocuments=[override], statements=[
        {"sid": "A", "actions": ["s3:PutObject"], "resources": ["*"]},
        {"sid": "B", "actions": ["s3:ListBucket"], "resources": ["*"]}])
    assert got["Statement"] == [
        {"Sid": "A", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"},
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"},
        {"Sid": "B", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}]


def test_an_unknown_argument_makes_the_document_unknown():
    with pytest.raises(Unknowable):
        policy_document({"statements": [{"actions": ["sns:Publish"], "resources": [UNKNOWN_SENTINEL]}]})


@pytest.mark.parametrize("args", [
    {"statements": [{"sid": "X", "actions": ["a:b"]}, {"sid": "X", "actions": ["a:c"]}]},
    {"statements": [{"effect": "Maybe", "actions": ["a:b"]}]},
    {"sourcePolicyDocuments": ["not json"]},
])
def test_arguments_the_provider_refuses(args):
    with pytest.raises(BadArguments):
        policy_document(args)


def test_the_minified_form_and_id_are_given():
    out = policy_document({"statements": [{"actions": ["s3:GetObject"], "resources": ["*"]}]})
    assert json.loads(out["minifiedJson"]) == json.loads(out["json"]) and " " not in out["minifiedJson"]
    assert out["id"] == policy_document({"statements": [{"actions": ["s3:GetObject"], "resources": ["*"]}]})["id"]
