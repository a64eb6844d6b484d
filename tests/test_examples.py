"""Every good and bad example of every rule, run through the rule as the scanner runs it."""
import pytest

from policypack.evaluate import evaluate
from policypack.model import Status
from policypack.registry import RULES

_RANK = [Status.FAIL, Status.UNKNOWN, Status.PASS, Status.NOT_APPLICABLE]

CASES = [(rule, ex) for rule in RULES for ex in rule.examples]


def collapse(results):
    by_name = {}
    for r in results:
        name = r.urn.rsplit("::", 1)[-1]
        prev = by_name.get(name)
        if prev is None or _RANK.index(r.status) < _RANK.index(prev):
            by_name[name] = r.status
    return {k: v.value for k, v in by_name.items()}


@pytest.mark.parametrize("rule,example", CASES, ids=[f"{r.name}:{e.description}" for r, e in CASES])
def test_example(rule, example):
    resources = [r.build() for r in example.resources]
    results = evaluate(resources, [rule], {rule.name: dict(example.config)} if example.config else None)
    assert collapse(results) == dict(example.expect)
    for r in results:
        assert r.policy == rule.name
        if r.status is Status.FAIL:
            assert r.message, "a failure must say what to change"


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_every_rule_has_good_and_bad_examples(rule):
    assert any(e.good for e in rule.examples), f"{rule.name} has no good example"
    assert any(not e.good for e in rule.examples), f"{rule.name} has no bad example"
    assert any("unknown" in e.expect.values() for e in rule.examples), f"{rule.name} has no preview example"
