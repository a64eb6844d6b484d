"""Shared helpers for the IAM rule tables: run one rule over many resources at once."""
from __future__ import annotations

import json
from typing import Any, Dict, Mapping, Optional

from policypack.evaluate import evaluate
from policypack.model import Resource, Status

_RANK = [Status.FAIL, Status.UNKNOWN, Status.PASS, Status.NOT_APPLICABLE]


def resource(rtype: str, name: str, **props: Any) -> Resource:
    return Resource(type=rtype, name=name, urn=f"urn:pulumi:t::p::{rtype}::{name}", props=props)


def policy(*statements: Mapping[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action: Any, res: Any = "*", **extra: Any) -> Dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": res, **extra}


def statuses(rule, resources, config: Optional[Mapping[str, Any]] = None) -> Dict[str, str]:
    """Each resource's worst status under `rule`; resources the rule said nothing about are absent."""
    results = evaluate(resources, [rule], {rule.name: dict(config)} if config else None)
    out: Dict[str, Status] = {}
    for r in results:
        name = r.urn.rsplit("::", 1)[-1]
        if name not in out or _RANK.index(r.status) < _RANK.index(out[name]):
            out[name] = r.status
    return {k: v.value for k, v in out.items()}


def split(table: Mapping[str, str]) -> Dict[str, set]:
    by: Dict[str, set] = {}
    for name, status in table.items():
        by.setdefault(status, set()).add(name)
    return by
