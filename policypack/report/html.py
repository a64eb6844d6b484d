"""One self-contained HTML page for auditors: no external fetch, works from a file:// URL.

Everything the page needs (styles, the filter script, the data) is inline; the
template is Jinja2 with autoescaping, so report text can never become markup.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Mapping

from .names import SEVERITY_ORDER, STATUS_RANK as _RANK, resource_name

TEMPLATES = Path(__file__).with_name("templates")


def _policy_outcomes(report: Mapping[str, Any]) -> Dict[str, str]:
    """The worst status each policy reached, for the matrix's row colour."""
    worst: Dict[str, str] = {}
    for r in report.get("results") or report["findings"]:
        prev = worst.get(r["policy"])
        if prev is None or _RANK.get(r["status"], 9) < _RANK.get(prev, 9):
            worst[r["policy"]] = r["status"]
    return worst


def _frameworks() -> List[Dict[str, Any]]:
    from ..frameworks import FRAMEWORKS, catalogue, framework_info

    titles = catalogue()
    return [{**framework_info(key), "titles": {c["id"]: c["title"] for c in titles.get(key, ())}}
            for key in FRAMEWORKS]


def render(report: Mapping[str, Any]) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["resource"] = resource_name
    findings = sorted(report["findings"], key=lambda f: (
        _RANK.get(f["status"], 9),
        SEVERITY_ORDER.index(f["severity"]) if f["severity"] in SEVERITY_ORDER else 9))
    from ..frameworks import CHECK_LABELS
    from .coverage import checks_line

    return env.get_template("report.html.j2").render(
        check_labels=CHECK_LABELS,
        checks_line=checks_line,
        report=report,
        findings=findings,
        frameworks=_frameworks(),
        severities=SEVERITY_ORDER,
        outcomes=_policy_outcomes(report),
    )
