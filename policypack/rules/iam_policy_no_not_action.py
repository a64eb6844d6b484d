"""iam-policy-no-not-action: no Allow with NotAction or NotResource."""
from __future__ import annotations

from typing import Any, List, Mapping

from ..examples import LAMBDA_TRUST, Example, R, allow, doc, identity_inline_roles, identity_table
from ..iam.document import IDENTITY_TYPES, Document
from ..iam.grants import Context, grants_nothing
from ..iam.judging import AS_OF, AS_OF_SCHEMA, identity_check, principal_phase
from ..model import UNKNOWN
from ..tokens.aws import POLICY, ROLE
from .base import Rule


def _not_action(d: Document, config: Mapping[str, Any], ctx: Context) -> List[str]:
    bad = [s for s in d.statements if s.allows and (s.not_actions or s.not_resources)
           and not grants_nothing(s, ctx)]
    out = []
    for s in bad:
        which = " and ".join(n for n, v in (("NotAction", s.not_actions), ("NotResource", s.not_resources)) if v)
        out.append(f"{s.label} allows with {which}, which grants everything not listed")
    return out


RULE = Rule(
    name="iam-policy-no-not-action",
    title="No Allow with NotAction or NotResource",
    description="An Allow with NotAction or NotResource grants every action or resource not listed, "
                "including ones AWS adds later.",
    severity="high",
    enforcement="mandatory",
    kind="resource",
    check=identity_check(_not_action),
    stack_check=principal_phase(_not_action),
    resource_types=IDENTITY_TYPES,
    remediation="List the allowed actions in Action and the resources in Resource; keep NotAction and "
                "NotResource for Deny statements.",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
    controls={"nist-800-53-r5": ["AC-6"], "pci-dss-v4.0.1": ["7.2.2"], "pci-dss-v4.0": ["7.2.2"]},
    config_schema={AS_OF: AS_OF_SCHEMA},
    examples=(
        Example("Allow with NotAction", [R(POLICY, "p", {"policy": doc(
            {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})})], {"p": "fail:policy"},
            controls=("nist-800-53-r5:AC-6", "pci-dss-v4.0.1:7.2.2", "pci-dss-v4.0:7.2.2")),
        Example("Allow with NotResource", [R(POLICY, "p", {"policy": doc(
            {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::private/*"})})],
            {"p": "fail:policy"}),
        Example("Deny with NotAction is the safe use", [R(POLICY, "p", {"policy": doc(
            {"Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*"},
            allow("s3:GetObject", "arn:aws:s3:::b/*"))})], {"p": "pass"}),
        Example("single statement dict", [R(ROLE, "r", {"assumeRolePolicy": LAMBDA_TRUST, "inlinePolicies": [
            {"name": "x", "policy": {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}}]})], {"r": "fail:inlinePolicies[0].policy"}),
        Example("unknown during preview", [R(POLICY, "p", {"policy": UNKNOWN})], {"p": "unknown"}),
        identity_table(["not_action"]),
        identity_inline_roles("not_action"),
    ),
)
