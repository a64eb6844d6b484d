"""Property-based fuzzing of every rule and of the engine's gRPC surface (issue 13).

Random properties, as the engine or a stack export would carry them: both sentinels (unknowns
of every kind, secret signature objects), NaN and infinities, deep nesting, large strings,
hostile shapes (long letter-and-digit runs, repeated plugin prefixes, JSON nested past the
parser), mixed with the property names and values of each rule's own examples so that the
rule is reached and not just routed past. For every example: no exception, every message
bounded in length, and the detectors' matching work (counted in characters handed to a
pattern, not timed) at most proportional to the input's size.

`make test` runs KEYGUARD_FUZZ_EXAMPLES=200 examples per rule and per gRPC call; `make fuzz`
runs 10,000 and prints the totals.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any, Dict, List

import pytest
from google.protobuf import struct_pb2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policypack.evaluate import evaluate
from policypack.model import SECRET_SIG, SIG_KEY, UNKNOWN_SENTINELS, Resource, from_engine, from_struct
from policypack.registry import RULES
from policypack.secrets import formats

from tests.builders import urn as urn_of

EXAMPLES = int(os.environ.get("KEYGUARD_FUZZ_EXAMPLES", "200"))
# Examples run per target, printed at the end of the session (conftest.py).
TOTALS: Counter = Counter()
MAX_MESSAGE = 1500
# Characters handed to patterns per character of input, plus a constant: a linear bound.
STEPS_PER_CHAR, STEPS_CONSTANT = 100, 200_000

# `make test` draws the same examples on every run (a CI failure reproduces); `make fuzz`
# draws new ones each time.
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=EXAMPLES <= 200,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much, HealthCheck.large_base_example])

_HOSTILE = [
    "a1B2c3D4e5" * 3000, "sk-" * 5000, "//x/:_authToken=" * 1000, "eyJ" * 5000 + ".e30", "://a:b" * 3000,
    "[" * 5000, "{\"a\":" * 3000, "cron(0 0 \u00b2 * ? *)", "rate(" + "9" * 5000 + " days)",
    "cron(0 0 " + ",".join(["1"] * 600) + " * ? *)", "s3:" + "a*" * 5000, "*?" * 40 + "!",
    "AKIA" + "IOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY",
    "ghp_" + "r8Xk2LmQ9vT4yW7zB1nC3dF5gH6jK0pS2uV4", "postgres://u:Pa55w0rd-x@h/db", "%41" * 2000,
    "arn:aws:iam::aws:policy/AdministratorAccess", "alias/aws/secretsmanager", "*", "",
]


def _example_values(rule) -> List[Any]:
    out: List[Any] = []
    for ex in rule.examples:
        for r in ex.resources:
            out.extend(v for v in r.props.values() if v is not None and type(v).__name__ != "_Unknown")
    return out


def _example_keys(rule) -> List[str]:
    return sorted({k for ex in rule.examples for r in ex.resources for k in r.props} | {"name", "arn", "id", "policy"})


_numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-2 ** 53, 2 ** 53),
                     st.sampled_from([0, -1, 7, 30, 90, 365, 1e308, -0.0]))
_strings = st.one_of(st.text(max_size=30), st.sampled_from(_HOSTILE), st.sampled_from(sorted(UNKNOWN_SENTINELS)),
                     st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=8), st.integers(1, 4000)))
_scalars = st.one_of(_strings, _numbers, st.booleans(), st.none())


def _wrap_secret(v: Any) -> Dict[str, Any]:
    return {SIG_KEY: SECRET_SIG, "value": v}


class _Deep:
    """A deeply nested value, built only when used: hypothesis prints falsifying examples
    with a recursive printer, which such a value would crash."""

    def __init__(self, depth: int, leaf: Any, as_dict: bool) -> None:
        self.depth, self.leaf, self.as_dict = depth, leaf, as_dict

    def __repr__(self) -> str:
        return f"_Deep({self.depth}, {self.leaf!r:.40}, as_dict={self.as_dict})"

    def build(self) -> Any:
        v = self.leaf
        for i in range(self.depth):
            v = {"k": v} if (self.as_dict or i % 2) else [v]
        return v


def _built(props: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v.build() if isinstance(v, _Deep) else v for k, v in props.items()}


def _values(seed_values: List[Any]):
    base = st.one_of(_scalars, st.sampled_from(seed_values)) if seed_values else _scalars
    tree = st.recursive(base, lambda c: st.one_of(
        st.lists(c, max_size=4), st.dictionaries(st.one_of(st.text(max_size=12), st.sampled_from(_HOSTILE[13:15])),
                                                 c, max_size=4),
        st.builds(_wrap_secret, c)), max_leaves=12)
    deep = st.builds(_Deep, st.integers(150, 1500), _scalars, st.booleans())
    plaintext = st.builds(lambda v: {SIG_KEY: SECRET_SIG, "plaintext": v},
                          st.one_of(st.sampled_from(["NaN", "[Infinity]", "[" * 3000, "{", "\"x\""]), st.text(max_size=10)))
    return st.one_of(tree, tree, tree, deep, plaintext)


def _resources(rule):
    keys, seeds = _example_keys(rule), _example_values(rule)
    props = st.dictionaries(st.sampled_from(keys), _values(seeds), max_size=6)
    types = sorted(rule.resource_types | {"pulumi:pulumi:Stack", "aws:secretsmanager/secret:Secret",
                                          "aws:apigateway/apiKey:ApiKey"})
    one = st.builds(lambda t, i, p, id_: (t, f"r{i}", p, id_), st.sampled_from(types), st.integers(0, 5), props,
                    st.one_of(st.none(), _scalars, st.lists(st.text(max_size=4), max_size=2)))
    return st.lists(one, min_size=1, max_size=5)


def _size(value: Any) -> int:
    """Characters and nodes in a value, without recursion."""
    total, todo = 0, [value]
    while todo:
        v = todo.pop()
        total += 1
        if isinstance(v, dict):
            todo.extend(v.values())
            total += sum(len(str(k)) for k in v)
        elif isinstance(v, list):
            todo.extend(v)
        elif isinstance(v, str):
            total += len(v)
    return total


def _model(raw_resources) -> List[Resource]:
    out = []
    for rtype, name, raw, id_ in raw_resources:
        out.append(Resource(rtype, name, urn_of(rtype, name, project="fuzz"), from_engine(_built(raw)), id=id_))
    return out


def _check_results(results, size: int) -> None:
    for r in results:
        assert len(r.message) <= MAX_MESSAGE, (r.policy, len(r.message))
        assert len(r.path) <= MAX_MESSAGE, (r.policy, len(r.path))
    steps = sum(formats.STEPS.values())
    assert steps <= STEPS_PER_CHAR * size + STEPS_CONSTANT, (steps, size)


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_fuzz_every_rule_answers_in_bounded_work_with_bounded_messages(rule):
    @FUZZ
    @given(raw=_resources(rule))
    def run(raw):
        TOTALS[rule.name] += 1
        formats.STEPS.clear()
        results = evaluate(_model(raw), [rule])
        _check_results(results, sum(_size(_built(p)) for _, _, p, _ in raw))

    run()


# -- the gRPC surface ------------------------------------------------------------------------

def _to_value(x: Any) -> struct_pb2.Value:
    """A Struct Value built without recursion (values nest far deeper than Python recurses)."""
    root = struct_pb2.Value()
    todo = [(x, root)]
    while todo:
        v, msg = todo.pop()
        if isinstance(v, dict):
            fields = msg.struct_value.fields
            msg.struct_value.SetInParent()
            for k, c in v.items():
                todo.append((c, fields[str(k)]))
        elif isinstance(v, list):
            msg.list_value.SetInParent()
            for c in v:
                todo.append((c, msg.list_value.values.add()))
        elif isinstance(v, bool):
            msg.bool_value = v
        elif isinstance(v, (int, float)):
            msg.number_value = float(v)
        elif v is None:
            msg.null_value = struct_pb2.NULL_VALUE
        else:
            msg.string_value = str(v)
    return root


def _struct(props: Dict[str, Any]) -> struct_pb2.Struct:
    return _to_value(props).struct_value


@pytest.fixture(scope="module")
def servicer():
    from tests.engine.harness import ENGINE_ENV, pb

    from policypack import crossguard, routing
    from policypack.registry import PACK_NAME
    from pulumi_policy import EnforcementLevel

    os.environ.update(ENGINE_ENV)
    cls = routing.servicer_class()
    s = cls(PACK_NAME, "0.0.1", crossguard.build_policies(), EnforcementLevel.ADVISORY)
    req = pb.ConfigureAnalyzerRequest()
    for rule in RULES:  # every remediating policy at the remediate level, so Remediate runs them
        req.policyConfig[rule.name].CopyFrom(pb.PolicyConfig(
            enforcementLevel=pb.REMEDIATE if rule.remediate else pb.MANDATORY))
    s.Configure(req, None)
    return s, pb


_ALL_TYPES = sorted({t for r in RULES for t in r.resource_types})
_ALL_KEYS = sorted({k for r in RULES for k in _example_keys(r)})
_ALL_SEEDS = [v for r in RULES for v in _example_values(r)]
_grpc_resources = st.lists(st.builds(lambda t, i, p: (t, f"r{i}", p), st.sampled_from(_ALL_TYPES), st.integers(0, 5),
                                     st.dictionaries(st.sampled_from(_ALL_KEYS), _values(_ALL_SEEDS), max_size=6)),
                           min_size=1, max_size=6)


def _diag_messages(resp) -> List[str]:
    return [d.message for d in resp.diagnostics]


def test_fuzz_grpc_analyze_remediate_and_analyze_stack_answer(servicer):
    s, pb = servicer

    @FUZZ
    @given(raw=_grpc_resources)
    def run(raw):
        TOTALS["gRPC Analyze+Remediate+AnalyzeStack"] += 1
        formats.STEPS.clear()
        stack_req = pb.AnalyzeStackRequest()
        size = 0
        for rtype, name, props in raw:
            urn = urn_of(rtype, name, project="fuzz")
            struct = _struct(_built(props))
            size += _size(_built(props))
            # Through the wire encoding, as the engine sends it.
            req = pb.AnalyzeRequest.FromString(
                pb.AnalyzeRequest(type=rtype, properties=struct, urn=urn, name=name).SerializeToString())
            for message in _diag_messages(s.Analyze(req, None)):
                assert len(message) <= MAX_MESSAGE
            rem = s.Remediate(req, None)
            assert all(len(n.reason) <= MAX_MESSAGE for n in rem.not_applicable)
            stack_req.resources.append(pb.AnalyzerResource(type=rtype, properties=struct, urn=urn, name=name))
        stack_req = pb.AnalyzeStackRequest.FromString(stack_req.SerializeToString())
        for message in _diag_messages(s.AnalyzeStack(stack_req, None)):
            assert len(message) <= MAX_MESSAGE
        assert sum(formats.STEPS.values()) <= STEPS_PER_CHAR * size + STEPS_CONSTANT * len(RULES)

    run()


@FUZZ
@given(props=st.dictionaries(st.text(max_size=8), _values(["x"]), max_size=5))
def test_fuzz_struct_decoder_agrees_with_protobufs_own_json_mapping(props):
    """from_struct (no recursion) gives what MessageToDict + from_engine give, where those can."""
    from google.protobuf import json_format

    TOTALS["Struct decoder"] += 1
    struct = _struct(_built(props))
    ours = from_struct(struct)
    try:
        theirs = from_engine(json_format.MessageToDict(struct))
    except (RecursionError, ValueError):
        return  # NaN and deep nesting: exactly what the decoder exists for
    assert json.dumps(ours, sort_keys=True, default=repr) == json.dumps(theirs, sort_keys=True, default=repr)


@FUZZ
@given(props=st.dictionaries(st.sampled_from(["a", "b", SIG_KEY]),
                             st.one_of(st.none(), _values(["x", *UNKNOWN_SENTINELS])), max_size=3))
def test_fuzz_decoder_shares_only_what_it_leaves_unchanged(props):
    """from_engine returns plain parts of its input as they are (not copied): its answer
    is the copying walk's, and the input reads the same afterwards."""
    from policypack.model import _decoded_deep

    TOTALS["engine decoder"] += 1
    value = _built(props)
    before = json.dumps(value, sort_keys=True, default=repr)
    ours = from_engine(value)
    assert json.dumps(ours, sort_keys=True, default=repr) == \
        json.dumps(_decoded_deep(value), sort_keys=True, default=repr)
    assert json.dumps(value, sort_keys=True, default=repr) == before


def test_decoder_copies_only_the_way_down_to_what_it_decodes():
    plain = {"tags": {"team": "ml"}, "ports": [80, 443]}
    assert from_engine(plain) is plain
    value = {"tags": {"team": "ml"}, "env": {"vars": {"KEY": _wrap_secret("s3cr3t")}}}
    decoded = from_engine(value)
    assert decoded == {"tags": {"team": "ml"}, "env": {"vars": {"KEY": "s3cr3t"}}}
    assert decoded["tags"] is value["tags"] and decoded["env"] is not value["env"]
    assert value["env"]["vars"]["KEY"] == _wrap_secret("s3cr3t")


@FUZZ
@given(pattern=st.text(alphabet="ab*?:", max_size=12), text=st.text(alphabet="ab:", max_size=12))
def test_fuzz_iam_wildcards_match_as_a_regular_expression_would(pattern, text):
    import re

    from policypack.iam.actions import glob_match

    TOTALS["IAM wildcard matcher"] += 1
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    assert glob_match(pattern, text) == (re.fullmatch(regex, text, re.DOTALL) is not None)


@FUZZ
@given(text=st.text(alphabet=st.sampled_from("ab1:/ .@x-+"), max_size=60))
def test_fuzz_url_finder_finds_what_the_pattern_finds(text):
    import re

    TOTALS["URL finder"] += 1
    pattern = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]{0,31}://\S+")
    assert list(formats.urls(text)) == [m.group(0) for m in pattern.finditer(text)]
