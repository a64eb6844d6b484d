"""iam-policy-no-privilege-escalation: no identity policy allows a known privilege-escalation path."""
from __future__ import annotations

from typing import Any, FrozenSet, Iterator, List, Mapping, Set, Tuple

from ..examples import SECRET_ARN, Example, R, allow, doc, identity_inline_roles, identity_table
from ..examples import ACCOUNT, LAMBDA_TRUST
from ..iam.document import IDENTITY_TYPES, Document
from ..iam.effective import Doc, Model, sorted_docs
from ..iam.grants import Context, labels, minus, names, pairs
from ..iam.judging import ACTIONS_ALLOW, AS_OF, AS_OF_SCHEMA, allow_list, identity_check, principal_phase, today_of
from ..iam.risk import escalations
from ..model import UNKNOWN, Outcome, failed, unknown
from ..tokens.aws import POLICY, ROLE, ROLE_ATTACHMENT, ROLE_POLICY
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


def _unscoped(doc: Doc, ctx: Context, ok: Set[str]) -> FrozenSet[str]:
    return frozenset().union(*(minus(acts, ok) for _, acts in pairs(doc.document.statements, ctx)))


def _split_escalations(model: Model, config: Mapping[str, Any]) -> Iterator[Outcome]:
    """Escalations no single document completes but a principal's documents do together,
    reported once, on the document a user would scope (the one granting the IAM action)."""
    ok = allow_list(config, "allowedActions", "action")
    today = today_of(config)
    seen: Set[Tuple[str, str, str]] = set()
    for p in model.principals:
        docs = sorted_docs(p.all_docs())
        if len(docs) < 2:
            continue
        ctx = model.context(p, today)
        grants = [(d, _unscoped(d, ctx, ok)) for d in docs]
        single = {name for _, acts in grants for name, _ in escalations(acts)}
        found = [(n, need) for n, need in escalations(frozenset().union(*(a for _, a in grants)))
                 if n not in single]
        if not found:
            continue
        involved = frozenset().union(*(need for _, need in found))
        parts = [d for d, acts in grants if acts & involved]
        target = next((d for d, acts in grants if d in parts and any(a.startswith("iam:") for a in acts & involved)),
                      parts[0])
        methods = sorted(n for n, _ in found)
        shown = ", ".join(methods[:3]) + (f" and {len(methods) - 3} more" if len(methods) > 3 else "")
        if (target.resource.urn, target.path, shown) in seen:
            continue
        seen.add((target.resource.urn, target.path, shown))
        others = ", ".join(d.label for d in parts if d is not target)
        name, urn, path = target.resource.name, target.resource.urn, target.path
        if p.incomplete():
            yield unknown(f"{name}: {path} may complete a privilege escalation of {p.label} with {others}; "
                          "parts of it are not known during preview", urn=urn, path=path)
        else:
            yield failed(f"{name}: {path} and {others} together allow {p.label} privilege escalation ({shown}) "
                         f"through {names(involved)}", urn=urn, path=path)


_PAST = {"DateLessThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}
_LAMBDA = ["lambda:CreateFunction", "lambda:InvokeFunction"]


def _app_role() -> R:
    return R(ROLE, "app", {"name": "app", "assumeRolePolicy": LAMBDA_TRUST})


def _inline(name: str, *statements: Any) -> R:
    return R(ROLE_POLICY, name, {"role": "app", "policy": doc(*statements)})


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
    stack_check=principal_phase(_escalation, _split_escalations),
    resource_types=IDENTITY_TYPES,
    remediation="Scope iam:PassRole and the IAM write actions to the exact role and policy ARNs, or move "
                "them to a separate, tightly held deployment role.",
    url="https://cloudsplaining.readthedocs.io/en/latest/glossary/privilege-escalation/",
    controls={"nist-800-53-r5": ["AC-6", "AC-6(10)"], "pci-dss-v4.0.1": ["7.2.2"], "pci-dss-v4.0": ["7.2.2"]},
    config_schema={"allowedActions": ACTIONS_ALLOW, AS_OF: AS_OF_SCHEMA},
    examples=(
        # AWS-managed policies are judged by their published documents (iam/managed.py): PassRole
        # here and EC2's RunInstances in AmazonEC2FullAccess together launch an instance as any role.
        Example("an escalation split between an inline policy and an AWS-managed policy",
                [R(ROLE, "r", {"assumeRolePolicy": LAMBDA_TRUST, "name": "r", "arn": f"arn:aws:iam::{ACCOUNT}:role/r"}),
                 R(ROLE_POLICY, "pass", {"role": "r", "policy": doc(allow("iam:PassRole"))}),
                 R(ROLE_ATTACHMENT, "att", {"role": "r", "policyArn": "arn:aws:iam::aws:policy/AmazonEC2FullAccess"})],
                {"r": "not_applicable", "pass": "fail:policy"}),
        Example("ssm:SendCommand on * runs commands as any instance's role", [R(POLICY, "p", {"policy": doc(
            allow("ssm:SendCommand"))})], {"p": "fail:policy"},
            controls=("nist-800-53-r5:AC-6", "nist-800-53-r5:AC-6(10)", "pci-dss-v4.0.1:7.2.2", "pci-dss-v4.0:7.2.2"
                      )),
        Example("ssm:StartSession on * opens a shell on any instance", [R(POLICY, "p", {"policy": doc(
            allow("ssm:StartSession"))})], {"p": "fail:policy"}),
        Example("cloudformation:UpdateStack on * acts with any stack's service role", [R(POLICY, "p", {
            "policy": doc(allow("cloudformation:UpdateStack"))})], {"p": "fail:policy"}),
        Example("a wildcard account is no scope", [R(POLICY, "p", {"policy": doc(
            allow("iam:CreatePolicyVersion", "arn:aws:iam::*:policy/team-*"))})], {"p": "fail:policy"}),
        Example("AWS-managed policies cannot be rewritten", [R(POLICY, "p", {"policy": doc(
            allow("iam:CreatePolicyVersion", "arn:aws:iam::aws:policy/*"))})], {"p": "pass"}),
        Example("iam:* allowed and denied in the same document", [R(POLICY, "p", {"policy": doc(
            allow("iam:*"), {"Effect": "Deny", "Action": "iam:*", "Resource": "*"})})], {"p": "pass"}),
        Example("a conditional Deny may not apply", [R(POLICY, "p", {"policy": doc(
            allow("iam:*"), {"Effect": "Deny", "Action": "iam:*", "Resource": "*",
                             "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}})})], {"p": "fail:policy"}),
        Example("limited to a time already past", [R(POLICY, "p", {"policy": doc(
            allow("iam:CreatePolicyVersion", Condition=_PAST))})], {"p": "pass"}, config={AS_OF: "2026-06-01"}),
        Example("the same grant judged on a day before that time", [R(POLICY, "p", {"policy": doc(
            allow("iam:CreatePolicyVersion", Condition=_PAST))})], {"p": "fail:policy"}, config={AS_OF: "2019-06-01"}),
        Example("PassRole in one policy of a role, lambda in another", [
            _app_role(), _inline("passer", allow("iam:PassRole")), _inline("fn", allow(_LAMBDA))],
            {"passer": "fail:policy", "fn": "pass", "app": "not_applicable"}),
        Example("PassRole in an attached managed policy, lambda inline", [
            _app_role(), R(POLICY, "passer", {"name": "passer", "arn": f"arn:aws:iam::{ACCOUNT}:policy/passer",
                                              "policy": doc(allow("iam:PassRole"))}),
            R(ROLE_ATTACHMENT, "att", {"role": "app", "policyArn": f"arn:aws:iam::{ACCOUNT}:policy/passer"}),
            _inline("fn", allow(_LAMBDA))],
            {"passer": "fail:policy", "fn": "pass", "app": "not_applicable"}),
        Example("the halves on two different roles", [
            _app_role(), R(ROLE, "other", {"name": "other", "assumeRolePolicy": LAMBDA_TRUST}),
            _inline("passer", allow("iam:PassRole")),
            R(ROLE_POLICY, "fn", {"role": "other", "policy": doc(allow(_LAMBDA))})],
            {"passer": "pass", "fn": "pass", "app": "not_applicable", "other": "not_applicable"}),
        Example("a name pattern matching the role's own policy", [
            _app_role(), R(POLICY, "team-deploy", {"name": "team-deploy", "policy": doc(
                allow("s3:GetObject", "arn:aws:s3:::b/*"))}),
            R(ROLE_ATTACHMENT, "att", {"role": "app", "policyArn": f"arn:aws:iam::{ACCOUNT}:policy/team-deploy"}),
            _inline("rp", allow("iam:CreatePolicyVersion", f"arn:aws:iam::{ACCOUNT}:policy/team-*"))],
            {"rp": "fail:policy", "team-deploy": "pass", "app": "not_applicable"}),
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
        identity_table(["access_key", "admin", "admin_single", "not_action", "pass_lambda"]),
        identity_inline_roles("pass_lambda"),
    ),
)
