"""kms-key-policy-no-public-principal: kMS key policies do not grant access to everyone."""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..examples import DEFAULT_KEY_STATEMENT, Example, R, doc
from ..iam.document import KMS_POLICY_TYPES, RESOURCE, resource_documents
from ..iam.judging import judge_documents, public_grants
from ..model import UNKNOWN, Outcome, Resource, passed
from ..tokens.aws import KEY_POLICY, SECRET
from ..tokens.aws import KMS_KEY as KEY
from .base import Rule


def check_public_principal(res: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
    docs = list(resource_documents(res))
    if not docs:
        # No policy set: AWS installs its default, which grants only the account.
        yield passed(f"{res.name} uses the default key policy")
        return
    yield from judge_documents(res, docs, RESOURCE, public_grants, config, "")


def _grant(principal: Any, **extra: Any) -> Mapping[str, Any]:
    return {"Effect": "Allow", "Principal": principal, "Action": ["kms:Decrypt", "kms:DescribeKey"],
            "Resource": "*", **extra}


RULE = Rule(
    name="kms-key-policy-no-public-principal",
    title="KMS key policies do not grant access to everyone",
    description="A key policy Allow to \"*\" (or {\"AWS\": \"*\"}, or NotPrincipal) needs a condition that "
                "ties it to an account or organisation; kms:* for the account root, AWS's default, passes.",
    severity="critical",
    enforcement="mandatory",
    kind="resource",
    check=check_public_principal,
    resource_types=KMS_POLICY_TYPES,
    remediation="Name the roles that use the key in Principal, or add kms:CallerAccount / aws:PrincipalOrgID "
                "to the statement.",
    url="https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-5",
    controls={"aws-fsbp": ["KMS.5"],
              "nist-800-53-r5": ["AC-3", "AC-6"],
              "pci-dss-v4.0.1": ["7.2.2"],
              "pci-dss-v4.0": ["7.2.2"]},
    examples=(
        Example("AWS's default key policy", [R(KEY, "k", {"policy": doc(DEFAULT_KEY_STATEMENT)})], {"k": "pass"}),
        Example("no policy set", [R(KEY, "k", {"enableKeyRotation": True})], {"k": "pass"}),
        Example("Decrypt for everyone", [R(KEY, "k", {"policy": doc(DEFAULT_KEY_STATEMENT, _grant("*"))})], {"k": "fail:policy"},
            controls=("aws-fsbp:KMS.5", "nist-800-53-r5:AC-3", "nist-800-53-r5:AC-6", "pci-dss-v4.0.1:7.2.2",
                      "pci-dss-v4.0:7.2.2")),
        Example("AWS * in a KeyPolicy, single statement", [R(KEY_POLICY, "k", {"keyId": "k1", "policy": {
            "Statement": _grant({"AWS": "*"})}})], {"k": "fail:policy"}),
        Example("* with kms:CallerAccount and kms:ViaService", [R(KEY, "k", {"policy": doc(DEFAULT_KEY_STATEMENT, _grant(
            {"AWS": "*"}, Condition={"StringEquals": {"kms:CallerAccount": "111122223333",
                                                      "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}}))})],
            {"k": "pass"}),
        Example("kms:ViaService alone does not tie it to an account", [R(KEY, "k", {"policy": doc(_grant(
            "*", Condition={"StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}}))})],
            {"k": "fail:policy"}),
        Example("malformed key policy", [R(KEY, "k", {"policy": "{not json"})], {"k": "not_applicable"}),
        Example("unknown during preview", [R(KEY, "k", {"policy": UNKNOWN})], {"k": "unknown"}),
        Example("a stack of keys and key policies", [
            R(KEY, "default", {"policy": doc(DEFAULT_KEY_STATEMENT)}),
            R(KEY, "none", {}),
            R(KEY, "public", {"policy": doc(DEFAULT_KEY_STATEMENT, {**_grant("*"), "Action": "kms:Decrypt"})}),
            R(KEY, "public_via_only", {"policy": doc(_grant({"AWS": "*"}, Condition={
                "StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}}))}),
            R(KEY, "caller_account", {"policy": doc(_grant({"AWS": "*"}, Condition={
                "StringEquals": {"kms:CallerAccount": "111122223333"}}))}),
            R(KEY_POLICY, "kp_public_single", {"keyId": "k", "policy": {
                "Statement": {**_grant("*"), "Action": "kms:*"}}}),
            R(KEY, "broken", {"policy": "{"}),
            R(KEY, "preview", {"policy": UNKNOWN}),
            # A secret's policy is secretsmanager-secret-policy-no-public-principal's business.
            R(SECRET, "secret_is_other_rule", {"policy": doc({
                "Effect": "Allow", "Principal": "*", "Action": "secretsmanager:GetSecretValue", "Resource": "*"})}),
        ], {"default": "pass", "none": "pass", "public": "fail:policy", "public_via_only": "fail:policy",
            "caller_account": "pass", "kp_public_single": "fail:policy", "broken": "not_applicable",
            "preview": "unknown"}),
    ),
)
