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


def merge_stack_phase(results: List[Result], later: Iterable[Result]) -> List[Result]:
    """A resource rule's results with its stack phase's folded in, per (URN, path): a pass
    supersedes everything the resource phase said there; an unknown or a failure supersedes
    its passes and unknowns (a failure also its unknowns) and keeps its failures, so a
    failure both phases give is reported once."""
    later = list(later)
    drop: Dict[tuple, set] = {}
    for r in later:
        gone = {Status.PASS, Status.UNKNOWN, Status.FAIL} if r.status is Status.PASS else \
            {Status.PASS, Status.UNKNOWN} if r.status is Status.FAIL else {Status.PASS}
        drop.setdefault((r.urn, r.path), set()).update(gone)
    kept = [r for r in results if r.status not in drop.get((r.urn, r.path), ())]
    said = {(r.urn, r.path, r.status, r.message) for r in kept}
    return kept + [r for r in later if (r.urn, r.path, r.status, r.message) not in said]


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
        if rule.stack_check is not None:
            results = merge_stack_phase(results, (_stamp(rule, settings, None, stack, o)
                                                  for o in rule.stack_check(stack, settings.config)))
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
