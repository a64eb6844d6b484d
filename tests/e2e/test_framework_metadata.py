"""What the real engine shows of a policy's framework and tags (issue 22).

The pack serves one PolicyComplianceFramework per policy and every other mapping as a tag
(`cis-aws-v5.0.0:3.6`) in GetAnalyzerInfo; tests/test_engine_protocol.py checks that reply.
Established here with the real CLI: `pulumi policy analyze --json` asks for that info, but
its policy events carry neither the framework nor the tags (only Pulumi Cloud, for a
published pack, shows them). If a later CLI starts to carry them, this test says so, and
the README's "In the engine" paragraph must change with it.
"""
from __future__ import annotations

import pytest

from .e2e_engine import REPO

pytestmark = pytest.mark.e2e

# The fields of a policy event in `pulumi policy analyze --json` (CLI 3.274.1).
POLICY_EVENT_FIELDS = {"color", "enforcementLevel", "message", "policyName", "policyPackName",
                       "policyPackVersion", "policyPackVersionTag", "resourceUrn", "severity"}


def test_policy_analyze_events_carry_no_framework_or_tags(engine):
    r, events = engine.analyze(engine.root, None, file=REPO / "tests" / "data" / "stack-export.json")
    assert r.code == 1, str(r)  # the checked-in export has mandatory violations
    policy_events = [e["policyEvent"] for e in events if "policyEvent" in e]
    assert policy_events, "no policy events: the pack did not run"
    for ev in policy_events:
        assert set(ev) == POLICY_EVENT_FIELDS, sorted(set(ev) ^ POLICY_EVENT_FIELDS)
    text = r.out + r.err
    for shown in ("cis-aws-v5.0.0", "pci-dss-v4.0.1", "aws-fsbp:", "framework"):
        assert shown not in text, f"the engine now prints {shown!r}: document what it shows"
