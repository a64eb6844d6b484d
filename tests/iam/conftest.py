"""Shared helpers for the IAM rule tables: run one rule over many resources at once."""
from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

from policypack.evaluate import evaluate
from policypack.model import Status

_RANK = [Status.FAIL, Status.UNKNOWN, Status.PASS, Status.NOT_APPLICABLE]


def statuses(rule, resources, config: Optional[Mapping[str, Any]] = None) -> Dict[str, str]:
    """Each resource's worst status under `rule`; resources the rule said nothing about are absent."""
    results = evaluate(resources, [rule], {rule.name: dict(config)} if config else None)
    out: Dict[str, Status] = {}
    for r in results:
        name = r.urn.rsplit("::", 1)[-1]
        if name not in out or _RANK.index(r.status) < _RANK.index(out[name]):
            out[name] = r.status
    return {k: v.value for k, v in out.items()}
