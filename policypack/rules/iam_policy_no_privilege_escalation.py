"""iam-policy-no-privilege-escalation: no identity policy allows a known privilege-escalation path."""
from __future__ import annotations

from typing import Any, List, Mapping

from ..examples import SECRET_ARN, Example, R, allow, doc
from ..iam.document import IDENTITY_TYPES, Document
from ..iam.grants import Context, labels, minus, names, pairs
from ..iam.judging import ACTIONS_ALLOW, AS_OF, AS_OF_SCHEMA, allow_list, identity_check
from ..iam.risk import escalations
from ..model import UNKNOWN
from ..types import POLICY, ROLE_POLICY
from .base import Rule


def _escalation(d: Document, config: Mapping[str, Any], ctx: Context) -> List[str]:
    ok = allow_list(config, "allowedActions", "action")
    granted = [(s, minus(acts, ok)) for s, acts in pairs(d.statements, ctx)]
    union = frozenset().union(*(a for _, a in granted)) if granted else frozenset()
    found = escalations(union)
    if not found:
        return []
    involved = frozenset().union(*(need for _, need in found))
    stmts = [s for s, acts in granted if acts & involved]
    methods = sorted(name for name, _ in found)
    shown = ", ".join(methods[:3]) + (f" and {len(methods) - 3} more" if len(methods) > 3 else "")
    return [f"{labels(stmts)} allow privilege escalation ({shown}) through {names(involved)}"]


RULE = Rule(
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
    url="https://cloudsplaining.readthedocs.io/en/latest/glossary/privilege-escalation/",
    controls={"nist-800-53-r5": ["AC-6", "AC-6(10)"], "pci-dss-v4.0": ["7.2.2"]},
    config_schema={"allowedActions": ACTIONS_ALLOW, AS_OF: AS_OF_SCHEMA},
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
