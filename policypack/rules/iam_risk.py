"""cloudsplaining's risk categories over identity policies: escalation, exfiltration, credentials."""
from __future__ import annotations

from typing import Any, List, Mapping

from ..examples import KEY_ARN, LAMBDA_TRUST, SECRET_ARN, Example, R, allow, doc
from ..iam.document import IDENTITY_TYPES, Document
from ..iam.grants import labels, minus, names, pairs
from ..iam.judging import ACTIONS_ALLOW, allow_list, identity_check, risk_category
from ..iam.risk import credentials_actions, escalations, exfiltration_actions
from ..model import UNKNOWN
from ..types import POLICY, ROLE, ROLE_POLICY
from .base import Rule

_SOURCE = "https://cloudsplaining.readthedocs.io/en/latest/glossary/"


# --- iam-policy-no-privilege-escalation ------------------------------------------------------

def _escalation(d: Document, config: Mapping[str, Any]) -> List[str]:
    ok = allow_list(config, "allowedActions", "action")
    granted = [(s, minus(acts, ok)) for s, acts in pairs(d.statements)]
    union = frozenset().union(*(a for _, a in granted)) if granted else frozenset()
    found = escalations(union)
    if not found:
        return []
    involved = frozenset().union(*(need for _, need in found))
    stmts = [s for s, acts in granted if acts & involved]
    methods = sorted(name for name, _ in found)
    shown = ", ".join(methods[:3]) + (f" and {len(methods) - 3} more" if len(methods) > 3 else "")
    return [f"{labels(stmts)} allow privilege escalation ({shown}) through {names(involved)}"]


NO_PRIVILEGE_ESCALATION = Rule(
    name="iam-policy-no-privilege-escalation",
    title="No identity policy allows a known privilege-escalation path",
    description="An identity policy must not grant, on unscoped resources, an action set that lets its "
                "holder raise its own privileges (cloudsplaining's list: iam:CreatePolicyVersion, "
                "iam:PassRole with lambda:CreateFunction and lambda:InvokeFunction, and others).",
    severity="critical",
    enforcement="mandatory",
    kind="resource",
    check=identity_check(_escalation),
    resource_types=IDENTITY_TYPES,
    remediation="Scope iam:PassRole and the IAM write actions to the exact role and policy ARNs, or move "
                "them to a separate, tightly held deployment role.",
    url=_SOURCE + "privilege-escalation/",
    controls={"nist-800-53-r5": ["AC-6", "AC-6(10)"], "pci-dss-v4.0": ["7.2.2"]},
    config_schema={"allowedActions": ACTIONS_ALLOW},
    examples=(
        Example("iam:Pass* with lambda create and invoke on *", [R(POLICY, "p", {"policy": doc(
            allow(["iam:Pass*", "lambda:CreateFunction", "lambda:InvokeFunction"]))})], {"p": "fail:policy"}),
        Example("spread over two statements", [R(ROLE_POLICY, "p", {"policy": doc(
            allow("iam:PassRole"), {**allow("lambda:*"), "Sid": "Lambda"})})], {"p": "fail:policy"}),
        Example("one action suffices: iam:CreatePolicyVersion", [R(POLICY, "p", {"policy": {
            "Effect": "Allow", "Action": "iam:CreatePolicyVersion", "Resource": "*"}})], {"p": "fail:policy"}),
        Example("PassRole scoped to one role", [R(POLICY, "p", {"policy": doc(
            allow("iam:PassRole", "arn:aws:iam::111122223333:role/app"),
            allow(["lambda:CreateFunction", "lambda:InvokeFunction"]))})], {"p": "pass"}),
        Example("reading secrets is not escalation", [R(POLICY, "p", {"policy": doc(
            allow("secretsmanager:GetSecretValue", SECRET_ARN))})], {"p": "pass"}),
        Example("invalid document", [R(POLICY, "p", {"policy": doc({"Effect": "Permit", "Action": "*"})})],
                {"p": "not_applicable"}),
        Example("unknown during preview", [R(POLICY, "p", {"policy": UNKNOWN})], {"p": "unknown"}),
    ),
)


NO_DATA_EXFILTRATION = Rule(
    name="iam-policy-no-data-exfiltration",
    title="Data-reading actions name their resources",
    description="Actions that read stored data (s3:GetObject, ssm:GetParameter*, "
                "secretsmanager:GetSecretValue) must not be allowed on unscoped resources.",
    severity="high",
    enforcement="advisory",
    kind="resource",
    check=identity_check(risk_category("read stored data", exfiltration_actions)),
    resource_types=IDENTITY_TYPES,
    remediation="Name the buckets, parameters and secrets the principal reads in Resource.",
    url=_SOURCE + "data-exfiltration/",
    controls={"nist-800-53-r5": ["AC-6"], "pci-dss-v4.0": ["7.2.2"]},
    config_schema={"allowedActions": ACTIONS_ALLOW},
    examples=(
        Example("s3:GetObject on every bucket", [R(POLICY, "p", {"policy": doc(allow("s3:GetObject", "arn:aws:s3:::*"))})],
                {"p": "fail:policy"}),
        Example("ssm:GetParameter* on *", [R(ROLE_POLICY, "p", {"policy": doc(allow("ssm:GetParameter*"))})],
                {"p": "fail:policy"}),
        Example("objects of one bucket", [R(POLICY, "p", {"policy": doc(allow("s3:GetObject", "arn:aws:s3:::b/*"))})],
                {"p": "pass"}),
        Example("one secret", [R(POLICY, "p", {"policy": doc(allow("secretsmanager:GetSecretValue", SECRET_ARN))})],
                {"p": "pass"}),
        Example("unknown during preview", [R(POLICY, "p", {"policy": UNKNOWN})], {"p": "unknown"}),
    ),
)

NO_CREDENTIALS_EXPOSURE = Rule(
    name="iam-policy-no-credentials-exposure",
    title="Credential-returning actions name their resources",
    description="Actions whose responses carry credentials (iam:CreateAccessKey, ecr:GetAuthorizationToken, "
                "sts:AssumeRole... cloudsplaining's list) must not be allowed on unscoped resources.",
    severity="high",
    enforcement="advisory",
    kind="resource",
    check=identity_check(risk_category("return credentials", credentials_actions)),
    resource_types=IDENTITY_TYPES,
    remediation="Scope the actions to the users, roles or repositories concerned, or allow-list an action "
                "that supports no resource (such as ecr:GetAuthorizationToken) with its reason.",
    url=_SOURCE + "credentials-exposure/",
    controls={"nist-800-53-r5": ["AC-6"], "pci-dss-v4.0": ["7.2.2"]},
    config_schema={"allowedActions": ACTIONS_ALLOW},
    examples=(
        Example("iam:CreateAccessKey on every user", [R(POLICY, "p", {"policy": doc(allow("iam:CreateAccessKey"))})],
                {"p": "fail:policy"}),
        Example("sts:AssumeRole on one role", [R(ROLE, "r", {"assumeRolePolicy": LAMBDA_TRUST, "inlinePolicies": [
            {"name": "x", "policy": doc(allow("sts:AssumeRole", "arn:aws:iam::111122223333:role/deploy"))}]})],
            {"r": "pass"}),
        Example("allow-listed with a reason", [R(POLICY, "p", {"policy": doc(allow("ecr:GetAuthorizationToken"))})],
                {"p": "pass"}, config={"allowedActions": [{"action": "ecr:GetAuthorizationToken",
                                                            "reason": "supports no resource ARN"}]}),
        Example("kms:Decrypt on one key is not a credential", [R(POLICY, "p", {"policy": doc(
            allow("kms:Decrypt", KEY_ARN))})], {"p": "pass"}),
        Example("unknown during preview", [R(POLICY, "p", {"policy": UNKNOWN})], {"p": "unknown"}),
    ),
)
