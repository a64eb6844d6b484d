"""The fast indented JSON writer says exactly what json.dumps says."""
import json
import random
from types import MappingProxyType

import pytest

from policypack.report.jsontext import dumps_indented, write_indented

CASES = [
    {},
    [],
    {"a": [], "b": {}, "c": [{}], "d": [[]]},
    {"s": "plain", "u": "caf\u00e9 \u2713 \U0001f511", "ctl": "tab\tnew\nline\"quote\\", "empty": ""},
    {"n": 0, "neg": -17, "big": 2 ** 70, "f": 1.5, "tiny": 1e-300, "nan": float("nan"),
     "inf": float("inf"), "ninf": float("-inf"), "t": True, "fl": False, "none": None},
    {1: "int key", 2.5: "float key", None: "none key"},
    {True: "bool key"},  # its own dict: True and 1 are the same key
    {"tuple": (1, "two", (3,)), "nested": {"deep": {"deeper": [1, {"x": [None]}]}}},
    "just a string",
    42,
    None,
]


@pytest.fixture(params=["orjson", "python"])
def encoder(request, monkeypatch):
    """Both ways to the text: orjson where it writes what json.dumps writes, and the writer
    that is the fallback without it (an install that lacks orjson, or values it cannot take)."""
    if request.param == "python":
        import policypack.report.jsontext as jsontext

        monkeypatch.setattr(jsontext, "_orjson", None)
    return request.param


@pytest.mark.parametrize("value", CASES, ids=range(len(CASES)))
@pytest.mark.parametrize("indent", [2, 4])
def test_same_text_as_json_dumps(value, indent, encoder):
    assert dumps_indented(value, indent) == json.dumps(value, indent=indent)


def _random_value(rng, depth=0):
    kinds = ["str", "int", "float", "bool", "none"] + (["list", "dict"] * 2 if depth < 4 else [])
    kind = rng.choice(kinds)
    if kind == "str":
        return "".join(rng.choice("ab\"\\\n\u00e9\u2603 ") for _ in range(rng.randrange(6)))
    if kind == "int":
        return rng.randrange(-10 ** 6, 10 ** 6)
    if kind == "float":
        return rng.uniform(-1e6, 1e6)
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "none":
        return None
    if kind == "list":
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {f"k{rng.randrange(100)}": _random_value(rng, depth + 1) for _ in range(rng.randrange(4))}


def test_random_documents(encoder):
    rng = random.Random(14)
    for _ in range(300):
        value = _random_value(rng)
        assert dumps_indented(value) == json.dumps(value, indent=2)


@pytest.mark.parametrize("depth", [254, 256, 700])
def test_deep_nesting_reads_as_json_dumps(depth, encoder):
    # orjson stops at 255 levels and the check of what it may write recurses in Python: past
    # either, the value goes the writer's way (and json.dumps's past the writer's stack).
    value: list = ["leaf"]
    for _ in range(depth):
        value = [value, {"k": 1}]
    assert dumps_indented(value) == json.dumps(value, indent=2)


def test_what_it_does_not_know_is_left_to_json():
    # A mapping that is not a dict: json.dumps refuses it, and so does the writer.
    with pytest.raises(TypeError):
        dumps_indented({"a": MappingProxyType({"b": 1})})
    with pytest.raises(TypeError):
        dumps_indented({"a": object()})
    with pytest.raises(TypeError):
        dumps_indented({(1, 2): "tuple key"})


# -- the streaming writer (write_indented): the same text, handed over piece by piece ----------

def _streamed(value, indent=2):
    pieces = []
    write_indented(value, pieces.append, indent)
    return "".join(pieces), pieces


_EVERY_ASCII = "".join(chr(i) for i in range(0x80))
_AWKWARD = _EVERY_ASCII + "\u2028\u00e9\U0001f511\ud7ff\ue000\uffff\U0010ffff"


@pytest.mark.parametrize("value", CASES + [
    {"results": [{"s": _AWKWARD, "k" + _AWKWARD: [_AWKWARD, 1, None, True, 2 ** 63, -2 ** 63, 2 ** 70]}],
     "summary": {"f": 1e16, "g": 1e-7, "nan": float("nan")}, "empty": [], "top": _AWKWARD},
    {"lone surrogate": ["\ud800", {"x": "a\udfffb"}]},
    {"results": [{"a": (1, 2)}, {"b": {}}, [1.5, "x"], "y", 3]},
], ids=lambda v: str(v)[:30])
@pytest.mark.parametrize("indent", [2, 4])
def test_streamed_text_is_json_dumps(value, indent, encoder):
    assert _streamed(value, indent)[0] == json.dumps(value, indent=indent)


def test_streamed_random_reports(encoder):
    rng = random.Random(23)
    for _ in range(300):
        value = {"findings": [_random_value(rng) for _ in range(rng.randrange(5))], "summary": _random_value(rng),
                 "results": [{"message": _random_value(rng), "n": rng.randrange(-5, 5)} for _ in range(3)]}
        assert _streamed(value)[0] == json.dumps(value, indent=2)


def test_a_report_is_handed_over_a_slice_at_a_time(encoder):
    from policypack.report.jsontext import _CHUNK

    results = [{"policy": "p", "status": "fail", "message": f"resource {i}"} for i in range(3 * _CHUNK + 5)]
    text, pieces = _streamed({"schema": "s", "results": results})
    assert text == json.dumps({"schema": "s", "results": results}, indent=2)
    assert len(pieces) >= 4  # the list in four slices at least, with orjson or without
    assert max(len(p) for p in pieces) < len(text) / 2  # never the whole list at once


def test_what_orjson_writes_exactly_never_goes_through_the_python_writer(monkeypatch):
    # The speed of `keyguard diff --format json` and of SARIF rests on this route being taken.
    import policypack.report.jsontext as jsontext

    def refuse(step):
        raise AssertionError("the Python writer ran")
    monkeypatch.setattr(jsontext, "_writer", refuse)
    doc = {"schema": "keyguard.diff/v1", "new_access": [{"principal": "r\u00e9le", "path": ["a", "b"], "n": 3}]}
    assert dumps_indented(doc) == json.dumps(doc, indent=2)
    with pytest.raises(AssertionError):
        dumps_indented({"f": 1.5})  # a float: orjson spells some of them its own way
