"""iam-role-trust-restricted: role trust policies admit only the intended principals."""
from __future__ import annotations

import dataclasses
from typing import Any, FrozenSet, Iterable, Iterator, List, Mapping, Optional, Union

from ..examples import ACCOUNT, KEY_ARN, Example, R, doc
from ..iam.conditions import restricting_keys, restricts_principal, values_of
from ..iam.document import TRUST, Document, Statement, trust_document
from ..iam.grants import Context
from ..iam.judging import Judge, judge_documents
from ..iam.principals import GITHUB_OIDC, account_of, aws_principals, is_public, oidc_host, public_principals
from ..model import UNKNOWN, Outcome, Resource, unknown
from ..tokens.aws import POLICY, ROLE as ROLE_TYPE
from ..iam.effective import model_of
from ..model import Stack, Status, passed
from ..tokens.aws import AWS_PROVIDER, KMS_KEY
from .base import Rule

_ORG_OR_EXTERNAL = frozenset({"sts:externalid", "aws:principalorgid", "aws:principalorgpaths"})


# Cognito identity pools authenticate with aud plus amr (authenticated or not), per AWS's guidance.
_REQUIRED_KEYS = {"cognito-identity.amazonaws.com": ("aud", "amr")}


GH_PROVIDER = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"


def _own_account(res: Resource) -> Optional[str]:
    arn = res.props.get("arn")
    return account_of(arn) if isinstance(arn, str) else None


def _federated(s: Statement) -> List[str]:
    out = []
    for fed in s.principals.get("Federated", ()):
        host = oidc_host(fed)
        if host is None:  # SAML: IAM checks SAML:aud itself
            continue
        missing = [k for k in _REQUIRED_KEYS.get(host, ("aud", "sub"))
                   if not restricting_keys(s, lambda key: key.lower() == f"{host}:{k}".lower())]
        if missing:
            out.append(f"{s.label} trusts OIDC provider {host} without a restricting {' or '.join(missing)} condition")
            continue
        if host == GITHUB_OIDC:
            subs = [v for _, vals in values_of(s, f"{host}:sub") for v in vals]
            if any(v == "*" or v.lower().startswith("repo:*") for v in subs):
                out.append(f"{s.label} trusts GitHub Actions for any repository (sub \"*\" or \"repo:*\")")
    return out


def _trust_judge(own: FrozenSet[str]) -> Judge:
    """Judge a trust policy for a role whose own account is one of `own` (empty: not known)."""
    def judge(d: Document, config: Mapping[str, Any], ctx: Context) -> List[Union[str, Outcome]]:
        trusted = {str(a) for a in config.get("trustedAccountIds") or ()}
        strict = config.get("unknownAccount") == "mandatory"
        out: List[Union[str, Outcome]] = []
        for s in d.statements:
            if not s.allows:
                continue
            public = public_principals(s)
            if public and not restricts_principal(s):
                out.append(f"{s.label} lets any principal ({', '.join(public)}) assume the role without a "
                           "restricting condition")
            out.extend(_federated(s))
            if restricting_keys(s, lambda k: k.lower() in _ORG_OR_EXTERNAL):
                continue
            for p in aws_principals(s):
                acct = account_of(p)
                if acct is None or is_public(p) or acct in trusted or acct in own:
                    continue
                if not own and strict:
                    out.append(f"{s.label} trusts account {acct}, which neither the stack nor trustedAccountIds "
                               "shows to be this role's own, without sts:ExternalId or an organisation condition "
                               "(unknownAccount is mandatory)")
                elif not own:
                    out.append(unknown(f"{s.label}: cannot tell whether account {acct} is this role's own "
                                       "account; list it in trustedAccountIds", path="assumeRolePolicy"))
                else:
                    out.append(f"{s.label} trusts account {acct} without sts:ExternalId or an organisation "
                               "condition, and trustedAccountIds does not list it")
        return out
    return judge


def _accounts(res: Resource) -> FrozenSet[str]:
    acct = _own_account(res)
    return frozenset({acct}) if acct else frozenset()


def check_trust(res: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
    return judge_documents(res, trust_document(res), TRUST, _trust_judge(_accounts(res)), config,
                           "has no trust policy")


def _trust_in_stack(stack: Stack, config: Mapping[str, Any]) -> Iterator[Outcome]:
    """Decide foreign accounts with the accounts the whole stack shows as its own: the role's
    ARN (an output, absent from what Analyze sees), other resources' ARNs, and the AWS
    providers' allowedAccountIds. Only what changes against the role judged without its
    account is reported."""
    shown = model_of(stack).accounts
    for res in stack.of_type(ROLE_TYPE):
        own = _accounts(res) or shown
        if not own:
            continue
        before = list(judge_documents(res, trust_document(res), TRUST, _trust_judge(frozenset()), config, ""))
        after = list(judge_documents(res, trust_document(res), TRUST, _trust_judge(own), config, ""))
        said = {(o.status, o.message) for o in before}
        if any(o.status in (Status.FAIL, Status.UNKNOWN) for o in before) and \
                not any(o.status in (Status.FAIL, Status.UNKNOWN) for o in after):
            yield passed(f"{res.name}: every account it trusts is decided with the stack's own account",
                         urn=res.urn, path="assumeRolePolicy")
            continue
        for o in after:
            if o.status in (Status.FAIL, Status.UNKNOWN) and (o.status, o.message) not in said:
                yield dataclasses.replace(o, urn=res.urn)


def _role(name: str, *statements: Mapping[str, Any], arn: Any = None) -> R:
    props = {"assumeRolePolicy": doc(*statements)}
    if arn is not None:
        props["arn"] = arn
    return R(ROLE_TYPE, name, props)


def _assume(principal: Any, action: str = "sts:AssumeRole", **extra: Any) -> Mapping[str, Any]:
    return {"Effect": "Allow", "Principal": principal, "Action": action, **extra}


_GH = {"Federated": GH_PROVIDER}


_WEB = "sts:AssumeRoleWithWebIdentity"


_AUD = "token.actions.githubusercontent.com:aud"


_SUB = "token.actions.githubusercontent.com:sub"

_OWN_ROLE = "arn:aws:iam::111122223333:role/r"
_EKS = {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"}
_COGNITO = {"Federated": "cognito-identity.amazonaws.com"}
_FAIL = "fail:assumeRolePolicy"
# One stack of trust policies, judged with account 777788889999 trusted: (role, statements, role ARN, outcome).
# A role trusting its own account but with no ARN of its own is left out: the resource phase
# says unknown and the stack phase, seeing the account in the other ARNs, passes it, which the
# engine cannot show (it cannot withdraw the preview notice); tests/iam/test_least_privilege_misses.py
# checks that case through the scanner.
_TRUST_TABLE = (
    ("service", [_assume({"Service": "lambda.amazonaws.com"})], None, "pass"),
    ("star", [_assume("*")], _OWN_ROLE, _FAIL),
    ("aws_star_list", [_assume({"AWS": ["*"]})], _OWN_ROLE, _FAIL),
    ("wildcard_account", [_assume({"AWS": "arn:aws:iam::*:root"})], _OWN_ROLE, _FAIL),
    ("star_org", [_assume("*", Condition={"StringEquals": {"aws:PrincipalOrgID": "o-1"}})], _OWN_ROLE, "pass"),
    ("star_org_negated", [_assume("*", Condition={"StringNotEquals": {"aws:PrincipalOrgID": "o-1"}})], _OWN_ROLE,
     _FAIL),
    ("not_principal", [{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"},
                        "Action": "sts:AssumeRole"}], _OWN_ROLE, _FAIL),
    ("gh_ok", [_assume(_GH, _WEB, Condition={"StringEquals": {_AUD: "sts.amazonaws.com",
                                                              _SUB: "repo:acme/keys:environment:prod"}})],
     None, "pass"),
    ("gh_org_wide", [_assume(_GH, _WEB, Condition={"StringEquals": {_AUD: "sts.amazonaws.com"},
                                                   "StringLike": {_SUB: "repo:acme/*"}})], None, "pass"),
    ("gh_no_aud", [_assume(_GH, _WEB, Condition={"StringLike": {_SUB: "repo:acme/keys:*"}})], None, _FAIL),
    ("gh_any_repo", [_assume(_GH, _WEB, Condition={"StringEquals": {_AUD: "sts.amazonaws.com"},
                                                   "StringLike": {_SUB: "repo:*:ref:refs/heads/main"}})], None, _FAIL),
    ("gh_sub_star", [_assume(_GH, _WEB, Condition={"StringEquals": {_AUD: "sts.amazonaws.com"},
                                                   "StringLike": {_SUB: "*"}})], None, _FAIL),
    ("cognito_aud_amr", [_assume(_COGNITO, _WEB, Condition={
        "StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:pool"},
        "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}})], None, "pass"),
    ("cognito_aud_only", [_assume(_COGNITO, _WEB, Condition={
        "StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:pool"}})], None, _FAIL),
    ("eks_no_conditions", [_assume(_EKS, _WEB)], None, _FAIL),
    ("saml", [_assume({"Federated": "arn:aws:iam::111122223333:saml-provider/okta"}, "sts:AssumeRoleWithSAML")],
     None, "pass"),
    ("cross_account", [_assume({"AWS": "arn:aws:iam::444455556666:role/ci"})], _OWN_ROLE, _FAIL),
    ("cross_account_external_id", [_assume({"AWS": "444455556666"}, Condition={
        "StringEquals": {"sts:ExternalId": "x-1"}})], _OWN_ROLE, "pass"),
    ("cross_account_trusted", [_assume({"AWS": "arn:aws:iam::777788889999:root"})], _OWN_ROLE, "pass"),
    ("own_account", [_assume({"AWS": "arn:aws:iam::111122223333:root"})], _OWN_ROLE, "pass"),
    ("deny_star", [{"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"},
                   _assume({"Service": "lambda.amazonaws.com"})], None, "pass"),
    ("malformed_resource", [{**_assume("*"), "Resource": "*"}], None, "not_applicable"),
)


RULE = Rule(
    name="iam-role-trust-restricted",
    title="Role trust policies admit only the intended principals",
    description="A trust policy must not admit \"*\" without a restricting condition; OIDC federation must "
                "constrain aud and sub (for GitHub, sub not \"*\" or \"repo:*\"); another account's principal "
                "needs sts:ExternalId or an organisation condition unless trustedAccountIds lists the account.",
    severity="critical",
    enforcement="mandatory",
    kind="resource",
    check=check_trust,
    stack_check=_trust_in_stack,
    resource_types=frozenset({ROLE_TYPE}),
    remediation="Name the exact service, role or account in Principal; for OIDC add StringEquals on "
                "<provider>:aud and <provider>:sub (e.g. repo:org/repo:ref:refs/heads/main); for other "
                "accounts add sts:ExternalId or aws:PrincipalOrgID, or list the account in trustedAccountIds.",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html",
    controls={"nist-800-53-r5": ["AC-3", "AC-6"], "pci-dss-v4.0.1": ["7.2.2"], "pci-dss-v4.0": ["7.2.2"]},
    config_schema={
        "trustedAccountIds": {
            "type": "array", "default": [], "items": {"type": "string"},
            "description": "Account ids whose principals may assume roles without sts:ExternalId or an "
                           "organisation condition (list your own account to decide at preview)."},
        "unknownAccount": {
            "type": "string", "default": "advisory", "enum": ["advisory", "mandatory"],
            "description": "What another account's principal means when neither the role's ARN, the stack's "
                           "other ARNs, the AWS provider's allowedAccountIds nor trustedAccountIds show the "
                           "role's own account: advisory reports that it cannot decide; mandatory fails it."},
    },
    examples=(
        Example("a service principal", [_role("r", _assume({"Service": "lambda.amazonaws.com"}))], {"r": "pass"}),
        Example("anyone", [_role("r", _assume({"AWS": "*"}))], {"r": "fail:assumeRolePolicy"},
            controls=("nist-800-53-r5:AC-3", "nist-800-53-r5:AC-6", "pci-dss-v4.0.1:7.2.2", "pci-dss-v4.0:7.2.2")),
        Example("\"*\" restricted to the organisation", [_role("r", _assume("*", Condition={
            "StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}))], {"r": "pass"}),
        Example("\"*\" with an IfExists condition is still open", [_role("r", _assume("*", Condition={
            "StringEqualsIfExists": {"aws:PrincipalOrgID": "o-abc123"}}))], {"r": "fail:assumeRolePolicy"}),
        Example("GitHub OIDC with aud and one repository", [_role("r", _assume(_GH, _WEB, Condition={
            "StringEquals": {_AUD: "sts.amazonaws.com"},
            "StringLike": {_SUB: "repo:acme/keys:ref:refs/heads/main"}}))], {"r": "pass"}),
        Example("GitHub OIDC without sub", [_role("r", _assume(_GH, _WEB, Condition={
            "StringEquals": {_AUD: "sts.amazonaws.com"}}))], {"r": "fail:assumeRolePolicy"}),
        Example("GitHub OIDC for any repository", [_role("r", _assume(_GH, _WEB, Condition={
            "StringEquals": {_AUD: "sts.amazonaws.com"}, "StringLike": {_SUB: "repo:*"}}))], {"r": "fail:assumeRolePolicy"}),
        Example("another account without ExternalId", [_role(
            "r", _assume({"AWS": "arn:aws:iam::444455556666:root"}),
            arn="arn:aws:iam::111122223333:role/r")], {"r": "fail:assumeRolePolicy"}),
        Example("another account with ExternalId", [_role("r", _assume(
            {"AWS": "444455556666"}, Condition={"StringEquals": {"sts:ExternalId": "vendor-42"}}),
            arn="arn:aws:iam::111122223333:role/r")], {"r": "pass"}),
        Example("a trusted account", [_role("r", _assume({"AWS": "arn:aws:iam::444455556666:role/ci"}))],
                {"r": "pass"}, config={"trustedAccountIds": ["444455556666"]}),
        Example("own account, known from the role ARN", [_role(
            "r", _assume({"AWS": "arn:aws:iam::111122223333:root"}), arn="arn:aws:iam::111122223333:role/r")],
            {"r": "pass"}),
        Example("another account; the stack's other ARNs show the own account", [
            _role("r", _assume({"AWS": "arn:aws:iam::444455556666:root"})),
            R(KMS_KEY, "k", {"arn": KEY_ARN})], {"r": "fail:assumeRolePolicy"}),
        Example("another account; the AWS provider's allowedAccountIds show the own account", [
            _role("r", _assume({"AWS": "arn:aws:iam::444455556666:root"})),
            R(AWS_PROVIDER, "aws", {"allowedAccountIds": [ACCOUNT]})], {"r": "fail:assumeRolePolicy"}),
        Example("another account, own account nowhere, unknownAccount mandatory", [
            _role("r", _assume({"AWS": "arn:aws:iam::444455556666:root"}))], {"r": "fail:assumeRolePolicy"},
            config={"unknownAccount": "mandatory"}),
        Example("an account principal at preview, own account not known", [_role(
            "r", _assume({"AWS": "arn:aws:iam::111122223333:root"}))], {"r": "unknown"}),
        Example("malformed: trust policy without Principal", [R(ROLE_TYPE, "r", {"assumeRolePolicy": doc(
            {"Effect": "Allow", "Action": "sts:AssumeRole"})})], {"r": "not_applicable"}),
        Example("unknown during preview", [R(ROLE_TYPE, "r", {"assumeRolePolicy": UNKNOWN})], {"r": "unknown"}),
        Example("a stack of trust policies, one account trusted",
                [_role(name, *stmts, arn=arn) for name, stmts, arn, _ in _TRUST_TABLE]
                + [R(ROLE_TYPE, "preview", {"assumeRolePolicy": UNKNOWN}), R(POLICY, "not_a_role", {"policy": doc()})],
                {**{name: want for name, _, _, want in _TRUST_TABLE}, "preview": "unknown"},
                config={"trustedAccountIds": ["777788889999"]}),
        Example("an account not listed in trustedAccountIds",
                [_role("r", _assume({"AWS": "arn:aws:iam::777788889999:root"}), arn=_OWN_ROLE)], {"r": _FAIL}),
    ),
)
