"""evaluate() hands resource rules a resource's inputs and stack rules its outputs, as the engine does."""
from policypack.evaluate import evaluate
from policypack.model import STACK_TYPE, Resource, Status
from policypack.registry import RULES

KEY = "kG7xP2mQ9vR4tY8wZ1aB3cD5eF6gH0jK"


def _rules(*names):
    return [r for r in RULES if r.name in names]


def _api_key(inputs):
    return Resource(type="aws:apigateway/apiKey:ApiKey", name="k", urn="urn:pulumi:dev::p::aws:apigateway/apiKey:ApiKey::k",
                    props={"name": "k", "value": KEY}, id="abc", inputs=inputs)


def test_resource_rule_judges_inputs_when_present():
    generated = evaluate([_api_key({"name": "k"})], _rules("apigateway-api-key-generated"))
    literal = evaluate([_api_key({"name": "k", "value": KEY})], _rules("apigateway-api-key-generated"))
    assert [r.status for r in generated] == [Status.PASS]
    assert [r.status for r in literal] == [Status.FAIL]


def test_resource_rule_judges_props_without_inputs():
    results = evaluate([_api_key(None)], _rules("apigateway-api-key-generated"))
    assert [r.status for r in results] == [Status.FAIL]


def test_stack_rule_still_sees_outputs():
    root = Resource(type=STACK_TYPE, name="p-dev", urn="urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev",
                    props={"leak": KEY}, inputs={})
    results = evaluate([root, _api_key({"name": "k"})], _rules("stack-exports-no-secrets"))
    assert [r.status for r in results] == [Status.FAIL]
