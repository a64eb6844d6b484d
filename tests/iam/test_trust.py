"""iam-role-trust-restricted over a table of trust policies: exact fail/pass/unknown sets."""
from policypack.model import UNKNOWN
from policypack.registry import BY_NAME

from .conftest import policy, resource, split, statuses

RULE = BY_NAME["iam-role-trust-restricted"]
ROLE = "aws:iam/role:Role"
OWN = "arn:aws:iam::111122223333:role/r"
GH = {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}
AUD = "token.actions.githubusercontent.com:aud"
SUB = "token.actions.githubusercontent.com:sub"
EKS = {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"}


def trust(principal, action="sts:AssumeRole", **extra):
    return {"Effect": "Allow", "Principal": principal, "Action": action, **extra}


WEB = "sts:AssumeRoleWithWebIdentity"
TABLE = {
    # name: (statements, role arn or None, expected)
    "service": ([trust({"Service": "lambda.amazonaws.com"})], None, "pass"),
    "star": ([trust("*")], OWN, "fail"),
    "aws_star_single": ({"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "sts:AssumeRole"}, OWN, "fail"),
    "wildcard_account": ([trust({"AWS": "arn:aws:iam::*:root"})], OWN, "fail"),
    "star_org": ([trust("*", Condition={"StringEquals": {"aws:PrincipalOrgID": "o-1"}})], OWN, "pass"),
    "star_org_negated": ([trust("*", Condition={"StringNotEquals": {"aws:PrincipalOrgID": "o-1"}})], OWN, "fail"),
    "not_principal": ([{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"},
                        "Action": "sts:AssumeRole"}], OWN, "fail"),
    "gh_ok": ([trust(GH, WEB, Condition={"StringEquals": {AUD: "sts.amazonaws.com",
                                                           SUB: "repo:acme/keys:environment:prod"}})], None, "pass"),
    "gh_org_wide": ([trust(GH, WEB, Condition={"StringEquals": {AUD: "sts.amazonaws.com"},
                                               "StringLike": {SUB: "repo:acme/*"}})], None, "pass"),
    "gh_no_aud": ([trust(GH, WEB, Condition={"StringLike": {SUB: "repo:acme/keys:*"}})], None, "fail"),
    "gh_any_repo": ([trust(GH, WEB, Condition={"StringEquals": {AUD: "sts.amazonaws.com"},
                                               "StringLike": {SUB: "repo:*:ref:refs/heads/main"}})], None, "fail"),
    "gh_sub_star": ([trust(GH, WEB, Condition={"StringEquals": {AUD: "sts.amazonaws.com"},
                                               "StringLike": {SUB: "*"}})], None, "fail"),
    "cognito_aud_amr": ([trust({"Federated": "cognito-identity.amazonaws.com"}, WEB, Condition={
        "StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:pool"},
        "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}})], None, "pass"),
    "cognito_aud_only": ([trust({"Federated": "cognito-identity.amazonaws.com"}, WEB, Condition={
        "StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:pool"}})], None, "fail"),
    "eks_no_conditions": ([trust(EKS, WEB)], None, "fail"),
    "saml": ([trust({"Federated": "arn:aws:iam::111122223333:saml-provider/okta"}, "sts:AssumeRoleWithSAML")],
             None, "pass"),
    "cross_account": ([trust({"AWS": "arn:aws:iam::444455556666:role/ci"})], OWN, "fail"),
    "cross_account_external_id": ([trust({"AWS": "444455556666"}, Condition={
        "StringEquals": {"sts:ExternalId": "x-1"}})], OWN, "pass"),
    "cross_account_trusted": ([trust({"AWS": "arn:aws:iam::777788889999:root"})], OWN, "pass"),
    "own_account": ([trust({"AWS": "arn:aws:iam::111122223333:root"})], OWN, "pass"),
    # No ARN of its own, but the other roles' ARNs show the stack's account (issue 12).
    "own_account_from_stack": ([trust({"AWS": "arn:aws:iam::111122223333:root"})], None, "pass"),
    "deny_star": ([{"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"},
                   trust({"Service": "lambda.amazonaws.com"})], None, "pass"),
    "malformed_resource": ([{**trust("*"), "Resource": "*"}], None, "not_applicable"),
}


def _stack():
    out = []
    for name, (stmts, arn, _) in TABLE.items():
        props = {"assumeRolePolicy": policy(*stmts) if isinstance(stmts, list) else policy(stmts)}
        if arn:
            props["arn"] = arn
        out.append(resource(ROLE, name, **props))
    out.append(resource(ROLE, "preview", assumeRolePolicy=UNKNOWN))
    out.append(resource("aws:iam/policy:Policy", "not_a_role", policy=policy()))
    return out


def test_exact_sets():
    got = statuses(RULE, _stack(), {"trustedAccountIds": ["777788889999"]})
    want = {name: status for name, (_, _, status) in TABLE.items()}
    want["preview"] = "unknown"
    assert split(got) == split(want)


def test_without_trusted_accounts_the_listed_account_fails():
    got = statuses(RULE, [r for r in _stack() if r.name == "cross_account_trusted"])
    assert got == {"cross_account_trusted": "fail"}


def test_message_names_statement_and_principal():
    from policypack.evaluate import evaluate

    res = evaluate([r for r in _stack() if r.name == "cross_account"], [RULE])
    assert [r.status.value for r in res] == ["fail"]
    assert "statement #0" in res[0].message and "444455556666" in res[0].message
