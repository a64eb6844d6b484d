"""Run rules over resources, outside the engine: the scanner's and the tests' adapter.

Resource rules judge each resource of a type they route to; stack rules judge
the whole stack once. Every outcome is stamped into a `Result` carrying the
policy's effective enforcement level and severity.
"""
from __future__ import annotations

import dataclasses
from typing import Dict, Iterable, List, Mapping, Optional, Sequence

from .config import PolicySettings, resolve
from .model import Outcome, Resource, Result, Stack, Status, counted_level
from .rules.base import Rule


def _stamp(rule: Rule, settings: PolicySettings, subject: Optional[Resource], stack: Stack,
           outcome: Outcome) -> Result:
    urn = outcome.urn or (subject.urn if subject else "")
    target = stack.by_urn(urn) if urn else None
    rtype = target.type if target else (subject.type if subject else "")
    return Result(
        policy=rule.name,
        status=outcome.status,
        urn=urn,
        resource_type=rtype,
        message=outcome.message,
        path=outcome.path,
        enforcement=settings.enforcement,
        severity=rule.severity,
    )


def run_rule(rule: Rule, stack: Stack, settings: PolicySettings) -> List[Result]:
    if settings.enforcement == "disabled":
        return []
    results: List[Result] = []
    if rule.kind == "resource":
        for res in stack.resources:
            if rule.applies_to(res.type):
                subject = res if res.inputs is None else dataclasses.replace(res, props=res.inputs)
                for outcome in rule.check(subject, settings.config):
                    results.append(_stamp(rule, settings, res, stack, outcome))
    else:
        for outcome in rule.check(stack, settings.config):
            results.append(_stamp(rule, settings, None, stack, outcome))
    return results


def evaluate(resources: Sequence[Resource], rules: Sequence[Rule],
             raw_config: Optional[Mapping] = None,
             settings: Optional[Dict[str, PolicySettings]] = None) -> List[Result]:
    settings = settings if settings is not None else resolve(list(rules), raw_config)
    stack = Stack(tuple(resources))
    out: List[Result] = []
    for rule in rules:
        out.extend(run_rule(rule, stack, settings[rule.name]))
    return out


def violations(results: Iterable[Result]) -> List[Result]:
    return [r for r in results if r.status is Status.FAIL]


def mandatory_violations(results: Iterable[Result]) -> List[Result]:
    return [r for r in results if r.status is Status.FAIL and counted_level(r.enforcement) == "mandatory"]
