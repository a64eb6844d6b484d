"""Stack.index answers exactly what walking the stack answers, in the same order."""
import random

import pytest

from policypack.links import identifiers
from policypack.model import UNKNOWN, Resource, Stack

TYPES = ("t:a", "t:b", "t:c")
VALUES = ("id0", "id1", "arn:x:1", "arn:x:2", "name-a", "", None, 7, UNKNOWN)


def _ids_arn_name(res):
    return identifiers(res, "arn", "name")


def _walk_linked(source, prop, candidates, ids_of):
    """The documented rule, by walking every candidate: a candidate is linked when `prop`
    depends on it or a known string in `prop` (or in its list) is one of its identifiers;
    an unknown part is undecided only when `prop` depends on nothing."""
    deps = set(source.property_dependencies.get(prop, ()))
    value = source.props.get(prop)
    values = value if isinstance(value, list) else [value]
    strings = {v for v in values if isinstance(v, str) and v}
    hits = [c for c in candidates if c.urn in deps or strings & ids_of(c)]
    undecided = any(v is UNKNOWN for v in values) and not deps
    return hits, undecided


def _random_stack(rng):
    specs = [(rng.choice(TYPES), f"r{i}") for i in range(rng.randrange(1, 14))]
    if rng.random() < 0.3:
        specs.append(specs[0])  # the same URN twice, as a hand-made stack may have
    urns = [f"urn:pulumi:s::p::{t}::{n}" for t, n in specs] + ["urn:pulumi:s::p::t:z::elsewhere"]
    resources = []
    for t, n in specs:
        props = {p: rng.choice(VALUES) for p in ("id", "arn", "name", "ref", "other") if rng.random() < 0.6}
        if rng.random() < 0.5:
            props["refs"] = [rng.choice(VALUES) for _ in range(rng.randrange(0, 4))]
        deps = {p: tuple(rng.sample(urns, rng.randrange(0, 3))) for p in ("ref", "other", "refs") if rng.random() < 0.4}
        rid = rng.choice(VALUES[:5] + (None,))
        resources.append(Resource(t, n, f"urn:pulumi:s::p::{t}::{n}", props, id=rid, property_dependencies=deps,
                                  dependencies=tuple(u for us in deps.values() for u in us)))
    return Stack(tuple(resources))


@pytest.mark.parametrize("seed", range(300))
def test_index_agrees_with_walking_the_stack(seed):
    rng = random.Random(seed)
    stack = _random_stack(rng)
    index = stack.index
    for rtype in TYPES:
        walked = [r for r in stack.resources if r.type == rtype]
        assert list(stack.of_type(rtype)) == walked
        for ids_of in (identifiers, _ids_arn_name):
            for source in stack.resources:
                for prop in ("ref", "other", "refs"):
                    expected = _walk_linked(source, prop, walked, ids_of)
                    assert index.linked(source, prop, rtype, ids_of) == expected
                    # Several types at once: the union, still in stack order.
                    both = [r for r in stack.resources if r.type in (rtype, "t:c")]
                    assert index.linked(source, prop, (rtype, "t:c"), ids_of) == _walk_linked(source, prop, both, ids_of)
            for target in stack.resources:
                for prop in ("ref", "other"):
                    expected = [s for s in walked if _walk_linked(s, prop, [target], ids_of)[0]]
                    assert index.referrers(target, prop, rtype, ids_of(target)) == expected


def test_dependents_and_memo():
    a = Resource("t:a", "a", "urn:a", {})
    b = Resource("t:b", "b", "urn:b", {}, dependencies=("urn:a", "urn:a"), property_dependencies={"x": ("urn:a",)})
    c = Resource("t:c", "c", "urn:c", {}, dependencies=("urn:a",))
    stack = Stack((a, b, c))
    assert stack.index.dependents("urn:a") == [b, c]
    assert stack.index.dependents("urn:a", "x") == [b]
    assert stack.index.dependents("urn:b") == []
    built = []
    assert stack.index.memo("k", lambda: built.append(1) or "v") == "v"
    assert stack.index.memo("k", lambda: built.append(1) or "w") == "v"
    assert built == [1]
    assert stack.index is stack.index
