"""Enforcement levels: what a policy can be set to, and the level its findings count at.

The one rule, decided here and nowhere else: a `remediate` policy's finding counts as
`mandatory`. Outside the engine nothing fixed the resource; inside it, a violation that
is still reported after Remediate ran is one the remediation did not fix (pulumi-policy's
own servicer reports it at mandatory too). A `disabled` policy runs nowhere.

Every output reads levels through this module: results are stamped with the counted level
when they are made (evaluate, event-log ingest), the engine servicer reports at it,
`keyguard rules` and every report format show it, and the exit code blocks on it.
"""
from __future__ import annotations

ADVISORY, MANDATORY, REMEDIATE, DISABLED = "advisory", "mandatory", "remediate", "disabled"
# The levels a policy can be set to, as `--policy-pack-config` spells them.
LEVELS = (ADVISORY, MANDATORY, REMEDIATE, DISABLED)


def counted(level: str) -> str:
    """The level a finding of a policy set to `level` counts at."""
    return MANDATORY if level == REMEDIATE else level


def blocks(level: str) -> bool:
    """Whether a failure at `level` stops a deployment (and makes `keyguard scan` exit 1)."""
    return counted(level) == MANDATORY


def runs(level: str) -> bool:
    return level != DISABLED
