"""Pulumi engine event streams (`--event-log FILE`, `--json`) as results.

The report is built from the policy events themselves: nothing is re-evaluated,
so it says exactly what the engine enforced. keyguard's violations get the
registry's severity and controls; other packs' violations are kept with their
own level and severity (or "medium" when the engine sent none), under the
policy name "<pack>/<policy>" so they cannot be mistaken for ours.

Shapes follow pulumi's sdk/go/common/apitype/events.go: one EngineEvent per
value with `sequence`, `timestamp` and exactly one `...Event` member.
`enforcementLevel` is advisory (older engines: warning), mandatory, remediate or
disabled (none). A policyRemediationEvent means a remediate policy changed the
resource, so the violation was fixed: it becomes a passing result.

Engines that emit the policy summary events (policyAnalyzeSummaryEvent per
resource, policyRemediateSummaryEvent, policyAnalyzeStackSummaryEvent once)
name the policies that passed; those become passing results, so framework
coverage from a log can say "passing" and not only "failing". A stack summary
carries no URN: its passes are pinned to the log's root stack resource when the
log shows one. A pass never hides a violation of the same policy and resource
from another phase (`up` previews, then updates).
"""
from __future__ import annotations

import json
from typing import Any, Dict, Iterator, List, Mapping, Optional, Set, Tuple, cast

from .. import levels
from ..model import STACK_TYPE, Result, Status
from ..registry import BY_NAME, PACK_NAME
from ..rules.base import SEVERITIES, Rule
from . import InputError

POLICY_EVENT = "policyEvent"
REMEDIATION_EVENTS = ("policyRemediationEvent", "policyRemediateEvent")
RESOURCE_SUMMARY_EVENTS = ("policyAnalyzeSummaryEvent", "policyRemediateSummaryEvent")
STACK_SUMMARY_EVENT = "policyAnalyzeStackSummaryEvent"
_EVENT_KEYS = frozenset({
    "cancelEvent", "stdoutEvent", "diagnosticEvent", "preludeEvent", "summaryEvent", "resourcePreEvent",
    "resOutputsEvent", "resOpFailedEvent", POLICY_EVENT, *REMEDIATION_EVENTS, "policyLoadEvent",
    "policyAnalyzeSummaryEvent", "policyRemediateSummaryEvent", "policyAnalyzeStackSummaryEvent",
    "startDebuggingEvent", "progressEvent", "errorEvent",
})
# The engine's level names (older CLIs say "warning" for advisory); results carry the level
# a finding counts at (levels.py).
_LEVELS = {"mandatory": levels.MANDATORY, "remediate": levels.counted(levels.REMEDIATE),
           "advisory": levels.ADVISORY, "warning": levels.ADVISORY}
_SKIPPED_LEVELS = (levels.DISABLED, "none")
# pulumi-policy's wording when a policy read a value unknown during preview.
_PREVIEW_MARK = "during preview"


def json_values(text: str) -> Iterator[Tuple[int, Any]]:
    """Every JSON value in `text`, whether one per line or pretty-printed back to back,
    with the line it starts on. Raises ValueError with a line number on bad JSON."""
    decoder = json.JSONDecoder()
    pos, n = 0, len(text)
    while True:
        while pos < n and text[pos] in " \t\r\n":
            pos += 1
        if pos >= n:
            return
        line = text.count("\n", 0, pos) + 1
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as e:
            raise ValueError(f"invalid JSON at line {e.lineno}: {e.msg}") from None
        except RecursionError:
            raise ValueError(f"JSON at line {line} nests deeper than Python's parser follows") from None
        yield line, value


def is_event(value: Any) -> bool:
    # Newer engines add event kinds; every engine event carries sequence and timestamp.
    return isinstance(value, Mapping) and (bool(_EVENT_KEYS.intersection(value))
                                           or ("sequence" in value and "timestamp" in value))


def looks_like_events(values: List[Any]) -> bool:
    if not values:
        return False
    if len(values) == 1 and isinstance(values[0], Mapping) and isinstance(values[0].get("events"), list):
        return True  # an EngineEventBatch
    return all(is_event(v) for v in values)


def type_of(urn: str) -> str:
    parts = urn.split("::")
    return parts[2].rsplit("$", 1)[-1] if len(parts) >= 4 else ""


def _text(event: Mapping[str, Any], key: str, where: str, required: bool = True) -> str:
    value = event.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{where}: {key} must be a string")
    return value


def _lookup(pack: str, policy: str) -> Tuple[Optional[Rule], str]:
    """The registry's rule for an event's policy when keyguard sent it, and the name the
    report gives the policy: its own for ours, "<pack>/<policy>" for another pack's."""
    rule = BY_NAME.get(policy) if pack == PACK_NAME else None
    return rule, (policy if rule else f"{pack}/{policy}")


def _policy_result(event: Any, where: str) -> Optional[Result]:
    if not isinstance(event, Mapping):
        raise InputError(f"{where}: policyEvent must be an object")
    pack = _text(event, "policyPackName", where)
    policy = _text(event, "policyName", where)
    message = _text(event, "message", where, required=False)
    urn = _text(event, "resourceUrn", where, required=False)
    raw_level = _text(event, "enforcementLevel", where, required=False) or "advisory"
    if raw_level in _SKIPPED_LEVELS:
        return None
    level = _LEVELS.get(raw_level)
    if level is None:
        raise InputError(f"{where}: unknown enforcementLevel {raw_level!r}")
    rule, name = _lookup(pack, policy)
    if rule is not None:
        severity = rule.severity
    else:
        given = (_text(event, "severity", where, required=False) or "").lower()
        severity = given if given in SEVERITIES else "medium"
    status = Status.UNKNOWN if level == "advisory" and _PREVIEW_MARK in message else Status.FAIL
    return Result(policy=name, status=status, urn=urn, resource_type=type_of(urn), message=message.strip(),
                  enforcement=level, severity=severity)


def _remediation_result(event: Any, where: str) -> Result:
    if not isinstance(event, Mapping):
        raise InputError(f"{where}: policyRemediationEvent must be an object")
    pack = _text(event, "policyPackName", where)
    policy = _text(event, "policyName", where)
    urn = _text(event, "resourceUrn", where, required=False)
    before, after = event.get("before") or {}, event.get("after") or {}
    if not isinstance(before, Mapping) or not isinstance(after, Mapping):
        raise InputError(f"{where}: before and after must be objects")
    # Name the changed properties, never their values.
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    rule, name = _lookup(pack, policy)
    return Result(policy=name, status=Status.PASS, urn=urn,
                  resource_type=type_of(urn),
                  message="fixed by remediation" + (f" (changed: {', '.join(changed)})" if changed else ""),
                  enforcement=levels.counted(levels.REMEDIATE), severity=rule.severity if rule else "medium")


def _summary_passes(event: Any, where: str, urn: str) -> List[Result]:
    if not isinstance(event, Mapping):
        raise InputError(f"{where}: policy summary event must be an object")
    pack = _text(event, "policyPackName", where)
    passed = event.get("passed") or []
    if not isinstance(passed, list) or not all(isinstance(p, str) for p in passed):
        raise InputError(f"{where}: passed must be a list of policy names")
    out = []
    for policy in passed:
        rule, name = _lookup(pack, policy)
        # The summary does not say at which level the policy ran; the rule's default is the best guess.
        out.append(Result(policy=name, status=Status.PASS, urn=urn,
                          resource_type=type_of(urn), enforcement=levels.counted(rule.enforcement) if rule else levels.ADVISORY,
                          severity=rule.severity if rule else "medium"))
    return out


def _root_urn(values: List[Tuple[int, Any]]) -> str:
    for _, value in values:
        if not isinstance(value, Mapping):
            continue
        for key in ("resourcePreEvent", "resOutputsEvent"):
            meta = value.get(key, {}).get("metadata") if isinstance(value.get(key), Mapping) else None
            if isinstance(meta, Mapping) and meta.get("type") == STACK_TYPE and isinstance(meta.get("urn"), str):
                return cast(str, meta["urn"])
    return ""


def _policy_ran(values: List[Tuple[int, Any]]) -> bool:
    """Whether the log shows any policy pack at work. A log of a run without
    --policy-pack has no violations either, and must not read as a clean bill."""
    for _, value in values:
        if not isinstance(value, Mapping):
            continue
        if any(k.startswith("policy") for k in value):
            return True
        summary = value.get("summaryEvent")
        if isinstance(summary, Mapping) and summary.get("PolicyPacks"):
            return True
    return False


def _packs_listed(values: List[Tuple[int, Any]]) -> Optional[Set[str]]:
    """The packs the engine's summaryEvent says ran, or None when the log has no summary."""
    packs = None
    for _, value in values:
        summary = value.get("summaryEvent") if isinstance(value, Mapping) else None
        if isinstance(summary, Mapping) and isinstance(summary.get("PolicyPacks"), Mapping):
            packs = (packs or set()) | set(summary["PolicyPacks"])
    return packs


def read(values: List[Tuple[int, Any]], source: str, notes: Optional[List[Dict[str, str]]] = None) -> List[Result]:
    """Results from parsed event values, each with the line it started on. Problems that do
    not stop the scan (keyguard absent from the run) are appended to `notes`."""
    if len(values) == 1 and isinstance(values[0][1], Mapping) and "events" in values[0][1]:
        line = values[0][0]
        values = [(line, v) for v in values[0][1]["events"]]
    if not _policy_ran(values):
        raise InputError(f"{source}: no policy pack ran in this event log, so it proves nothing; "
                         "run pulumi with --policy-pack")
    packs = _packs_listed(values)
    if notes is not None and packs is not None and PACK_NAME not in packs:
        # Other packs' results are still reported, but keyguard's silence here is not a pass.
        notes.append({"kind": "pack-not-run",
                      "message": f"{source}: {PACK_NAME} did not run (packs in the log: {', '.join(sorted(packs))}); "
                                 f"its policies are not evaluated there"})
    root = _root_urn(values)
    out: List[Result] = []
    passes: List[Result] = []
    seen = set()
    for line, value in values:
        where = f"{source}: line {line}"
        if not isinstance(value, Mapping):
            raise InputError(f"{where}: an engine event must be a JSON object")
        result = None
        if POLICY_EVENT in value:
            result = _policy_result(value[POLICY_EVENT], where)
        elif STACK_SUMMARY_EVENT in value:
            passes.extend(_summary_passes(value[STACK_SUMMARY_EVENT], where, root))
        else:
            key = next((k for k in REMEDIATION_EVENTS if k in value), None)
            if key is not None:
                result = _remediation_result(value[key], where)
            summary = next((k for k in RESOURCE_SUMMARY_EVENTS if k in value), None)
            if summary is not None:
                ev = value[summary]
                urn = _text(ev, "resourceUrn", where, required=False) if isinstance(ev, Mapping) else ""
                passes.extend(_summary_passes(ev, where, urn))
        if result is None:
            continue
        # `pulumi up` previews then updates, so one log can hold the same violation twice.
        ident = (result.policy, result.status, result.urn, result.message, result.enforcement)
        if ident not in seen:
            seen.add(ident)
            out.append(result)
    judged = {(r.policy, r.urn) for r in out}
    # A stack policy's violations sit on resources, so any result of it outranks its stack-wide pass.
    judged_policies = {r.policy for r in out}
    for p in passes:
        pair = (p.policy, p.urn)
        if pair in judged or (p.urn == root and p.policy in judged_policies):
            continue
        judged.add(pair)
        out.append(p)
    return out
