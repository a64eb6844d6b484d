import pytest
from moto import mock_aws

from .world import World


@pytest.fixture
def world(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    for name in ("DISABLE_PREVIOUS_IMMEDIATELY", "DELETE_DISABLED_KEYS", "KEY_NAME_PREFIX"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        yield World()
