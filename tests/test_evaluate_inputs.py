"""evaluate() hands resource rules a resource's inputs and stack rules its outputs, as the engine does."""
from policypack.evaluate import evaluate
from policypack.model import STACK_TYPE, Status
from policypack.registry import RULES

from tests.builders import resource

KEY = "kG7xP2mQ9vR4tY8wZ1aB3cD5eF6gH0jK"


def _rules(*names):
    return [r for r in RULES if r.name in names]


def _api_key(inputs):
    return resource("aws:apigateway/apiKey:ApiKey", "k", {"name": "k", "value": KEY}, id="abc", inputs=inputs)


def test_resource_rule_judges_inputs_when_present():
    generated = evaluate([_api_key({"name": "k"})], _rules("apigateway-api-key-generated"))
    literal = evaluate([_api_key({"name": "k", "value": KEY})], _rules("apigateway-api-key-generated"))
    assert [r.status for r in generated] == [Status.PASS]
    assert [r.status for r in literal] == [Status.FAIL]


def test_resource_rule_judges_props_without_inputs():
    results = evaluate([_api_key(None)], _rules("apigateway-api-key-generated"))
    assert [r.status for r in results] == [Status.FAIL]


def test_stack_rule_still_sees_outputs():
    root = resource(STACK_TYPE, "p-dev", {"leak": KEY}, inputs={})
    results = evaluate([root, _api_key({"name": "k"})], _rules("stack-exports-no-secrets"))
    assert [r.status for r in results] == [Status.FAIL]
