"""The pack as the Pulumi engine sees it: started like the CLI starts it, spoken to over gRPC.

Everything here is generic over `policypack.registry.RULES`, so a rule added
later is covered by adding it to the registry. The pack serves on keyguard's own
servicer (routing.py); tests/engine/test_routing.py shows it refuses to start on any other.
"""
from __future__ import annotations

import copy
import tomllib
from typing import Any, Dict, Iterator, List, Mapping, Tuple

import pytest
from google.protobuf import json_format

from .harness import (
    LEVELS,
    SEVERITIES,
    UNKNOWN_SENTINELS,
    UNKNOWN_STRING,
    Answer,
    PackError,
    REPO_ROOT,
    PackProcess,
    Res,
    Secret,
    Unknown,
    example_resources,
    is_secret,
    remediated_props,
    pb,
    unknown_like,
)
from policypack.config import schema_for, with_defaults
from policypack.frameworks import FRAMEWORKS
from policypack.registry import RULES
from tests.builders import urn


def pb_stack_request(resources):
    return pb.AnalyzeStackRequest(resources=[r.stack_resource() for r in resources])

CASES = [(rule, ex) for rule in RULES for ex in rule.examples]
CASE_IDS = [f"{r.name}:{e.description}" for r, e in CASES]


@pytest.fixture(scope="module")
def pack() -> Iterator[PackProcess]:
    """One pack process for the whole module, always ended."""
    started = PackProcess().start()
    try:
        started.boot()
        yield started
    finally:
        started.close()
    assert not started.alive, "pack still running after close"


def example_config(rule, example) -> Dict[str, Any]:
    return {rule.name: dict(example.config)} if example.config else {}


def level_of(rule, example) -> str:
    return example.config.get("enforcementLevel", rule.enforcement) if example.config else rule.enforcement


def run_example(pack: PackProcess, rule, example, resources: List[Res] = None) -> Dict[str, Answer]:
    """The engine's answers for an example, keyed by resource name (stack rules: one
    answer under "*" for the whole stack)."""
    pack.configure(example_config(rule, example))
    resources = resources if resources is not None else example_resources(example, rule.kind == "stack")
    if rule.kind == "resource":
        return {r.name: pack.analyze(r) for r in resources}
    return {"*": pack.analyze_stack(resources)}


# -- GetAnalyzerInfo ----------------------------------------------------------------

def test_analyzer_info_matches_registry(pack):
    info = pack.analyzer_info()
    assert info.name == "keyguard"
    assert info.supportsConfig
    assert [p.name for p in info.policies] == [r.name for r in RULES]
    for p, rule in zip(info.policies, RULES):
        assert p.description == rule.description
        assert p.displayName == rule.title
        assert p.enforcementLevel == LEVELS[rule.enforcement]
        assert p.severity == SEVERITIES[rule.severity]
        assert p.policy_type == {"resource": pb.POLICY_TYPE_RESOURCE, "stack": pb.POLICY_TYPE_STACK}[rule.kind]
        # The primary framework's controls travel as its specification, every other mapping as a tag:
        # together they are every control the rule maps to, each once.
        spec = [f"{rule.framework}:{cid}" for cid in p.framework.specification.split(", ")]
        assert not set(p.tags) & set(spec)
        assert sorted(list(p.tags) + spec) == sorted(f"{fw}:{cid}" for fw, ids in rule.controls_by_framework.items()
                                                     for cid in ids)
        assert p.remediation_steps == rule.remediation
        assert p.url == rule.url
        fw = FRAMEWORKS[rule.framework]
        assert (p.framework.name, p.framework.version, p.framework.reference) == \
            (fw["name"], fw["version"], fw["reference"])
        assert p.framework.specification == ", ".join(rule.framework_controls(rule.framework))
        assert p.framework.specification, f"{rule.name}: framework without a control"
        schema = json_format.MessageToDict(p.configSchema.properties) if p.HasField("configSchema") else {}
        # Struct numbers are doubles, so 90 comes back as 90.0; == compares them as equal.
        assert schema == schema_for(rule)


def _pinned(package: str) -> str:
    """The version pyproject.toml pins, read from the file rather than from the code under test."""
    deps = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    (pin,) = [d.split("==", 1)[1] for d in deps if d.startswith(f"{package}==")]
    return pin


def test_handshake_and_plugin_info(pack):
    # pulumi-policy 1.21 leaves Handshake unimplemented, and so does the routing servicer; the
    # engine tolerates that (docs/testing.md, item 1). The harness turns UNIMPLEMENTED into None
    # and raises any other gRPC error, which would fail the engine's opening sequence.
    assert pack.handshake() is None
    # GetPluginInfo answers the pulumi-policy SDK's version, the one the project pins.
    assert pack.plugin_info().version == _pinned("pulumi-policy")


# -- every example through the engine -------------------------------------------------

def _check_policy_answer(rule, level: str, answer: Answer, urn: str, status: str) -> None:
    """What the engine must see from `rule` about one resource with the expected status."""
    mine = [d for d in answer.of(rule.name) if not d.preview and d.urn in ("", urn)]
    if rule.kind == "stack":
        mine = [d for d in answer.of(rule.name) if not d.preview and d.urn == urn]
    if status == "fail":
        assert mine, f"expected a violation of {rule.name} for {urn}"
        for d in mine:
            assert d.level == level, d
            assert d.severity == SEVERITIES[rule.severity], d
            assert d.message.startswith(rule.description), d
            assert len(d.message) > len(rule.description) + 1, "a violation must say what to change"
    else:
        assert not mine, f"{rule.name} gave {status} for {urn} but the engine saw {mine}"


def with_stack_phase(pack: PackProcess, rule, resources: Mapping[str, Res],
                     answers: Dict[str, Answer]) -> Dict[str, Answer]:
    """A resource rule's answers with what its stack phase (AnalyzeStack) adds on each resource."""
    if rule.stack_check is None:
        return answers
    stack = pack.analyze_stack(list(resources.values()))
    assert not stack.not_applicable_to(rule.name), "a stack phase never makes a resource policy not applicable"
    return {name: Answer(a.diagnostics + tuple(d for d in stack.of(rule.name) if d.urn == resources[name].urn),
                         a.not_applicable) for name, a in answers.items()}


@pytest.mark.parametrize("rule,example", CASES, ids=CASE_IDS)
def test_example_through_engine(pack, rule, example):
    level = level_of(rule, example)
    resources = {r.name: r for r in example_resources(example, rule.kind == "stack")}
    answers = with_stack_phase(pack, rule, resources, run_example(pack, rule, example))
    expect = example.statuses
    if rule.kind == "resource":
        for name, answer in answers.items():
            status = expect.get(name)
            _check_policy_answer(rule, level, answer, resources[name].urn, status or "none")
            previews = [d for d in answer.of(rule.name) if d.preview]
            if status == "unknown":
                assert len(previews) == 1 and previews[0].level == "advisory", previews
                assert f"can't run policy '{rule.name}'" in previews[0].message
            elif status != "fail":
                assert not previews, previews
            assert answer.not_applicable_to(rule.name) == (status == "not_applicable"), (name, answer)
    else:
        answer = answers["*"]
        for name, res in resources.items():
            _check_policy_answer(rule, level, answer, res.urn, expect.get(name, "none"))
        previews = [d for d in answer.of(rule.name) if d.preview]
        if "unknown" in expect.values():
            assert len(previews) == 1 and previews[0].level == "advisory", previews
        else:
            assert not previews, previews
        all_na = bool(expect) and set(expect.values()) == {"not_applicable"}
        assert answer.not_applicable_to(rule.name) == all_na, answer
    # Other policies are not this example's business, but none may be confused into a crash.
    for a in answers.values():
        assert all(d.policy for d in a.diagnostics)


STACK_CASES = [(r, e) for r, e in CASES if r.kind == "stack"]
DANGLING = urn("aws:kms/key:Key", "not-in-this-request", project="example")


@pytest.mark.parametrize("rule,example", STACK_CASES, ids=[f"{r.name}:{e.description}" for r, e in STACK_CASES])
def test_links_outside_the_request_change_no_answer(pack, rule, example):
    """Parents and dependencies that name a URN absent from AnalyzeStack's resources
    (a resource of another stack, or one the engine left out) link to nothing: the
    answer is the one without them."""
    plain = run_example(pack, rule, example)["*"].normalized()
    resources = example_resources(example, rule.kind == "stack")
    for r in resources:
        r.parent = DANGLING
        r.dependencies = (*r.dependencies, DANGLING)
        r.property_dependencies = {k: (*r.property_dependencies.get(k, ()), DANGLING) for k in r.props}
    assert run_example(pack, rule, example, resources)["*"].normalized() == plain


def _answers(pack, rule, example):
    resources = example_resources(example, rule.kind == "stack")
    if rule.kind == "stack":
        return [pack.analyze_stack(resources)]
    return [pack.analyze(r) for r in resources]


def test_configured_level_is_reported(pack):
    """A `--policy-pack-config` level reaches the violations, "all" included."""
    for rule, example in [next((r, e) for r, e in CASES if r.kind == kind and not e.config
                               and "fail" in e.statuses.values()) for kind in ("resource", "stack")]:
        for cfg, level in (({rule.name: "advisory"}, "advisory"),
                           ({"all": "advisory"}, "advisory"),
                           ({"all": "advisory", rule.name: {"enforcementLevel": "mandatory"}}, "mandatory"),
                           ({rule.name: "remediate"}, "mandatory")):
            pack.configure(cfg)
            levels = {d.level for a in _answers(pack, rule, example) for d in a.of(rule.name) if not d.preview}
            assert levels == {level}, (rule.name, cfg, levels)
        pack.configure({rule.name: "disabled"})
        assert not any(a.of(rule.name) for a in _answers(pack, rule, example))


# -- unknowns never make a mandatory violation -------------------------------------------

def _leaf_paths(value: Any, path: Tuple = ()) -> Iterator[Tuple]:
    """Every path to a value worth making unknown: each property, each nested value."""
    if path:
        yield path
    if isinstance(value, Mapping):
        for k, v in value.items():
            yield from _leaf_paths(v, path + (k,))
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from _leaf_paths(v, path + (i,))


def _replace(props: Mapping[str, Any], path: Tuple, make) -> Dict[str, Any]:
    out = copy.deepcopy(dict(props))
    cur: Any = out
    for p in path[:-1]:
        cur = cur[p]
    if isinstance(cur, tuple):  # examples may hold tuples; the wire has only lists
        raise AssertionError("tuples are copied to lists before replacing")
    cur[path[-1]] = make(cur[path[-1]])
    return out


def _listify(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _listify(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_listify(v) for v in value]
    return value


def _mandatory_urns(answers: Mapping[str, Answer]) -> set:
    return {(d.policy, d.urn or name) for name, a in answers.items() for d in a.diagnostics
            if d.level == "mandatory"}


@pytest.mark.parametrize("rule,example", CASES, ids=CASE_IDS)
def test_unknowns_never_add_a_mandatory_violation(pack, rule, example):
    """Replace each value of each resource, one at a time, by the engine's unknown of
    its kind: no rule may then report a mandatory violation it did not report with
    the value known (a value it cannot see cannot prove a failure)."""
    base_resources = example_resources(example, rule.kind == "stack")
    for r in base_resources:
        r.props = _listify(r.props)
    baseline = _mandatory_urns(run_example(pack, rule, example, base_resources))
    for i, target in enumerate(base_resources):
        for path in list(_leaf_paths(target.props)):
            mutated = [copy.copy(r) for r in base_resources]
            mutated[i].props = _replace(target.props, path, unknown_like)
            if rule.kind == "resource":
                # A resource policy judges each resource alone: only the changed one can answer
                # differently, and re-sending the rest would make large examples cost n².
                mutated = [mutated[i]]
            where = f"{target.name}.{'.'.join(map(str, path))} unknown"
            got = _mandatory_urns(run_example(pack, rule, example, mutated))
            assert got <= baseline, f"{where} -> {got - baseline}"


PHASE_CASES = [(r, e) for r, e in CASES if r.stack_check is not None]


@pytest.mark.parametrize("rule,example", PHASE_CASES, ids=[f"{r.name}:{e.description}" for r, e in PHASE_CASES])
def test_unknowns_never_add_a_mandatory_violation_in_the_stack_phase(pack, rule, example):
    """The same fuzz for a resource rule's stack phase (AnalyzeStack)."""
    def mandatory(resources):
        pack.configure(example_config(rule, example))
        return _mandatory_urns({"*": pack.analyze_stack(resources)})

    base_resources = example_resources(example, False)
    for r in base_resources:
        r.props = _listify(r.props)
    baseline = mandatory(base_resources)
    for i, target in enumerate(base_resources):
        for path in list(_leaf_paths(target.props)):
            mutated = [copy.copy(r) for r in base_resources]
            mutated[i].props = _replace(target.props, path, unknown_like)
            got = mandatory(mutated)
            assert got <= baseline, f"{target.name}.{'.'.join(map(str, path))} unknown -> {got - baseline}"


@pytest.mark.parametrize("rule,example", CASES, ids=CASE_IDS)
def test_everything_unknown_adds_no_mandatory_violation(pack, rule, example):
    """A brand-new stack at preview: every property of every resource unknown."""
    resources = example_resources(example, rule.kind == "stack")
    baseline = _mandatory_urns(run_example(pack, rule, example, resources))
    for r in resources:
        r.props = {k: unknown_like(v) for k, v in r.props.items()}
    got = _mandatory_urns(run_example(pack, rule, example, resources))
    assert got <= baseline, got - baseline


@pytest.mark.parametrize("rule,example", CASES, ids=CASE_IDS)
def test_secret_wrapping_changes_no_answer(pack, rule, example):
    """The engine sends secrets wrapped; rules see them unwrapped, so wrapping every
    property of every resource must not change what the pack says."""
    plain = example_resources(example, rule.kind == "stack")
    wrapped = example_resources(example, rule.kind == "stack")
    for r in wrapped:
        r.props = {k: Secret(v) for k, v in r.props.items()}
    a = run_example(pack, rule, example, plain)
    b = run_example(pack, rule, example, wrapped)
    assert {k: v.normalized() for k, v in a.items()} == {k: v.normalized() for k, v in b.items()}


# -- secrets -----------------------------------------------------------------------------

API_KEY_VALUE = "q8Zt3Lw9Xk2Rm7Vn4Bp6Hy1Jc5Df0Gs8"


def test_secret_wrapped_api_key_export_is_caught(pack):
    pack.configure()
    key = Res("aws:apigateway/apiKey:ApiKey", "key", {"name": "client", "value": Secret(API_KEY_VALUE)})
    stack = Res("pulumi:pulumi:Stack", "keyguard-dev",
                {"apiKeyArn": "arn:aws:apigateway:us-east-1::/apikeys/abc", "clientKey": Secret(API_KEY_VALUE)})
    answer = pack.analyze_stack([stack, key])
    hits = [d for d in answer.of("stack-exports-no-secrets") if not d.preview]
    assert hits and all(d.level == "mandatory" and d.urn == stack.urn for d in hits), answer
    assert any("clientKey" in d.message for d in hits)
    assert not any("apiKeyArn" in d.message for d in hits)
    for d in answer.diagnostics:
        assert API_KEY_VALUE not in d.message, f"{d.policy} echoes the secret"


def test_unknown_exports_are_only_advisory(pack):
    pack.configure()
    key = Res("aws:apigateway/apiKey:ApiKey", "key", {"value": Unknown()})
    stack = Res("pulumi:pulumi:Stack", "keyguard-dev", {"clientKey": Unknown(), "arn": Unknown()})
    answer = pack.analyze_stack([stack, key])
    # Other policies may rightly fail this bare stack (nothing stores or limits the key).
    exports = answer.of("stack-exports-no-secrets")
    assert len(exports) == 1 and exports[0].preview and exports[0].level == "advisory", exports


# -- remediation -----------------------------------------------------------------------

REMEDIABLE = [r for r in RULES if r.remediate is not None]
FIX_CASES = [(rule, ex, res) for rule in REMEDIABLE for ex in rule.examples
             for res in ex.resources if ex.statuses.get(res.name) == "fail"]
FIX_IDS = [f"{r.name}:{e.description}:{x.name}" for r, e, x in FIX_CASES]
PROBE_SECRET = "probe-secret-value"


def _remediate_config(rule, example) -> Dict[str, Any]:
    return {rule.name: {**example.config, "enforcementLevel": "remediate"}}


def test_every_remediating_rule_has_a_failing_example():
    for rule in REMEDIABLE:
        assert any(r.name == rule.name for r, _, _ in FIX_CASES), rule.name


@pytest.mark.parametrize("rule,example,res", FIX_CASES, ids=FIX_IDS)
def test_remediation_fixes_and_keeps_secrets_and_unknowns(pack, rule, example, res):
    """Remediate (enforcementLevel "remediate") returns properties that pass on
    re-analysis; every property that was a secret is still one, and unknowns come
    back untouched."""
    pack.configure(_remediate_config(rule, example))
    plain = Res(res.type, res.name, _listify(res.props))
    resp = pack.remediate(plain)
    fixed = remediated_props(resp, rule.name)
    # The rule's own fix for these properties: the engine must deliver it, neither drop it
    # (a servicer that answered every Remediate with nothing would otherwise pass below) nor
    # invent one.
    changes = rule.remediate(dict(res.props), with_defaults(rule, example.config))
    if changes is None:
        assert fixed is None, f"{rule.name} remediated through the engine what the rule leaves alone"
        # Not every failure has a safe local fix; then it must still be reported.
        assert [d for d in pack.analyze(plain).of(rule.name) if d.level == "mandatory"]
        return
    assert fixed is not None, f"{rule.name}: the engine dropped the rule's fix {sorted(changes)}"
    assert {k: fixed.get(k) for k in changes} == changes
    assert not pack.analyze(Res(res.type, res.name, fixed)).of(rule.name), "remediated props still fail"

    # The same resource with every property secret, plus an unrelated secret and unknown.
    wrapped = {k: Secret(v) for k, v in _listify(res.props).items()}
    wrapped["keyguardProbeSecret"] = Secret(PROBE_SECRET)
    wrapped["keyguardProbeUnknown"] = Unknown(UNKNOWN_STRING)
    resp = pack.remediate(Res(res.type, res.name, wrapped))
    fixed2 = remediated_props(resp, rule.name)
    assert fixed2 is not None, "secret-wrapped inputs were not remediated"
    for k in wrapped:
        if k == "keyguardProbeUnknown":
            assert fixed2[k] == UNKNOWN_STRING
        else:
            assert is_secret(fixed2[k]), f"{k} lost its secretness"
    assert fixed2["keyguardProbeSecret"]["value"] == PROBE_SECRET
    for k, v in fixed.items():
        if k in wrapped and k in fixed2:
            assert fixed2[k]["value"] == v, f"{k}: secret-wrapped input fixed differently"
    assert not [d for d in pack.analyze(Res(res.type, res.name, fixed2)).of(rule.name) if not d.preview]


@pytest.mark.parametrize("rule", REMEDIABLE, ids=[r.name for r in REMEDIABLE])
def test_remediation_leaves_unknowns_alone(pack, rule):
    """A resource whose every value is unknown is not rewritten into a guess."""
    pack.configure({rule.name: "remediate"})
    checked = 0
    for ex in rule.examples:
        for res in ex.resources:
            if not rule.applies_to(res.type) or not res.props:
                continue
            checked += 1
            props = {k: unknown_like(v) for k, v in res.props.items()}
            resp = pack.remediate(Res(res.type, res.name, props))
            fixed = remediated_props(resp, rule.name)
            if fixed is None:
                continue
            for k, v in props.items():
                assert fixed.get(k) == v.sentinel, f"{rule.name} rewrote unknown {k}"
            assert all(isinstance(v, str) and v in UNKNOWN_SENTINELS or k not in props for k, v in fixed.items())
    assert checked, f"{rule.name}: no example resource of a type it remediates"


def test_remediation_off_by_default(pack):
    pack.configure()
    for rule in REMEDIABLE:
        for _, ex, res in [c for c in FIX_CASES if c[0] is rule]:
            assert not pack.remediate(Res(res.type, res.name, _listify(res.props))).remediations


# -- the process itself -------------------------------------------------------------------

def test_pack_process_always_ends():
    """Even when the test body fails, leaving the context ends the process."""
    pack = PackProcess()
    with pytest.raises(ZeroDivisionError):
        with pack:
            assert pack.alive
            pack.boot()
            1 / 0
    assert not pack.alive


def test_a_pack_process_starts_once():
    """Entering `with` starts the process; a second start would replace it with another,
    and the first would outlive the test (two such starts left two pack processes behind
    every run of the suite)."""
    with PackProcess() as pack:
        first = pack.proc
        with pytest.raises(PackError, match="started already"):
            pack.start()
        assert pack.proc is first and pack.alive
    assert first.poll() is not None


def test_pack_that_cannot_start_is_reported_and_ended(tmp_path):
    (tmp_path / "__main__.py").write_text("raise SystemExit('broken pack')\n")
    pack = PackProcess(root=tmp_path, timeout=20)
    with pytest.raises(PackError, match="broken pack"):
        pack.start()
    assert not pack.alive


def test_pack_never_imports_pulumi_aws():
    """`-X importtime` lists every module the pack imports, through start-up and a
    round of requests; the AWS SDKs and the pulumi_aws provider SDK are not among them."""
    import importlib.util

    # Installed in this venv (the stack needs it), so its absence below means something.
    assert importlib.util.find_spec("pulumi_aws") is not None
    with PackProcess(python_flags=["-X", "importtime"]) as pack:
        pack.boot()
        for rule, ex in CASES:
            run_example(pack, rule, ex)
        text = pack.stderr_text()
    imported = {line.rsplit("|", 1)[-1].strip() for line in text.splitlines() if line.startswith("import time:")}
    assert "pulumi_policy" in imported and "policypack.crossguard" in imported, "importtime saw nothing"
    heavy = sorted(m for m in imported if m.split(".")[0] in {"pulumi_aws", "boto3", "botocore", "moto", "rich", "jinja2"})
    assert not heavy, heavy


def test_routing_servicer_applies_stack_settings_once(monkeypatch):
    """The engine's PULUMI_* environment is applied before the first request and not
    re-read on every one (it cannot change while the process lives)."""
    import pulumi
    from pulumi_policy import EnforcementLevel

    from .harness import ENGINE_ENV
    from policypack import crossguard, routing

    from pulumi.runtime import settings as runtime_settings

    # configure() replaces this module global; put it back so other tests' mocks start clean.
    monkeypatch.setattr(runtime_settings, "SETTINGS", runtime_settings.SETTINGS)
    for k, v in ENGINE_ENV.items():
        monkeypatch.setenv(k, v)
    servicer = routing.servicer_class()("keyguard", "0.0.1", crossguard.build_policies(),
                                                   EnforcementLevel.ADVISORY)
    calls = []
    real = servicer._configure_runtime_settings
    monkeypatch.setattr(servicer, "_configure_runtime_settings", lambda: (calls.append(1), real()))
    req = Res("aws:kms/key:Key", "k", {"enableKeyRotation": True}).analyze_request()
    for _ in range(3):
        servicer.Analyze(req, None)
    servicer.AnalyzeStack(pb_stack_request([Res("aws:kms/key:Key", "k", {})]), None)
    assert len(calls) == 1
    assert (pulumi.get_project(), pulumi.get_stack()) == ("example", "dev")


def test_concurrent_requests_get_the_same_answers(pack):
    """The engine analyses resources in parallel; answers must not depend on it."""
    from concurrent.futures import ThreadPoolExecutor

    pack.configure()
    resources = [r for _, ex in CASES for r in example_resources(ex)]
    stacks = [example_resources(ex, True) for r, ex in CASES if r.kind == "stack"]
    serial = [pack.analyze(r).normalized() for r in resources] + \
        [pack.analyze_stack(s).normalized() for s in stacks]
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(lambda r: pack.analyze(r).normalized(), resources)) + \
            list(pool.map(lambda s: pack.analyze_stack(s).normalized(), stacks))
    assert parallel == serial
