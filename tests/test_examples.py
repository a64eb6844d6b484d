"""Every example of every rule, run through the rule as the scanner runs it.

An example states each resource's exact outcomes (status, and the property path of a
failure), so a rule that reports too much, too little or twice fails here.
"""
from collections import Counter

import pytest

from policypack.evaluate import evaluate
from policypack.examples import outcome_token
from policypack.model import Status
from policypack.registry import RULES

CASES = [(rule, ex) for rule in RULES for ex in rule.examples]


def outcomes(results):
    by_name = {}
    for r in results:
        by_name.setdefault(r.urn.rsplit("::", 1)[-1], []).append(outcome_token(r.status.value, r.path))
    return {k: sorted(v) for k, v in by_name.items()}


@pytest.mark.parametrize("rule,example", CASES, ids=[f"{r.name}:{e.description}" for r, e in CASES])
def test_example(rule, example):
    resources = [r.build() for r in example.resources]
    results = evaluate(resources, [rule], {rule.name: dict(example.config)} if example.config else None)
    assert outcomes(results) == example.outcomes()
    for r in results:
        assert r.policy == rule.name
        if r.status is Status.FAIL:
            assert r.message, "a failure must say what to change"


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_every_rule_has_good_bad_and_preview_examples(rule):
    assert any(e.good for e in rule.examples), f"{rule.name} has no good example"
    assert any(not e.good for e in rule.examples), f"{rule.name} has no bad example"
    assert any("unknown" in e.statuses.values() for e in rule.examples), f"{rule.name} has no preview example"


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_example_descriptions_are_unique(rule):
    # Test ids and reports name examples by description.
    dup = [d for d, n in Counter(e.description for e in rule.examples).items() if n > 1]
    assert not dup, f"{rule.name}: duplicate example descriptions {dup}"


def test_an_extra_outcome_fails_an_example():
    """The comparison is on the multiset of outcomes: a duplicate is not hidden by a set."""
    from policypack.examples import Example, R

    ex = Example("x", [R("t", "a")], {"a": "fail:p"})
    dup = [type("Res", (), {"urn": "u::a", "status": Status.FAIL, "path": "p"})()] * 2
    assert ex.outcomes() == {"a": ["fail:p"]}
    assert outcomes(dup) == {"a": ["fail:p", "fail:p"]}
    assert outcomes(dup[:1]) == ex.outcomes()
