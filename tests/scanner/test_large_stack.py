"""A stack of thousands of API keys: every key judged right, and each SecretVersion read once."""
import json

from policypack.config import resolve
from policypack.evaluate import evaluate
from policypack.model import UNKNOWN, Resource
from policypack.registry import BY_NAME
from policypack.secrets import SecretIndex

from tests.builders import urn

RULE = BY_NAME["apigateway-api-key-stored-in-secret"]
KEY, VERSION = "aws:apigateway/apiKey:ApiKey", "aws:secretsmanager/secretVersion:SecretVersion"


def _urn(rtype, name):
    return urn(rtype, name, stack="prod", project="big")


def _stack(n):
    res = []
    for i in range(n):
        key = Resource(KEY, f"k{i}", _urn(KEY, f"k{i}"), {"value": f"key-value-{i:05d}-abcdefghijklmnop"})
        res.append(key)
        if i % 3 == 0:  # linked by a property dependency, content unknown (preview)
            res.append(Resource(VERSION, f"v{i}", _urn(VERSION, f"v{i}"), {"secretString": UNKNOWN},
                                property_dependencies={"secretString": (key.urn,)}))
        elif i % 3 == 1:  # stored by content only (an export from a CLI without propertyDependencies)
            res.append(Resource(VERSION, f"v{i}", _urn(VERSION, f"v{i}"),
                                {"secretString": json.dumps({"value": key.props["value"]})}))
        # i % 3 == 2: stored nowhere, but another version's content is unknown: cannot be proven missing
    return res


def test_thousands_of_keys_read_each_version_once(monkeypatch):
    calls = []
    real = SecretIndex.match
    monkeypatch.setattr(SecretIndex, "match", lambda self, text, *a, **k: calls.append(1) or real(self, text, *a, **k))
    n = 1500
    results = evaluate(_stack(n), [RULE], settings=resolve([RULE], None))
    status = {r.urn.rsplit("::", 1)[-1]: r.status.value for r in results}
    assert {status[f"k{i}"] for i in range(0, n, 3)} == {"pass"}
    assert {status[f"k{i}"] for i in range(1, n, 3)} == {"pass"}
    assert {status[f"k{i}"] for i in range(2, n, 3)} == {"unknown"}
    assert len(calls) == n // 3  # the versions with known content, once each


def test_unstored_key_fails_once_every_content_is_known():
    res = [r for r in _stack(30) if r.props.get("secretString") is not UNKNOWN]
    results = evaluate(res, [RULE], settings=resolve([RULE], None))
    status = {r.urn.rsplit("::", 1)[-1]: r.status.value for r in results}
    assert {k for k, s in status.items() if s == "fail"} == {f"k{i}" for i in range(30) if i % 3 != 1}
