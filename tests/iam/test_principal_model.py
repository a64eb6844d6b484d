"""The principal model (policypack/iam/effective.py) and the stack phase of the identity rules."""
from __future__ import annotations

import datetime as dt
from typing import Any

from policypack import clock
from policypack import config as config_mod
from policypack.evaluate import evaluate
from policypack.iam import actions as db
from policypack.iam import effective
from policypack.iam.grants import _rewriting, permissions_management
from policypack.model import UNKNOWN, Stack, Status
from policypack.registry import BY_NAME, RULES

from tests.builders import ACCOUNT as ACCT, allow, inline, policy, res, resource, role, urn

ESC = BY_NAME["iam-policy-no-privilege-escalation"]
LAMBDA = ["lambda:CreateFunction", "lambda:InvokeFunction"]


def split_stack(**attachment: Any):
    return [role("app"),
            res("aws:iam/policy:Policy", "passer", **{"name": "passer", "policy": policy(allow("iam:PassRole"))}),
            res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "att", role="app",
                **({"policyArn": f"arn:aws:iam::{ACCT}:policy/passer"} | attachment)),
            inline("fn", "app", allow(LAMBDA))]


def outcomes(rule, resources, cfg=None):
    return {(r.urn.rsplit("::", 1)[-1], r.status) for r in evaluate(resources, [rule], {rule.name: cfg} if cfg else None)}


def test_a_split_escalation_names_every_document_that_combines_into_it():
    stack = split_stack(_deps={"policyArn": [urn("aws:iam/policy:Policy", "passer")]}, policyArn=UNKNOWN)
    results = [r for r in evaluate(stack, [ESC]) if r.status is Status.FAIL]
    assert len(results) == 1, results
    (r,) = results
    assert r.urn.endswith("::passer") and r.path == "policy"
    assert "fn (policy)" in r.message and "role app" in r.message and "PassRole" in r.message


def test_an_attachment_not_known_at_preview_gives_unknown_never_a_failure():
    # The attachment's policy ARN is unknown and depends on nothing: any policy may be attached.
    stack = [role("app"), inline("passer", "app", allow("iam:PassRole")),
             res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "att", role="app", policyArn=UNKNOWN),
             inline("fn", "app", allow(LAMBDA))]
    got = outcomes(ESC, stack)
    assert ("passer", Status.UNKNOWN) in got
    assert not any(s is Status.FAIL for _, s in got)


def test_a_reference_to_the_role_not_known_at_preview_gives_unknown():
    stack = [role("app"), inline("passer", "app", allow("iam:PassRole")), inline("fn", UNKNOWN, allow(LAMBDA))]
    assert not any(s is Status.FAIL for _, s in outcomes(ESC, stack))


def test_property_dependencies_link_a_policy_to_its_role_at_preview():
    stack = [role("app", **{"name": UNKNOWN}), inline("passer", UNKNOWN, allow("iam:PassRole"),
                                               _deps={"role": [urn("aws:iam/role:Role", "app")]}),
             inline("fn", UNKNOWN, allow(LAMBDA), _deps={"role": [urn("aws:iam/role:Role", "app")]})]
    assert ("passer", Status.FAIL) in outcomes(ESC, stack)


def test_a_boundary_not_known_at_preview_cannot_make_a_finding_mandatory():
    stack = [role("app", permissionsBoundary=UNKNOWN), inline("passer", "app", allow("iam:PassRole")),
             inline("fn", "app", allow(LAMBDA))]
    got = outcomes(ESC, stack)
    assert ("passer", Status.UNKNOWN) in got and not any(s is Status.FAIL for _, s in got)


def test_groups_give_their_documents_to_their_users():
    stack = [res("aws:iam/user:User", "u", **{"name": "u"}), res("aws:iam/group:Group", "g", **{"name": "g"}),
             res("aws:iam/userGroupMembership:UserGroupMembership", "m", user="u", groups=["g"]),
             res("aws:iam/groupPolicy:GroupPolicy", "gp", group="g", policy=policy(allow(LAMBDA))),
             res("aws:iam/userPolicy:UserPolicy", "up", user="u", policy=policy(allow("iam:PassRole")))]
    model = effective.build(Stack(tuple(stack)))
    user = next(p for p in model.principals if p.kind == "user")
    assert [d.resource.name for d in user.all_docs()] == ["up", "gp"]
    assert ("up", Status.FAIL) in outcomes(ESC, stack)


def test_policy_attachment_and_managed_policy_arns_attach_stack_policies():
    pol = res("aws:iam/policy:Policy", "pol", **{"name": "pol", "arn": f"arn:aws:iam::{ACCT}:policy/pol",
                                                 "policy": policy(allow("iam:PassRole"))})
    stack = [role("a", managedPolicyArns=[f"arn:aws:iam::{ACCT}:policy/pol"]), role("b"), pol,
             res("aws:iam/policyAttachment:PolicyAttachment", "pa", roles=["b"], policyArn=f"arn:aws:iam::{ACCT}:policy/pol")]
    model = effective.build(Stack(tuple(stack)))
    assert {p.resource.name: [d.resource.name for d in p.docs] for p in model.principals} == {"a": ["pol"], "b": ["pol"]}


def test_the_model_is_built_once_per_stack(monkeypatch):
    calls = []
    real = effective.build
    monkeypatch.setattr(effective, "build", lambda stack: calls.append(1) or real(stack))
    evaluate(split_stack(), [r for r in RULES if r.stack_check is not None])
    assert len(calls) == 1


def test_the_adapters_fill_in_today_from_an_injectable_clock():
    with clock.pinned(dt.date(2019, 6, 1)):
        _judged_on_2019_06_01()
    with clock.pinned(dt.date(2026, 6, 1)):
        past = [res("aws:iam/policy:Policy", "p", policy=policy(allow("iam:CreatePolicyVersion", Condition={
            "DateLessThan": {"aws:CurrentTime": "2019-12-31T00:00:00Z"}})))]
        assert outcomes(ESC, past) == {("p", Status.PASS)}


def _judged_on_2019_06_01():
    settings = config_mod.resolve(RULES, None)
    assert settings[ESC.name].config["asOf"] == "2019-06-01"
    assert config_mod.with_defaults(ESC, {})["asOf"] == "2019-06-01"
    assert config_mod.with_defaults(ESC, {"asOf": "2030-01-01"})["asOf"] == "2030-01-01"
    past = [res("aws:iam/policy:Policy", "p", policy=policy(allow("iam:CreatePolicyVersion", Condition={
        "DateLessThan": {"aws:CurrentTime": "2019-12-31T00:00:00Z"}})))]
    assert outcomes(ESC, past) == {("p", Status.FAIL)}  # still ahead on the injected day


def test_a_rule_called_without_a_day_judges_no_grant_expired():
    from policypack.iam.conditions import expired_by
    from policypack.iam.document import parse

    d = parse(policy(allow("s3:GetObject", Condition={"DateLessThan": {"aws:CurrentTime": "2001-01-01"}})))
    assert expired_by(d.statements[0], None) is None
    assert expired_by(d.statements[0], dt.date(2026, 1, 1)) == "aws:CurrentTime"


def test_passing_its_own_role_is_no_escalation_but_rewriting_its_own_policy_is():
    own_role = f"arn:aws:iam::{ACCT}:role/app"
    passes_itself = [role("app", arn=own_role), inline("rp", "app", allow("iam:PassRole", own_role), allow(LAMBDA))]
    assert ("rp", Status.PASS) in outcomes(ESC, passes_itself)
    rewrites_itself = [role("app", arn=own_role), inline("rp", "app", allow("iam:UpdateAssumeRolePolicy", own_role))]
    assert ("rp", Status.FAIL) in outcomes(ESC, rewrites_itself)


def test_the_shared_permissions_management_filter_is_the_one_each_caller_had():
    """diff's permissions-management grants and the own-entity scope share one cached filter
    that reads the access level alone: it must pick what building each action's record did."""
    every = db.expand("*") | {"iam:notinthedatabaseyet"}
    by_record = frozenset(a for a in every if (i := db.info(a)) is not None and i.access_level == db.PERMISSIONS)
    assert "iam:passrole" in by_record and "iam:putrolepolicy" in by_record
    assert permissions_management(every) == by_record
    assert _rewriting(every) == by_record - {"iam:passrole"}
    some = frozenset(sorted(every)[::97])
    assert permissions_management(some) == by_record & some


def test_a_stack_export_decides_trust_with_the_role_arn_only_its_outputs_carry():
    """The scanner hands resource rules a resource's inputs (no ARN) and the stack phase its
    outputs: the outputs decide, and the resource phase's 'cannot decide' is superseded."""
    trust = policy({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                    "Action": "sts:AssumeRole"})
    exported = resource("aws:iam/role:Role", "r", {"assumeRolePolicy": trust, "arn": f"arn:aws:iam::{ACCT}:role/r"},
                        inputs={"assumeRolePolicy": trust})
    got = [(r.status, r.path) for r in evaluate([exported], [BY_NAME["iam-role-trust-restricted"]])]
    assert got == [(Status.FAIL, "assumeRolePolicy")]


def test_unknown_account_mandatory_is_lifted_when_the_stack_shows_the_account_is_its_own():
    trusting_own = res("aws:iam/role:Role", "r", assumeRolePolicy=policy(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCT}:root"}, "Action": "sts:AssumeRole"}))
    key = res("aws:kms/key:Key", "k", arn=f"arn:aws:kms:us-east-1:{ACCT}:key/k1")
    rule = BY_NAME["iam-role-trust-restricted"]
    assert outcomes(rule, [trusting_own], {"unknownAccount": "mandatory"}) == {("r", Status.FAIL)}
    assert outcomes(rule, [trusting_own, key], {"unknownAccount": "mandatory"}) == {("r", Status.PASS)}


def test_the_new_config_properties_refuse_what_they_cannot_use():
    import pytest

    for entry, words in ((("iam-policy-no-privilege-escalation", "asOf", "tomorrow"), "YYYY-MM-DD"),
                         (("iam-policy-no-privilege-escalation", "asOf", "2026-13-40"), "YYYY-MM-DD"),
                         (("iam-role-trust-restricted", "unknownAccount", "maybe"), "advisory, mandatory")):
        name, prop, value = entry
        with pytest.raises(config_mod.ConfigError, match=words):
            config_mod.resolve(RULES, {name: {prop: value}})


def test_sagemaker_resources_run_as_their_execution_role():
    # Issue 20: a model's, a notebook's and a training job's role is found by ARN or by link,
    # so that what the role can do is what the workload can do.
    from policypack.tokens.aws_ai import SAGEMAKER_MODEL, SAGEMAKER_NOTEBOOK, SAGEMAKER_TRAINING_JOB

    exec_role = role("sm-exec", arn=f"arn:aws:iam::{ACCT}:role/sm-exec")
    other = role("other", arn=f"arn:aws:iam::{ACCT}:role/other")
    stack = Stack((exec_role, other,
                   res(SAGEMAKER_MODEL, "llm", executionRoleArn=f"arn:aws:iam::{ACCT}:role/sm-exec"),
                   res(SAGEMAKER_NOTEBOOK, "nb", roleArn=UNKNOWN, _deps={"roleArn": [exec_role.urn]}),
                   res(SAGEMAKER_TRAINING_JOB, "train", roleArn=f"arn:aws:iam::{ACCT}:role/outside-the-stack")))
    model = {p.resource.name: p for p in effective.build(stack).principals}
    assert [(r.name, prop) for r, prop in model["sm-exec"].workloads] == [("llm", "executionRoleArn"),
                                                                          ("nb", "roleArn")]
    assert model["other"].workloads == []
