"""Issue 13: one regression test per hostile input found, named after its item.

Items 10 and 13 (YAML expansion, program preparation and process groups) belong to the
program runner and are tested with it; items 14 to 16 (rotation) in tests/rotation.
"""
from __future__ import annotations

import json
import math
import os
from collections import Counter

import pytest

from policypack import schedule
from policypack.evaluate import evaluate
from policypack.iam import actions
from policypack.model import UNKNOWN, Stack, Status, from_engine
from policypack.registry import BY_NAME, RULES
from policypack.secrets import SecretIndex, credential_shape, find, formats
from policypack.tokens.aws import (BATCH_JOB_DEFINITION, ECS_TASK_DEFINITION, FUNCTION, POLICY, ROTATION, SECRET,
                                   SECRET_VERSION, SSM_PARAMETER, STAGE)

from tests.builders import resource as _res
from tests.scanner.conftest import EXPORT, keyguard

ROOT_TYPE = "pulumi:pulumi:Stack"


def _all_rules(resources):
    """Every policy over `resources`: the pack must answer, whatever they hold."""
    return evaluate(resources, RULES)


def _messages(results):
    return " | ".join(f"{r.message} @ {r.path}" for r in results)


# -- 1. linear secret detection ------------------------------------------------------------

def _steps(text: str) -> Counter:
    """Characters each detector handed to a pattern while judging `text` as a value."""
    formats.STEPS.clear()
    index = SecretIndex(Stack(()))
    find({"VALUE": text, "API_TOKEN": text}, index, "env", limit=len(text) + 1)
    return Counter(formats.STEPS)


SHAPES = [
    "a1B2c3D4e5",             # one long letter-and-digit run (the URL pattern's worst case)
    "sk-",                    # OpenAI's prefix over and over
    "sk-aT3BlbkFJ",           # ... with its anchor
    "//x/:_authToken=",       # npm's anchor with "//" before it
    "eyJ",                    # JWT headers without a dot
    "eyJhbGciOiJub25lIn0.e30.",  # JWTs back to back
    "://a:b",                 # basic-auth schemes without an "@"
    "x://",                   # URL schemes
    "%41",                    # URL-encoded text
    "AKIA" + "IOSFODNN7EXAMPLE=",  # key ids and secret-key-shaped runs
    "ghp_",                   # GitHub's prefix
]


@pytest.mark.parametrize("shape", SHAPES)
def test_item1_every_detector_costs_at_most_about_twice_as_much_on_twice_the_input(shape):
    n = 20_000
    small, large = ((shape * (k // len(shape) + 1))[:k] for k in (n, 2 * n))
    cost_n, cost_2n = _steps(small), _steps(large)
    assert cost_2n, "the detectors ran"
    for detector in set(cost_n) | set(cost_2n):
        assert cost_2n[detector] <= 2.2 * cost_n[detector] + 1024, (detector, cost_n[detector], cost_2n[detector])


def test_item1_backtracking_plugins_only_ever_see_bounded_pieces(monkeypatch):
    # The JWT plugin sees whole header-and-payload pieces, which it matches from their first
    # character in one pass (the growth test above covers it); the others see bounded pieces.
    seen = []
    for plugin in formats._plugins():
        if type(plugin).__name__ in formats._CUT and type(plugin).__name__ != "JwtTokenDetector":
            original = plugin.analyze_string
            monkeypatch.setattr(plugin, "analyze_string",
                                lambda s, original=original: (seen.append(len(s)), original(s))[1])
    text = ("sk-" + "A" * 5000 + "T3BlbkFJ" + "B" * 20 + " //r/:_authToken=npm_" + "x" * 40 + "\n"
            + "eyJ" * 3000 + ".e30 " + "://u:p" * 1000 + "@")
    credential_shape(text)
    assert seen and max(seen) <= 2 * formats._PIECE_LIMIT


def test_item1_urls_are_the_ones_the_pattern_finds():
    import re

    pattern = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://\S+")
    samples = ["see https://u:p@h/x and ftp://a.b/c", "1://x 9a://y", "a://b://c d://e", "://x", "x:// y",
               "postgres://app:Pa55w0rd-x@db.internal:5432/app?sslmode=require"]
    for s in samples:
        assert list(formats.urls(s)) == [m.group(0) for m in pattern.finditer(s)], s


def test_item1_a_value_over_the_limit_is_examined_up_to_it_and_the_outcome_says_what_was_left_out():
    big = "a1B2c3D4e5" * 30_000  # 300,000 characters, over the default 262,144
    fn = _res(FUNCTION, "fn", {"environment": {"variables": {"BLOB": big}}})
    results = evaluate([fn], [BY_NAME["lambda-environment-no-secrets"]])
    assert [r.status for r in results] == [Status.UNKNOWN]
    assert "300000 characters long; only its first 262144 were examined" in results[0].message
    assert results[0].path == "environment.variables.BLOB"
    cfg = {"lambda-environment-no-secrets": {"maxScanChars": 400_000}}
    assert [r.status for r in evaluate([fn], [BY_NAME["lambda-environment-no-secrets"]], cfg)] == [Status.PASS]


def test_item1_a_secret_inside_the_examined_part_of_a_long_value_still_fails():
    token = "ghp_" + "r8Xk2LmQ9vT4yW7zB1nC3dF5gH6jK0pS2uV4"
    root = _res(ROOT_TYPE, "st", {"bundle": token + " " + "A" * 300_000})
    results = evaluate([root], [BY_NAME["stack-exports-no-secrets"]])
    assert [r.status for r in results] == [Status.FAIL]
    assert token not in results[0].message


# -- 2. cron parsing ---------------------------------------------------------------------------

def test_item2_each_cron_field_is_parsed_once_not_once_per_day(monkeypatch):
    calls = []
    original = schedule._values
    monkeypatch.setattr(schedule, "_values", lambda *a, **k: (calls.append(a[0]), original(*a, **k))[1])
    schedule.longest_gap_days.cache_clear()
    schedule.longest_gap_days("cron(0 0 1,5,9,13,17,21,25 * ? *)")
    assert len(calls) <= 6


def test_item2_a_cron_expression_longer_than_aws_accepts_is_refused_unparsed():
    days = ",".join(str(1 + i % 28) for i in range(700))  # about 2 KB
    with pytest.raises(schedule.ScheduleError, match="256 characters"):
        schedule.longest_gap_days(f"cron(0 0 {days} * ? *)")


# -- 3. huge IAM wildcards --------------------------------------------------------------------

def test_item3_a_huge_wildcard_is_refused_by_length_without_compiling(monkeypatch):
    compiled = []
    monkeypatch.setattr(actions, "_fixed", lambda seg: compiled.append(seg) or __import__("re").compile(""))
    actions.glob.cache_clear()
    assert not actions.glob_match("a*" * 250_000, "getobject")
    assert compiled == []


def test_item3_each_distinct_pattern_is_prepared_once(monkeypatch):
    made = []
    original = actions.Glob.__init__
    monkeypatch.setattr(actions.Glob, "__init__", lambda self, p: (made.append(p), original(self, p))[1])
    actions.glob.cache_clear()
    actions.expand.cache_clear()
    for _ in range(3):
        actions.expand("s3:get*object*")
        actions.glob_match("s3:get*object*", "s3:getobject")
    assert made.count("get*object*") == 1 and made.count("s3:get*object*") == 1


def test_item3_star_question_patterns_match_without_backtracking():
    # '*?*?...x' makes a regular expression try every placement of the stars.
    pattern = "*?" * 30 + "!"
    assert not actions.glob_match(pattern, "putbucketintelligenttieringconfiguration" * 2)
    assert actions.glob_match("*?*?*!", "ab!")


# -- 4. JSON nested deeper than the parser's recursion limit ----------------------------------------

DEEP_JSON = "[" * 100_000 + "]" * 100_000


def test_item4_deep_json_in_a_policy_document_is_reported_by_iam_policy_document_valid():
    pol = _res(POLICY, "p", {"policy": DEEP_JSON})
    results = [r for r in _all_rules([pol]) if r.policy == "iam-policy-document-valid"]
    assert [r.status for r in results] == [Status.FAIL]
    assert "nests deeper" in results[0].message


def test_item4_deep_json_elsewhere_is_opaque_text_to_the_other_rules():
    resources = [
        _res(FUNCTION, "fn", {"environment": {"variables": {"CONFIG": DEEP_JSON}}}),
        _res(SSM_PARAMETER, "p", {"type": "String", "value": DEEP_JSON}),
        _res(STAGE, "s", {"variables": {"CONFIG": DEEP_JSON}}),
        _res(SECRET_VERSION, "v", {"secretString": "{" * 50_000}),
        _res(ROOT_TYPE, "st", {"out": DEEP_JSON}),
    ]
    results = _all_rules(resources)
    assert not [r for r in results if r.status is Status.FAIL], _messages(results)


def test_item4_deep_json_in_a_container_document_is_no_list_of_containers():
    """Found by test_fuzz: ECS containerDefinitions and Batch container documents are JSON
    strings too; nested past the parser they are not containers, and the rules say so."""
    resources = [
        _res(ECS_TASK_DEFINITION, "task", {"family": "app", "containerDefinitions": DEEP_JSON}),
        _res(BATCH_JOB_DEFINITION, "job", {"type": "container", "containerProperties": "{\"a\":" * 50_000}),
        _res(BATCH_JOB_DEFINITION, "ecs-job", {"type": "container", "ecsProperties": DEEP_JSON}),
    ]
    results = evaluate(resources, [BY_NAME["ecs-task-definition-environment-no-secrets"],
                                   BY_NAME["batch-job-definition-environment-no-secrets"]])
    got = sorted((r.policy, r.urn.rsplit("::", 1)[-1], r.status.value) for r in results)
    assert [g for g in got if g[2] != "not_applicable" and g[2] != "pass"] == [], got
    assert ("ecs-task-definition-environment-no-secrets", "task", "not_applicable") in got


# -- 5. odd schedules ------------------------------------------------------------------------

@pytest.mark.parametrize("expr", ["cron(0 0 \u00b2 * ? *)", "cron(0 \u0661 1 * ? *)", "rate(" + "9" * 5000 + " days)",
                                  "rate(" + "9" * 20 + " days)"],
                         ids=["superscript-two", "arabic-indic-one", "5000-digit-rate", "20-digit-rate"])
def test_item5_a_non_ascii_digit_or_a_huge_rate_is_a_failed_check_with_a_clear_message(expr):
    rot = _res(ROTATION, "r", {"rotationRules": {"scheduleExpression": expr}})
    results = evaluate([rot], [BY_NAME["secretsmanager-rotation-period"]])
    assert [r.status for r in results] == [Status.FAIL]
    assert "is not a valid schedule" in results[0].message
    assert len(results[0].message) < 300


# -- 6. wrong-typed identifiers ------------------------------------------------------------------

def test_item6_an_identifier_output_of_the_wrong_type_is_ignored_for_linking():
    resources = [
        _res(SECRET, "s", {"name": ["not", "a", "name"], "arn": {"x": 1}}, id=["odd"]),
        _res(ROTATION, "r", {"secretId": ["not", "a", "name"], "rotationRules": {"automaticallyAfterDays": 30}}),
    ]
    results = evaluate(resources, [BY_NAME["secretsmanager-secret-rotation-enabled"]])
    assert [r.status for r in results] == [Status.FAIL]


# -- 7. NaN and infinities --------------------------------------------------------------------

@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_item7_nan_or_infinity_is_an_invalid_number(bad):
    resources = [
        _res("aws:kms/key:Key", "k", {"enableKeyRotation": True, "rotationPeriodInDays": bad,
                                      "deletionWindowInDays": bad}),
        _res(SECRET, "s", {"recoveryWindowInDays": bad, "kmsKeyId": bad}),
        _res(ROTATION, "r", {"rotationRules": {"automaticallyAfterDays": bad}}),
        _res(FUNCTION, "fn", {"environment": {"variables": {"N": bad}}, "timeout": bad}),
    ]
    results = _all_rules(resources)
    fails = {(r.policy, r.path) for r in results if r.status is Status.FAIL and "finite number" in r.message}
    assert {("kms-key-rotation-enabled", "rotationPeriodInDays"), ("kms-key-deletion-window", "deletionWindowInDays"),
            ("secretsmanager-secret-recovery-window", "recoveryWindowInDays"),
            ("secretsmanager-rotation-period", "rotationRules.automaticallyAfterDays")} <= fails


def test_item7_nan_read_from_an_export_or_a_secret_plaintext_decodes():
    value = from_engine({"a": json.loads("NaN"), "s": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
                                                     "plaintext": "[Infinity]"}})
    assert math.isnan(value["a"]) and value["s"] == [math.inf]


# -- 8. deep nesting ---------------------------------------------------------------------------

def _deep(depth: int, leaf):
    v = leaf
    for i in range(depth):
        v = {"k": v} if i % 2 else [v]
    return v


def test_item8_properties_nested_far_past_the_recursion_limit_are_answered():
    deep = _deep(5000, "ghp_" + "r8Xk2LmQ9vT4yW7zB1nC3dF5gH6jK0pS2uV4")
    resources = [
        _res(FUNCTION, "fn", {"environment": {"variables": {"DEEP": deep}}}),
        _res(ROOT_TYPE, "st", {"deep": deep}),
        _res(POLICY, "p", {"policy": deep}),
        _res(SECRET, "s", {"tags": deep, "policy": deep}),
    ]
    results = _all_rules(resources)
    # The token at the bottom is still found.
    assert {r.policy for r in results if r.status is Status.FAIL} >= {"lambda-environment-no-secrets",
                                                                      "stack-exports-no-secrets"}


def test_item8_from_engine_decodes_deep_nesting_with_secrets_and_unknowns():
    secret = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
              "value": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"}
    value = from_engine(_deep(10_000, secret))
    for _ in range(10_000):
        value = value[0] if isinstance(value, list) else value["k"]
    assert value is UNKNOWN


# -- 9. the report never replaces an input ------------------------------------------------------

def test_item9_output_path_that_is_an_input_is_refused(tmp_path):
    export = tmp_path / "stack.json"
    export.write_bytes(EXPORT.read_bytes())
    before = export.read_bytes()
    link, hard = tmp_path / "link.json", tmp_path / "hard.json"
    link.symlink_to(export)
    os.link(export, hard)
    for output in (export, link, hard, tmp_path / "." / "stack.json"):
        r = keyguard("scan", export, "--format", "json", "--output", output)
        assert r.code == 2 and len(r.err_lines) == 1 and "is the input" in r.err, output
        assert export.read_bytes() == before
    r = keyguard("scan", link, "--output", export)
    assert r.code == 2 and export.read_bytes() == before


def test_item9_another_output_path_is_still_written(tmp_path):
    out = tmp_path / "report.json"
    r = keyguard("scan", EXPORT, "--format", "json", "--output", out)
    assert r.code == 1 and json.loads(out.read_text())["schema"] == "keyguard.report/v1"


# -- 11. no value in a message, no credential in a path ------------------------------------------

CANARY_VERSION = "kgv-9f2Qx7Lm"


@pytest.mark.parametrize("doc", [
    {"Version": CANARY_VERSION, "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]},
    {"Version": "2012-10-17", "Statement": [{"Effect": CANARY_VERSION, "Action": "s3:GetObject", "Resource": "*"}]},
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                                             "Condition": {CANARY_VERSION + "Zq8Wr5Tn3Vb1Mc6": "x"}}]},
])
def test_item11_iam_policy_document_valid_names_the_property_not_its_value(doc):
    pol = _res(POLICY, "p", {"policy": json.dumps(doc)})
    results = evaluate([pol], [BY_NAME["iam-policy-document-valid"]])
    assert [r.status for r in results] == [Status.FAIL]
    assert CANARY_VERSION not in results[0].message and CANARY_VERSION not in results[0].path


def test_item11_a_map_key_that_looks_like_a_credential_is_replaced_in_paths():
    token = "ghp_" + "r8Xk2LmQ9vT4yW7zB1nC3dF5gH6jK0pS2uV4"
    fn = _res(FUNCTION, "fn", {"environment": {"variables": {token: "ghp_" + "Zt8Xk2LmQ9vT4yW7zB1nC3dF5gH6jK0pS2uV"}}})
    root = _res(ROOT_TYPE, "st", {token: "ghp_" + "Zt8Xk2LmQ9vT4yW7zB1nC3dF5gH6jK0pS2uV"})
    results = _all_rules([fn, root])
    fails = [r for r in results if r.status is Status.FAIL]
    assert {r.policy for r in fails} >= {"lambda-environment-no-secrets", "stack-exports-no-secrets"}
    for r in results:
        assert token not in r.message and token not in r.path
    assert any("<credential-like key>" in r.path for r in fails)


# -- 12. AWS key pairs as they are written in files ------------------------------------------------

AWS_ID = "AKIA" + "IOSFODNN7EXAMPLE"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY"


@pytest.mark.parametrize("text", [
    f"AWS_ACCESS_KEY_ID={AWS_ID}\nAWS_SECRET_ACCESS_KEY={AWS_SECRET}\n",
    f"export AWS_ACCESS_KEY_ID={AWS_ID}\nexport AWS_SECRET_ACCESS_KEY={AWS_SECRET}\n",
    json.dumps({"aws_access_key_id": AWS_ID, "aws_secret_access_key": AWS_SECRET}),
    f"aws_access_key_id: {AWS_ID}\naws_secret_access_key: {AWS_SECRET}\n",
    f'AWS_ACCESS_KEY_ID="{AWS_ID}"\nAWS_SECRET_ACCESS_KEY="{AWS_SECRET}"',
], ids=["key=value", "export", "json", "yaml", "quoted"])
def test_item12_aws_key_pairs_are_recognised_in_env_json_and_yaml_forms(text):
    assert credential_shape(text) == "an AWS access key pair"
    root = _res(ROOT_TYPE, "st", {"env": text})
    results = evaluate([root], [BY_NAME["stack-exports-no-secrets"]])
    assert [r.status for r in results] == [Status.FAIL]


def test_item12_a_key_id_next_to_a_digest_is_still_no_pair():
    sha1 = "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"
    assert credential_shape(f"AWS_ACCESS_KEY_ID={AWS_ID}\nCHECKSUM={sha1}") is None


def test_item8_find_walks_without_recursion_and_keeps_document_order():
    value = {"a": [{"b": UNKNOWN}, "x"], "c": UNKNOWN, "d": _deep(5000, UNKNOWN)}
    matches, unknown = find(value, SecretIndex(Stack(())), "env")
    assert matches == [] and unknown[:2] == ["env.a[0].b", "env.c"] and len(unknown) == 3


def test_item8_an_input_file_nested_past_the_parser_is_one_line_exit_2(tmp_path):
    f = tmp_path / "deep.json"
    f.write_text('{"version": 3, "deployment": {"resources": ' + "[" * 100_000 + "]" * 100_000 + "}}")
    r = keyguard("scan", f)
    assert r.code == 2 and len(r.err_lines) == 1 and "nests deeper" in r.err and "internal error" not in r.err


# -- 7 and 8 through the engine protocol ---------------------------------------------------------

@pytest.fixture(scope="module")
def routing_servicer():
    from tests.engine.harness import ENGINE_ENV, pb
    from pulumi_policy import EnforcementLevel

    from policypack import crossguard, routing
    from policypack.registry import PACK_NAME

    os.environ.update(ENGINE_ENV)
    s = routing.servicer_class()(PACK_NAME, "0.0.1", crossguard.build_policies(),
                                            EnforcementLevel.ADVISORY)
    req = pb.ConfigureAnalyzerRequest()
    req.policyConfig["kms-key-rotation-enabled"].CopyFrom(pb.PolicyConfig(enforcementLevel=pb.REMEDIATE))
    s.Configure(req, None)
    return s, pb


def _value_of(x):
    from google.protobuf import struct_pb2

    v = struct_pb2.Value()
    if isinstance(x, dict):
        v.struct_value.SetInParent()
        for k, c in x.items():
            v.struct_value.fields[k].CopyFrom(_value_of(c))
    elif isinstance(x, bool):
        v.bool_value = x
    elif isinstance(x, (int, float)):
        v.number_value = x
    else:
        v.string_value = x
    return v


def _deep_value(depth: int, leaf: str):
    from google.protobuf import struct_pb2

    v = struct_pb2.Value(string_value=leaf)
    for i in range(depth):
        w = struct_pb2.Value()
        if i % 2:
            w.struct_value.fields["k"].CopyFrom(v)
        else:
            w.list_value.values.append(v)
        v = w
    return v


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_item7_nan_through_analyze_and_remediate_is_answered_as_an_invalid_number(routing_servicer, bad):
    s, pb = routing_servicer
    props = _value_of({"enableKeyRotation": True, "rotationPeriodInDays": bad, "deletionWindowInDays": 30}).struct_value
    req = pb.AnalyzeRequest.FromString(pb.AnalyzeRequest(
        type="aws:kms/key:Key", properties=props, urn="urn:pulumi:dev::p::aws:kms/key:Key::k", name="k"
    ).SerializeToString())
    messages = [d.message for d in s.Analyze(req, None).diagnostics if d.policyName == "kms-key-rotation-enabled"]
    assert len(messages) == 1 and messages[0].endswith("\nkey k: rotationPeriodInDays is not a finite number")
    rem = s.Remediate(req, None)
    assert [n.policy_name for n in rem.not_applicable] == ["kms-key-rotation-enabled"] and not rem.remediations


def test_item8_properties_nested_thousands_deep_through_the_engine_protocol_are_answered(routing_servicer):
    s, pb = routing_servicer
    token = "ghp_" + "r8Xk2LmQ9vT4yW7zB1nC3dF5gH6jK0pS2uV4"
    root_props = _value_of({}).struct_value
    root_props.fields["deep"].CopyFrom(_deep_value(3000, token))
    key_props = _value_of({"enableKeyRotation": True}).struct_value
    key_props.fields["tags"].CopyFrom(_deep_value(3000, "x"))
    stack = pb.AnalyzeStackRequest(resources=[
        pb.AnalyzerResource(type=ROOT_TYPE, properties=root_props, urn="urn:pulumi:dev::p::pulumi:pulumi:Stack::st",
                            name="st"),
        pb.AnalyzerResource(type="aws:kms/key:Key", properties=key_props, urn="urn:pulumi:dev::p::aws:kms/key:Key::k",
                            name="k")])
    stack = pb.AnalyzeStackRequest.FromString(stack.SerializeToString())
    diags = s.AnalyzeStack(stack, None).diagnostics
    assert [d.policyName for d in diags] == ["stack-exports-no-secrets"]
    assert token not in diags[0].message
    req = pb.AnalyzeRequest(type="aws:kms/key:Key", properties=key_props, urn="urn:pulumi:dev::p::aws:kms/key:Key::k",
                            name="k")
    s.Analyze(req, None)
    assert s.Remediate(req, None).not_applicable
