"""Facts the real Pulumi engine (CLI 3.274.1, tests/e2e) showed about its calls, replayed fast
through the harness so the inner loop keeps them (docs/testing.md, "What the real engine
taught us")."""
from __future__ import annotations

import pytest

from .harness import PackProcess, Res

PROVIDER = Res("pulumi:providers:aws", "default_7_51_1", {"region": "us-east-1", "version": "7.51.1"})
ROOT = Res("pulumi:pulumi:Stack", "example-dev", {})
KEY_OFF = Res("aws:kms/key:Key", "key", {"description": "k", "enableKeyRotation": False,
                                         "deletionWindowInDays": 30}, provider=PROVIDER)


@pytest.fixture(scope="module", params=["preview", "up", "analyze"])
def pack(request):
    with PackProcess(engine_env=False) as p:  # the real engine sets no PULUMI_CONFIG/STACK
        p.boot(operation=request.param)
        yield p


def test_provider_and_root_stack_resources_get_no_violation(pack):
    """The engine sends the provider resource and the root Stack (inputs {}) to Analyze,
    Remediate and AnalyzeStack."""
    for res in (PROVIDER, ROOT):
        assert not pack.analyze(res).diagnostics
        assert not pack.remediate(res).remediations
    answer = pack.analyze_stack([ROOT, PROVIDER])
    assert not answer.diagnostics


def test_provider_field_changes_no_answer(pack):
    without = Res(KEY_OFF.type, KEY_OFF.name, dict(KEY_OFF.props))
    assert pack.analyze(KEY_OFF).normalized() == pack.analyze(without).normalized()
    assert {d.policy for d in pack.analyze(KEY_OFF).diagnostics} == {"kms-key-rotation-enabled"}


def test_cancel_is_tolerated(pack):
    """The engine's last call; pulumi-policy does not implement it."""
    assert pack.cancel() is False
    assert pack.alive
