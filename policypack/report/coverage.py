"""Per-control coverage of one framework version: what keyguard checks, and what a scan found.

Two questions an auditor asks of a framework version, answered from the catalogue
(policypack/frameworks) and the rules passed in:
  - `checks`: for every control in scope, whether keyguard checks it fully (which
    policies), in part (which policies, and what they miss), or not at all (and why:
    code could show it, it is live account state, or it is a procedure);
  - `coverage`: the same controls with the status a scan's results give them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Sequence

from ..frameworks import CHECK_KINDS, CHECK_LABELS, FULL, PARTIAL, catalogue, framework_info
from ..model import Result, Status

if TYPE_CHECKING:
    from ..rules.base import Rule

# Coverage statuses, in the order reports list their counts.
PASSING, FAILING, NOT_EVALUATED, MANUAL = "passing", "failing", "not_evaluated", "manual"
COVERAGE_STATUSES = (FAILING, PASSING, NOT_EVALUATED, MANUAL)


def _rules_by_control(rules: Iterable["Rule"], framework: str) -> Dict[str, List[str]]:
    by: Dict[str, List[str]] = {}
    for rule in rules:
        for cid in rule.framework_controls(framework):
            by.setdefault(cid, []).append(rule.name)
    return by


def checks(framework: str, rules: Sequence["Rule"]) -> Dict[str, Any]:
    """What keyguard checks of each control in scope of one framework version, without a scan."""
    info = framework_info(framework)
    mapped = _rules_by_control(rules, framework)
    controls = []
    for entry in catalogue().get(framework, ()):
        controls.append({
            "id": entry["id"],
            "title": entry["title"],
            "check": entry["check"],
            "label": CHECK_LABELS[entry["check"]],
            "policies": mapped.get(entry["id"], []),
            "missing": entry["partial"],
            "parameters": list(entry["parameters"]),
        })
    summary = {k: sum(1 for c in controls if c["check"] == k) for k in CHECK_KINDS}
    return {"framework": info, "summary": summary, "controls": controls}


def checks_line(summary: Mapping[str, int]) -> str:
    """How many controls keyguard checks fully, in part, or not (and why), leaving out kinds with none."""
    return ", ".join(f"{summary[k]} {CHECK_LABELS[k]}" for k in CHECK_KINDS if summary.get(k)) or "no controls"


def checks_cell(control: Mapping[str, Any]) -> str:
    """A control's "keyguard checks" cell, as the Markdown and terminal reports show it: the kind,
    and what the rules miss of a control checked in part."""
    return CHECK_LABELS[control["check"]] + (f" ({control['missing']})" if control["missing"] else "")


def _status(counts: Mapping[str, int], manual: bool, automated: bool) -> str:
    if not automated:
        return MANUAL if manual else NOT_EVALUATED
    if counts["fail"]:
        return FAILING
    # An unknown (preview) value proves nothing either way, so one is enough to
    # keep a control from being called passing.
    if counts["unknown"] or not (counts["pass"] or counts["waived"]):
        return NOT_EVALUATED
    return PASSING


def coverage(results: Iterable[Result], framework: str, rules: Sequence["Rule"]) -> Dict[str, Any]:
    """Per-control status for one framework key, with what keyguard checks of each control.

    A control is failing when any result of a rule mapped to it fails; passing
    when its rules produced passes (waived violations count as accepted) and no
    failure or unknown; not evaluated when its rules produced nothing decisive
    (no matching resources, only not-applicable or unknown results, or the rule
    is disabled); manual when no rule maps it. A passing control that keyguard
    checks only in part says so: `check` is "partial" and `missing` says what
    the rules do not see.
    """
    design = checks(framework, rules)
    per_policy: Dict[str, Dict[str, int]] = {}
    for r in results:
        c = per_policy.setdefault(r.policy, {s.value: 0 for s in Status})
        c[r.status.value] += 1
    controls = []
    for ctl in design["controls"]:
        counts = {s.value: 0 for s in Status}
        for name in ctl["policies"]:
            for k, v in per_policy.get(name, {}).items():
                counts[k] += v
        controls.append({
            "id": ctl["id"],
            "title": ctl["title"],
            # The catalogue's `manual` is exactly a check kind other than full or partial.
            "status": _status(counts, ctl["check"] not in (FULL, PARTIAL), bool(ctl["policies"])),
            "check": ctl["check"],
            "missing": ctl["missing"],
            "policies": ctl["policies"],
            "counts": counts,
        })
    summary = {s: sum(1 for c in controls if c["status"] == s) for s in COVERAGE_STATUSES}
    return {"framework": design["framework"], "summary": summary, "checks": design["summary"], "controls": controls}
