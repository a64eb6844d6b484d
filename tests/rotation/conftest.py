from contextlib import contextmanager

import pytest
from moto import mock_aws
from moto.apigateway.exceptions import ConflictException
from moto.apigateway.models import APIGatewayBackend

from .world import World

_create_usage_plan_key = APIGatewayBackend.create_usage_plan_key


def _create_usage_plan_key_once(self, usage_plan_id, payload):
    # moto silently re-attaches; API Gateway answers ConflictException, which the handler
    # must tolerate, so the fixture restores the real behaviour.
    if payload["keyId"] in self.usage_plan_keys.get(usage_plan_id, {}):
        raise ConflictException("Usage Plan already contains specified API key")
    return _create_usage_plan_key(self, usage_plan_id, payload)


@pytest.fixture
def fresh_world(monkeypatch):
    """A factory of independent moto accounts, for tests that need many."""
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    for name in ("DISABLE_PREVIOUS_IMMEDIATELY", "DELETE_DISABLED_KEYS", "KEY_NAME_PREFIX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(APIGatewayBackend, "create_usage_plan_key", _create_usage_plan_key_once)

    @contextmanager
    def factory():
        with mock_aws():
            yield World()

    return factory


@pytest.fixture
def world(fresh_world):
    with fresh_world() as w:
        yield w
