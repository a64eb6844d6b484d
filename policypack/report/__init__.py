"""Reports: one report dict (schema keyguard.report/v1) and renderers over it.

`build` turns results into the report dict that every format renders from;
`render(fmt, report)` returns the text of one format. Renderers never see
rules or resources, only the report, so every format says the same thing.
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, cast

from .. import levels
from ..model import Result, Status
from ..registry import BY_NAME, PACK_NAME, RULES
from ..rules.base import Rule
from .. import __version__

SCHEMA = "keyguard.report/v1"
_FINDINGS = frozenset({Status.FAIL, Status.WAIVED, Status.UNKNOWN})
_STATUS_VALUE = {s: s.value for s in Status}


def _finding(r: Result) -> Dict[str, Any]:
    rule = BY_NAME.get(r.policy)
    f: Dict[str, Any] = {
        "policy": r.policy,
        "status": _STATUS_VALUE[r.status],
        "enforcement": r.enforcement,
        "severity": r.severity,
        "urn": r.urn,
        "resource_type": r.resource_type,
        "message": r.message,
        "path": r.path,
        "controls": rule.controls_by_framework if rule else {},
        "remediation": rule.remediation if rule else "",
        "url": rule.url if rule else "",
    }
    if r.waiver:
        f["waiver"] = r.waiver
    return f


def _policy(rule: Rule) -> Dict[str, Any]:
    return {
        "name": rule.name,
        "title": rule.title,
        "description": rule.description,
        "severity": rule.severity,
        "enforcement": levels.counted(rule.enforcement),
        "remediation": rule.remediation,
        "url": rule.url,
        "controls": rule.controls_by_framework,
    }


def build(results: Iterable[Result], sources: Optional[List[str]] = None, framework: Optional[str] = None,
          notes: Optional[List[Dict[str, str]]] = None, rules: Optional[Iterable[Rule]] = None) -> Dict[str, Any]:
    """The report dict. `findings` holds fail, waived and unknown results; `results` holds all.

    `framework` (a framework key) asks for per-control coverage; `notes` carries
    problems found while preparing the results, such as stale or expired waivers.
    `policies` describes every policy of the pack (or of `rules`, when the results
    come from a subset), so that SARIF and the coverage matrix list the rules that
    found nothing too.
    """
    rules = RULES if rules is None else list(rules)
    results = list(results)
    findings = [_finding(r) for r in results if r.status in _FINDINGS]
    counts = {s.value: 0 for s in Status}
    for status, n in Counter(r.status for r in results).items():
        counts[_STATUS_VALUE[status]] = n
    mandatory = sum(1 for f in findings if f["status"] == "fail" and f["enforcement"] == "mandatory")
    advisory = sum(1 for f in findings if f["status"] == "fail" and f["enforcement"] == "advisory")
    value = _STATUS_VALUE  # an Enum member's .value is a Python-level property: read it once per status
    report = {
        "schema": SCHEMA,
        "pack": {"name": PACK_NAME, "version": __version__},
        "sources": list(sources or []),
        "notes": list(notes or []),
        "summary": {
            "mandatory_violations": mandatory,
            "advisory_violations": advisory,
            "resources": len({r.urn for r in results if r.urn}),
            "policies": len({r.policy for r in results}),
            "counts": counts,
        },
        "findings": findings,
        "results": [
            {"policy": r.policy, "status": value[r.status], "enforcement": r.enforcement,
             "severity": r.severity, "urn": r.urn, "resource_type": r.resource_type, "message": r.message}
            for r in results
        ],
        "policies": [_policy(rule) for rule in rules],
    }
    if framework:
        from .coverage import coverage

        report["coverage"] = coverage(results, framework, rules)
    return report


def _render_json(report: Mapping[str, Any]) -> str:
    from .jsontext import dumps_indented

    return dumps_indented(report, indent=2) + "\n"


def _lazy(module: str) -> Callable[[Mapping[str, Any]], str]:
    # Formats import their libraries (rich, Jinja2) only when asked for.
    def render(report: Mapping[str, Any]) -> str:
        import importlib

        return cast(str, importlib.import_module(f"{__name__}.{module}").render(report))

    return render


RENDERERS: Dict[str, Callable[[Mapping[str, Any]], str]] = {
    "table": _lazy("table"),
    "json": _render_json,
    "sarif": _lazy("sarif"),
    "junit": _lazy("junit"),
    "markdown": _lazy("markdown"),
    "html": _lazy("html"),
}
FORMATS = tuple(RENDERERS)


def render(fmt: str, report: Mapping[str, Any]) -> str:
    return RENDERERS[fmt](report)


def write(fmt: str, report: Mapping[str, Any], out: Callable[[str], Any]) -> None:
    """`render`'s text handed to `out` piece by piece: JSON as it is made (a large scan's
    report is never held as one string, nor as a list of all its pieces); the other
    formats whole."""
    if fmt == "json":
        from .jsontext import write_indented

        write_indented(report, out, indent=2)
        out("\n")
    else:
        out(render(fmt, report))
