"""What the secret-material policies' messages may say (their cases are the rules' examples)."""
import pytest

from policypack.evaluate import evaluate
from policypack.examples import R
from policypack.registry import BY_NAME, RULES
from policypack.secrets import SECRET_ATTRIBUTES, holds_secret
from policypack.secrets.formats import credential_shape
from policypack.tokens.aws import USAGE_PLAN_KEY

CASES = [(rule, ex) for rule in RULES for ex in rule.examples]
# Shorter values ("x", "k1") are too common to mean anything when found in a sentence.
MIN_SECRET = 8


def _strings(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def secret_values(resources):
    """The secrets of an example's stack: secret-bearing attributes, and values of a known credential format."""
    out = set()
    for r in resources:
        for prop in SECRET_ATTRIBUTES.get(r.type, ()):
            value = r.props.get(prop)
            if isinstance(value, str) and holds_secret(r.type, prop, r.props) is True:
                out.add(value)
        out.update(s for s in _strings(r.props) if credential_shape(s))
    return {s for s in out if len(s) >= MIN_SECRET}


def test_the_examples_hold_secrets_to_leak():
    """The check below means something: examples plant secrets, and rules fail on them."""
    assert any(secret_values(ex.resources) for rule, ex in CASES if not ex.good)


@pytest.mark.parametrize("rule,example", CASES, ids=[f"{r.name}:{e.description}" for r, e in CASES])
def test_no_message_carries_a_secret_value(rule, example):
    secrets = secret_values(example.resources)
    results = evaluate([r.build() for r in example.resources], [rule],
                       {rule.name: dict(example.config)} if example.config else None)
    for r in results:
        for s in secrets:
            assert s not in r.message, f"{rule.name} echoes a secret of {r.urn}"


def test_state_message_names_the_exact_option():
    rule = BY_NAME["state-secret-outputs-encrypted"]
    results = evaluate([R(USAGE_PLAN_KEY, "att", {"keyId": "k"}).build()], [rule])
    assert 'opts=pulumi.ResourceOptions(additional_secret_outputs=["value"])' in results[0].message
