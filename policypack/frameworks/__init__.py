"""The frameworks, their control catalogue, and per-control coverage.

catalogue.yaml is the one home of framework facts: per framework key, its name,
version and reference (`FRAMEWORKS`), and the controls in keyguard's domain with their exact ids and titles; controls that no rule
automates are marked manual. `coverage` turns results into a status per
control, so an auditor sees what passed, what failed, what this scan could not
judge, and what is left to a person.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Sequence, cast

from ..model import Result, Status

if TYPE_CHECKING:  # rules.base imports this module to check a rule's framework keys
    from ..rules.base import Rule

CATALOGUE_FILE = Path(__file__).with_name("catalogue.yaml")

# Coverage statuses, in the order reports list their counts.
PASSING, FAILING, NOT_EVALUATED, MANUAL = "passing", "failing", "not_evaluated", "manual"
COVERAGE_STATUSES = (FAILING, PASSING, NOT_EVALUATED, MANUAL)


def _load() -> Mapping[str, Mapping[str, Any]]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(CATALOGUE_FILE.read_text(encoding="utf-8"), Loader=loader)
    out: Dict[str, Dict[str, Any]] = {}
    for key, fw in raw.items():
        missing = {"name", "version", "reference", "controls"} - set(fw)
        if missing:
            raise ValueError(f"catalogue: {key}: missing {sorted(missing)}")
        for e in fw["controls"]:
            # An unquoted comma in a flow mapping silently splits a title into keys.
            extra = set(e) - {"id", "title", "manual"}
            if extra:
                raise ValueError(f"catalogue: {key} {e.get('id')}: unexpected keys {sorted(extra)}")
        out[key] = {
            "info": {"name": str(fw["name"]), "version": str(fw["version"]), "reference": str(fw["reference"])},
            "controls": [{"id": str(e["id"]), "title": str(e["title"]), "manual": bool(e.get("manual", False))}
                         for e in fw["controls"]],
        }
    return out


_CATALOGUE = _load()
# {framework key: {"name", "version", "reference"}}, in the catalogue's order.
FRAMEWORKS: Mapping[str, Mapping[str, str]] = {k: v["info"] for k, v in _CATALOGUE.items()}


def catalogue() -> Mapping[str, Sequence[Mapping[str, Any]]]:
    """{framework key: [{"id", "title", "manual"}]} in the catalogue's order."""
    return {k: v["controls"] for k, v in _CATALOGUE.items()}


def control_title(framework: str, control_id: str) -> Optional[str]:
    for entry in catalogue().get(framework, ()):
        if entry["id"] == control_id:
            return cast(str, entry["title"])
    return None


def framework_info(framework: str) -> Dict[str, str]:
    if framework not in FRAMEWORKS:
        # The CLI prints this one line as its usage error.
        raise ValueError(f"unknown framework {framework!r}; choose one of: {', '.join(FRAMEWORKS)}")
    return {"key": framework, **FRAMEWORKS[framework]}


def _rules_by_control(rules: Iterable["Rule"], framework: str) -> Dict[str, List[str]]:
    by: Dict[str, List[str]] = {}
    for rule in rules:
        for cid in rule.framework_controls(framework):
            by.setdefault(cid, []).append(rule.name)
    return by


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


def coverage(results: Iterable[Result], framework: str, rules: Optional[Sequence["Rule"]] = None) -> Dict[str, Any]:
    """Per-control status for one framework key.

    A control is failing when any result of a rule mapped to it fails; passing
    when its rules produced passes (waived violations count as accepted) and no
    failure or unknown; not evaluated when its rules produced nothing decisive
    (no matching resources, only not-applicable or unknown results, or the rule
    is disabled); manual when no rule automates it.
    """
    if rules is None:
        from ..registry import RULES

        rules = RULES
    info = framework_info(framework)
    results = list(results)
    mapped = _rules_by_control(rules, framework)
    per_policy: Dict[str, Dict[str, int]] = {}
    for r in results:
        c = per_policy.setdefault(r.policy, {s.value: 0 for s in Status})
        c[r.status.value] += 1
    controls = []
    for entry in catalogue().get(framework, ()):
        policies = mapped.get(entry["id"], [])
        counts = {s.value: 0 for s in Status}
        for name in policies:
            for k, v in per_policy.get(name, {}).items():
                counts[k] += v
        controls.append({
            "id": entry["id"],
            "title": entry["title"],
            "status": _status(counts, entry["manual"], bool(policies)),
            "policies": policies,
            "counts": counts,
        })
    summary = {s: sum(1 for c in controls if c["status"] == s) for s in COVERAGE_STATUSES}
    return {"framework": info, "summary": summary, "controls": controls}
