"""Run rules over resources, outside the engine: the scanner's and the tests' adapter.

Resource rules judge each resource of a type they route to; stack rules judge
the whole stack once. Every outcome is stamped into a `Result` carrying the
policy's effective enforcement level and severity.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from .config import PolicySettings, resolve
from . import levels
from .model import Outcome, Resource, Result, Stack, Status
from .rules.base import Rule


def _stamp(rule: Rule, settings: PolicySettings, subject: Optional[Resource], stack: Stack,
           outcome: Outcome) -> Result:
    urn = outcome.urn or (subject.urn if subject else "")
    if subject is not None and urn == subject.urn:
        rtype = subject.type  # most outcomes are about their subject: no look-up (a URN names its type)
    else:
        target = stack.by_urn(urn) if urn else None
        rtype = target.type if target else (subject.type if subject else "")
    return Result(
        policy=rule.name,
        status=outcome.status,
        urn=urn,
        resource_type=rtype,
        message=outcome.message,
        path=outcome.path,
        enforcement=levels.counted(settings.enforcement),
        severity=rule.severity,
    )


def merge_stack_phase(results: List[Result], later: Iterable[Result]) -> List[Result]:
    """A resource rule's results with its stack phase's folded in, per (URN, path): a pass
    supersedes everything the resource phase said there; an unknown or a failure supersedes
    its passes and unknowns (a failure also its unknowns) and keeps its failures, so a
    failure both phases give is reported once."""
    later = list(later)
    drop: Dict[Tuple[str, str], Set[Status]] = {}
    for r in later:
        gone = {Status.PASS, Status.UNKNOWN, Status.FAIL} if r.status is Status.PASS else \
            {Status.PASS, Status.UNKNOWN} if r.status is Status.FAIL else {Status.PASS}
        drop.setdefault((r.urn, r.path), set()).update(gone)
    kept = [r for r in results if r.status not in drop.get((r.urn, r.path), ())]
    said = {(r.urn, r.path, r.status, r.message) for r in kept}
    return kept + [r for r in later if (r.urn, r.path, r.status, r.message) not in said]


def evaluate(resources: Sequence[Resource], rules: Sequence[Rule],
             raw_config: Optional[Mapping[str, Any]] = None,
             settings: Optional[Mapping[str, PolicySettings]] = None) -> List[Result]:
    """Every rule's results, rule by rule in `rules` order and, within a rule, in the
    stack's order. Resource rules run resource by resource (each resource is prepared
    once, and the rules that ask about the same IAM document ask one after another,
    while it is in the parse cache); stack rules run once over one Stack, whose index
    they share."""
    settings = settings if settings is not None else resolve(list(rules), raw_config)
    stack = Stack(tuple(resources))
    active = [(rule, settings[rule.name]) for rule in rules if levels.runs(settings[rule.name].enforcement)]
    per_rule: List[List[Result]] = [[] for _ in active]
    resource_rules = [i for i, (rule, _) in enumerate(active) if rule.kind == "resource"]
    routes: Dict[str, List[int]] = {}
    for res in stack.resources:
        route = routes.get(res.type)
        if route is None:
            route = routes[res.type] = [i for i in resource_rules if active[i][0].applies_to(res.type)]
        if not route:
            continue
        subject = res if res.inputs is None else dataclasses.replace(res, props=res.inputs)
        for i in route:
            rule, rule_settings = active[i]
            for outcome in rule.check(subject, rule_settings.config):
                per_rule[i].append(_stamp(rule, rule_settings, res, stack, outcome))
    for i, (rule, rule_settings) in enumerate(active):
        if rule.kind == "stack":
            per_rule[i] = [_stamp(rule, rule_settings, None, stack, o) for o in rule.check(stack, rule_settings.config)]
        elif rule.stack_check is not None:
            per_rule[i] = merge_stack_phase(per_rule[i], (_stamp(rule, rule_settings, None, stack, o)
                                                          for o in rule.stack_check(stack, rule_settings.config)))
    return [r for results in per_rule for r in results]


def mandatory_violations(results: Iterable[Result]) -> List[Result]:
    return [r for r in results if r.status is Status.FAIL and levels.blocks(r.enforcement)]
