"""`pulumi policy analyze` with the real CLI against stacks brought in with `pulumi stack import`.

The exports: the bundled stack and the seed program (examples/noncompliant) run under mocks,
every row of the stack mutation table in tests/stack/test_mutations.py, and the checked-in
tests/data/stack-export.json. For each, the engine's violations (policy, URN, level) must be
exactly those `keyguard scan` reports on the same export file; the bundled stack has none,
and each mutation row fails at mandatory level with exactly the policies the row names.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Dict

import pytest

from policypack.inputs.program import run_program
from policypack.registry import RULES

from .e2e_engine import (REPO, Violation, decided_violations_of, export_of, scan_undecided_policies,
                        scan_violations, undecided_policies_of, violations_of)
# The mutation table is tests/stack's; it is reused here, not restated.
from tests.stack.conftest import _patched_copy
from tests.stack.test_mutations import ROWS

pytestmark = pytest.mark.e2e


DEFAULT_LEVEL = {rule.name: rule.enforcement for rule in RULES}


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> Dict[str, Path]:
    """name -> export file. Stacks are named after the export so each imports on its own."""
    d = tmp_path_factory.mktemp("exports")
    files: Dict[str, Path] = {}

    def add(name: str, doc: dict) -> None:
        files[name] = d / f"{name}.json"
        files[name].write_text(json.dumps(doc, indent=1))

    add("bundled", export_of(run_program(str(REPO)), "keyguard-apikey", "bundled"))
    add("seed", export_of(run_program(str(REPO / "examples" / "noncompliant")), "keyguard-noncompliant", "seed"))
    for i, (_desc, patches, _expected) in enumerate(ROWS):
        work = tmp_path_factory.mktemp(f"mutation{i:02d}")
        program = _patched_copy(work, patches)
        add(f"mutation{i:02d}", export_of(run_program(str(program)), "keyguard-apikey", f"mutation{i:02d}"))
    add("data", json.loads((REPO / "tests" / "data" / "stack-export.json").read_text()))
    return files


@pytest.fixture(scope="module")
def analyzed(engine, exports) -> Dict[str, tuple]:
    """name -> (run, violations) of `pulumi policy analyze` on the imported stack."""
    out = {}
    for name, f in exports.items():
        if name == "data":
            # Hand-written: its magic cookie, salt and ciphertexts are made up, so it cannot be
            # imported; `analyze --file` reads it and redacts what it cannot decrypt.
            r, events = engine.analyze(engine.root, None, file=f)
        else:
            cwd, stack = engine.import_stack(f)
            r, events = engine.analyze(cwd, stack)
        assert r.code in (0, 255, 1), str(r)
        out[name] = (r, violations_of(events), events)
    return out


NAMES = ["bundled", "seed", "data"] + [f"mutation{i:02d}" for i in range(len(ROWS))]


@pytest.mark.parametrize("name", NAMES)
def test_analyze_equals_keyguard_scan(analyzed, exports, name):
    r, _, events = analyzed[name]
    got = decided_violations_of(events)
    want = scan_violations(exports[name])
    assert got == want, f"engine only: {sorted(got - want)}\nscan only: {sorted(want - got)}\n{r}"
    # What neither could decide: the engine's "can't run policy" notice is keyguard's unknown.
    # Not for `analyze --file`: it hands rules the string "[secret]" for a ciphertext it cannot
    # decrypt, where the scanner has an unknown (docs/testing.md).
    if name != "data":
        assert undecided_policies_of(events) == scan_undecided_policies(exports[name]), str(r)
    mandatory = any(v.level == "mandatory" for v in got)
    assert (r.code != 0) == mandatory, str(r)


def test_bundled_stack_has_no_violations(analyzed):
    r, got, _ = analyzed["bundled"]
    assert r.code == 0 and got == set(), str(r)


@pytest.mark.parametrize("i", range(len(ROWS)), ids=[row[0] for row in ROWS])
def test_mutation_row_fails_with_exactly_its_policies(analyzed, i):
    r, got, _ = analyzed[f"mutation{i:02d}"]
    expected = set(ROWS[i][2])
    assert {v.policy for v in got} == expected, str(r)
    # Blocked exactly when one of the row's policies is mandatory by default; two rows
    # (kms-key-deletion-window, apigateway-api-key-usage-plan) are advisory by default.
    blocks = any(DEFAULT_LEVEL[p] == "mandatory" for p in expected)
    assert (r.code != 0) == blocks, str(r)
    assert {v.policy for v in got if v.level == "mandatory"} == {p for p in expected if DEFAULT_LEVEL[p] == "mandatory"}


def test_seed_fails_with_its_two_problems_and_shows_the_advisory_one(analyzed):
    """examples/noncompliant: a secret with no CMK and no rotation; its API key in no usage plan."""
    r, got, _ = analyzed["seed"]
    assert r.code != 0, str(r)
    named = {(v.policy, v.level, v.urn.rsplit("::", 1)[-1]) for v in got}
    assert named == {("secretsmanager-secret-kms-cmk", "mandatory", "myApiSecret"),
                     ("secretsmanager-secret-rotation-enabled", "mandatory", "myApiSecret"),
                     ("apigateway-api-key-usage-plan", "advisory", "myApiKey")}, str(r)


def _row(description: str) -> int:
    return next(i for i, row in enumerate(ROWS) if row[0] == description)


def test_policy_pack_config_lowers_a_level(engine, analyzed):
    """--policy-pack-config {"<policy>": "advisory"}: the violation stays, as advisory, and the run passes."""
    i = _row("key rotation off")
    name = f"mutation{i:02d}"
    _, before, _ = analyzed[name]
    cwd = engine.project("keyguard-apikey")
    r, events = engine.analyze(cwd, name, config={"kms-key-rotation-enabled": "advisory"})
    got = violations_of(events)
    assert r.code == 0, str(r)
    assert {v.policy for v in got} == {"kms-key-rotation-enabled"}
    assert {v.level for v in got} == {"advisory"}
    assert {v.urn for v in got} == {v.urn for v in before}


def test_policy_pack_config_all_and_disabled(engine, analyzed):
    """"all" sets every level; a policy's own entry wins over it; "disabled" silences a policy."""
    i = _row("inline policy allowing * on *")
    cwd = engine.project("keyguard-apikey")
    r, events = engine.analyze(cwd, f"mutation{i:02d}", config={
        "all": "advisory", "iam-policy-no-admin-wildcard": "mandatory",
        "iam-policy-no-service-wildcard": "disabled"})
    got = violations_of(events)
    assert r.code != 0, str(r)
    levels = {v.policy: v.level for v in got}
    assert levels.pop("iam-policy-no-admin-wildcard") == "mandatory"
    assert "iam-policy-no-service-wildcard" not in levels
    assert set(levels.values()) == {"advisory"} and len(levels) == len(ROWS[i][2]) - 2


@pytest.mark.parametrize("description,policy", [
    ("key rotation off", "kms-key-rotation-enabled"),
    ("key deletion window 7", "kms-key-deletion-window"),
    ("recovery window 0", "secretsmanager-secret-recovery-window"),
])
def test_remediate_is_reported_not_applied(engine, analyzed, description, policy):
    """analyze reports what a remediating policy would change and leaves the state alone.

    Real-engine fact: Analyze then runs on the *unremediated* state, where the pack reports a
    remediate-level policy as mandatory, so `policy analyze` still fails the run; during `up`
    the remediated inputs are what Analyze sees.
    """
    name = f"mutation{_row(description):02d}"
    cwd = engine.project("keyguard-apikey")
    before = engine.run("stack", "export", "--stack", name, cwd=cwd)
    r, events = engine.analyze(cwd, name, config={policy: "remediate"})
    rem = [e["policyRemediationEvent"] for e in events if "policyRemediationEvent" in e]
    assert [x["policyName"] for x in rem] == [policy], str(r)
    assert rem[0]["before"] != rem[0]["after"], str(r)
    assert Violation(policy, rem[0]["resourceUrn"], "mandatory") in violations_of(events), str(r)
    assert r.code != 0, str(r)
    after = engine.run("stack", "export", "--stack", name, cwd=cwd)
    assert json.loads(after.out)["deployment"]["resources"] == json.loads(before.out)["deployment"]["resources"]


def test_json_events_scan_like_the_cli_printed(analyzed, tmp_path):
    """The engine's own events (`--json`), read back by `keyguard scan`: same violations."""
    from policypack.cli import run
    import io

    r, got, events = analyzed["seed"]
    log = tmp_path / "events.jsonl"
    log.write_text("".join(json.dumps(e) + "\n" for e in events))
    out, err = io.StringIO(), io.StringIO()
    code = run(["scan", str(log), "--format", "json"], stdout=out, stderr=err)
    assert code == (1 if any(v.level == "mandatory" for v in got) else 0), err.getvalue()
    report = json.loads(out.getvalue())
    assert {Violation(f["policy"], f["urn"], f["enforcement"]) for f in report["findings"]
            if f["status"] == "fail"} == got


def test_engine_reports_the_pack_name_and_the_version_of_pulumipolicy_yaml(analyzed):
    """The engine takes the version from PulumiPolicy.yaml (pulumi-policy's Python SDK says 0.0.1)."""
    import yaml

    version = str(yaml.safe_load((REPO / "PulumiPolicy.yaml").read_text())["version"])
    _, _, events = analyzed["seed"]
    packs = {(e["policyEvent"]["policyPackName"], e["policyEvent"]["policyPackVersion"])
             for e in events if "policyEvent" in e}
    assert packs == {("keyguard", version)}


def test_a_split_escalation_is_reported_by_the_real_engine_at_analyze_stack(engine, tmp_path):
    """The principal model runs as a stack phase of a resource policy: the engine must accept a
    violation of a resource policy that AnalyzeStack reports on a document's URN. A role holds
    iam:PassRole in one inline policy and lambda create and invoke in another: neither document
    alone is an escalation, together they are."""
    from policypack.model import STACK_TYPE, Resource

    def res(rtype: str, res_name: str, **props) -> Resource:
        return Resource(type=rtype, name=res_name, urn=f"urn:pulumi:t::p::{rtype}::{res_name}", props=props,
                        inputs=dict(props), id=res_name)

    def doc(action) -> str:
        return json.dumps({"Version": "2012-10-17",
                           "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]})

    trust = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    root = Resource(type=STACK_TYPE, name="split-split", urn=f"urn:pulumi:t::p::{STACK_TYPE}::split-split",
                    props={}, custom=False)
    resources = [root, res("aws:iam/role:Role", "app", name="app", assumeRolePolicy=trust),
                 res("aws:iam/rolePolicy:RolePolicy", "passer", role="app", policy=doc("iam:PassRole")),
                 res("aws:iam/rolePolicy:RolePolicy", "fn", role="app",
                     policy=doc(["lambda:CreateFunction", "lambda:InvokeFunction"]))]
    f = tmp_path / "split.json"
    f.write_text(json.dumps(export_of(resources, "keyguard-split", "split")))
    cwd, stack = engine.import_stack(f)
    r, events = engine.analyze(cwd, stack)
    got = decided_violations_of(events)
    passer = "urn:pulumi:split::keyguard-split::aws:iam/rolePolicy:RolePolicy::passer"
    assert Violation("iam-policy-no-privilege-escalation", passer, "mandatory") in got, str(r)
    assert got == scan_violations(f), str(r)
    assert r.code != 0
