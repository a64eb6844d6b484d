"""KMS key policies: no public principal, and no bypass of the lockout safety check."""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..examples import DEFAULT_KEY_STATEMENT, Example, R, doc
from ..iam.document import KMS_POLICY_TYPES, RESOURCE, resource_documents
from ..iam.judging import judge_documents, public_grants
from ..model import UNKNOWN, Outcome, Resource, failed, passed, unknown
from ..types import KEY_POLICY
from ..types import KMS_KEY as KEY
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


KMS_KEY_POLICY_NO_PUBLIC_PRINCIPAL = Rule(
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
    controls={"aws-fsbp": ["KMS.5"], "nist-800-53-r5": ["AC-3", "AC-6"], "pci-dss-v4.0": ["7.2.2"]},
    examples=(
        Example("AWS's default key policy", [R(KEY, "k", {"policy": doc(DEFAULT_KEY_STATEMENT)})], {"k": "pass"}),
        Example("no policy set", [R(KEY, "k", {"enableKeyRotation": True})], {"k": "pass"}),
        Example("Decrypt for everyone", [R(KEY, "k", {"policy": doc(DEFAULT_KEY_STATEMENT, _grant("*"))})], {"k": "fail:policy"}),
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
    ),
)


def check_lockout_bypass(res: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
    value = res.props.get("bypassPolicyLockoutSafetyCheck")
    if value is UNKNOWN:
        yield unknown(f"{res.name}: bypassPolicyLockoutSafetyCheck is not known during preview",
                      path="bypassPolicyLockoutSafetyCheck")
    elif value is True:
        yield failed(f"{res.name}: bypassPolicyLockoutSafetyCheck is set, so a key policy that locks every "
                     "principal out of the key is accepted", path="bypassPolicyLockoutSafetyCheck")
    else:
        yield passed()


KMS_KEY_NO_LOCKOUT_BYPASS = Rule(
    name="kms-key-no-lockout-bypass",
    title="KMS keys keep the policy lockout safety check",
    description="bypassPolicyLockoutSafetyCheck lets a key policy that nobody can manage take effect, making "
                "the key, and everything encrypted under it, unmanageable.",
    severity="high",
    enforcement="mandatory",
    kind="resource",
    check=check_lockout_bypass,
    resource_types=KMS_POLICY_TYPES,
    remediation="Remove bypass_policy_lockout_safety_check (it defaults to false).",
    url="https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html",
    controls={"nist-800-53-r5": ["SC-12"]},
    examples=(
        Example("not set", [R(KEY, "k", {"enableKeyRotation": True})], {"k": "pass"}),
        Example("set on a key", [R(KEY, "k", {"bypassPolicyLockoutSafetyCheck": True})], {"k": "fail:bypassPolicyLockoutSafetyCheck"}),
        Example("set on a KeyPolicy", [R(KEY_POLICY, "k", {"keyId": "k1", "policy": doc(DEFAULT_KEY_STATEMENT),
                                                          "bypassPolicyLockoutSafetyCheck": True})], {"k": "fail:bypassPolicyLockoutSafetyCheck"}),
        Example("explicitly false", [R(KEY, "k", {"bypassPolicyLockoutSafetyCheck": False})], {"k": "pass"}),
        Example("unknown during preview", [R(KEY, "k", {"bypassPolicyLockoutSafetyCheck": UNKNOWN})],
                {"k": "unknown"}),
    ),
)
