"""secretsmanager-secret-policy-no-public-principal: secret resource policies do not grant access to everyone."""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..examples import Example, R, doc
from ..iam.document import RESOURCE, SECRET_POLICY_TYPES, resource_documents
from ..iam.judging import judge_documents, public_grants
from ..model import UNKNOWN, Outcome, Resource
from ..tokens.aws import SECRET, SECRET_POLICY
from .base import Rule


def check_public_principal(res: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
    return judge_documents(res, resource_documents(res), RESOURCE, public_grants, config,
                           "has no resource policy")


def _read(principal: Any, **extra: Any) -> Mapping[str, Any]:
    return {"Effect": "Allow", "Principal": principal, "Action": "secretsmanager:GetSecretValue",
            "Resource": "*", **extra}


RULE = Rule(
    name="secretsmanager-secret-policy-no-public-principal",
    title="Secret resource policies do not grant access to everyone",
    description="A secret's resource policy must not Allow \"*\" (or {\"AWS\": \"*\"}, or NotPrincipal) "
                "without a condition that ties the grant to an account or organisation.",
    severity="critical",
    enforcement="mandatory",
    kind="resource",
    check=check_public_principal,
    resource_types=SECRET_POLICY_TYPES,
    remediation="Name the reading roles in Principal, or add aws:PrincipalOrgID / aws:PrincipalAccount; "
                "set block_public_policy=True on the SecretPolicy.",
    url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_resource-policies.html",
    controls={"nist-800-53-r5": ["AC-3", "AC-6"], "pci-dss-v4.0.1": ["7.2.2"], "pci-dss-v4.0": ["7.2.2"]},
    examples=(
        Example("a named role", [R(SECRET_POLICY, "s", {"secretArn": "arn:x", "policy": doc(
            _read({"AWS": "arn:aws:iam::111122223333:role/reader"}))})], {"s": "pass"}),
        Example("anyone may read", [R(SECRET_POLICY, "s", {"secretArn": "arn:x", "policy": doc(_read("*"))})],
                {"s": "fail:policy"},
                controls=("nist-800-53-r5:AC-3", "nist-800-53-r5:AC-6", "pci-dss-v4.0.1:7.2.2", "pci-dss-v4.0:7.2.2")),
        Example("inline on the Secret, AWS *, single statement", [R(SECRET, "s", {"policy": {
            "Statement": _read({"AWS": "*"})}})], {"s": "fail:policy"}),
        Example("* restricted to the organisation", [R(SECRET, "s", {"policy": doc(_read("*", Condition={
            "StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}))})], {"s": "pass"}),
        Example("a wildcard org id restricts nothing", [R(SECRET, "s", {"policy": doc(_read("*", Condition={
            "StringLike": {"aws:PrincipalOrgID": "*"}}))})], {"s": "fail:policy"}),
        Example("a Deny to * is fine", [R(SECRET, "s", {"policy": doc({**_read("*"), "Effect": "Deny"})})],
                {"s": "pass"}),
        Example("no resource policy", [R(SECRET, "s", {"kmsKeyId": "k"})], {"s": "not_applicable"}),
        Example("malformed: Principal missing", [R(SECRET, "s", {"policy": doc(
            {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"})})],
            {"s": "not_applicable"}),
        Example("unknown during preview", [R(SECRET_POLICY, "s", {"policy": UNKNOWN})], {"s": "unknown"}),
        Example("a stack of secrets and secret policies", [
            R(SECRET, "no_policy", {}),
            R(SECRET, "role", {"policy": doc(_read({"AWS": "arn:aws:iam::111122223333:role/r"}))}),
            R(SECRET, "public", {"policy": doc(_read("*"))}),
            R(SECRET_POLICY, "sp_public_single", {"secretArn": "arn:x", "policy": {"Statement": _read({"AWS": "*"})}}),
            R(SECRET_POLICY, "org", {"secretArn": "arn:x", "policy": doc(_read("*", Condition={
                "StringEquals": {"aws:PrincipalOrgID": "o-1"}}))}),
            R(SECRET_POLICY, "org_if_exists", {"secretArn": "arn:x", "policy": doc(_read("*", Condition={
                "StringEqualsIfExists": {"aws:PrincipalOrgID": "o-1"}}))}),
            R(SECRET_POLICY, "no_principal", {"secretArn": "arn:x", "policy": doc(
                {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"})}),
            R(SECRET_POLICY, "preview", {"secretArn": "arn:x", "policy": UNKNOWN}),
        ], {"no_policy": "not_applicable", "role": "pass", "public": "fail:policy", "sp_public_single": "fail:policy",
            "org": "pass", "org_if_exists": "fail:policy", "no_principal": "not_applicable", "preview": "unknown"}),
    ),
)
