"""Markdown for pull-request comments: summary, failures by severity, passes folded away.

The first line is a hidden marker so a bot can find and update its own comment.
"""
from __future__ import annotations

from typing import Any, List, Mapping

from .coverage import checks_cell, checks_line
from .names import SEVERITY_ORDER, resource_name as _resource

MARKER = "<!-- keyguard-report -->"
# GitHub rejects comments over 65,536 characters; passes are the part worth cutting.
MAX_PASSES = 200
_ICON = {"critical": "🟥", "high": "🟧", "medium": "🟨", "low": "🟦"}
_COVERAGE_LABEL = {"passing": "✅ passing", "failing": "❌ failing", "not_evaluated": "➖ not evaluated",
                   "manual": "📝 manual"}


def cell(text: str) -> str:
    """Text safe inside a table cell: pipes escaped, no line breaks, no raw HTML."""
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("|", "\\|").replace("\r", " ").replace("\n", " "))


def render(report: Mapping[str, Any]) -> str:
    s = report["summary"]
    c = s["counts"]
    out: List[str] = [MARKER]
    if s["mandatory_violations"]:
        head = f"❌ {s['mandatory_violations']} mandatory violation(s)"
    elif s["advisory_violations"]:
        head = "⚠️ no mandatory violations"
    else:
        head = "✅ no violations"
    out += [f"## keyguard: {head}", ""]
    out += ["| mandatory | advisory | waived | not evaluated | passed | not applicable | resources | policies |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|",
            f"| {s['mandatory_violations']} | {s['advisory_violations']} | {c.get('waived', 0)} | "
            f"{c.get('unknown', 0)} | {c.get('pass', 0)} | {c.get('not_applicable', 0)} | "
            f"{s['resources']} | {s['policies']} |", ""]
    failures = [f for f in report["findings"] if f["status"] == "fail"]
    if failures:
        out += ["### Violations", ""]
    # Other packs' violations (event logs) may carry a severity outside ours: list them last.
    groups = [(sev, [f for f in failures if f["severity"] == sev]) for sev in SEVERITY_ORDER]
    groups.append(("other", [f for f in failures if f["severity"] not in SEVERITY_ORDER]))
    for sev, group in groups:
        if not group:
            continue
        out += [f"#### {_ICON.get(sev, '⬜')} {sev.capitalize()} ({len(group)})", "",
                "| policy | level | resource | what is wrong | what to change |", "|---|---|---|---|---|"]
        for f in group:
            out.append(f"| `{cell(f['policy'])}` | {f['enforcement']} | `{cell(_resource(f['urn']))}`"
                       f"<br>{cell(f['resource_type'])} | {cell(f['message'])} | {cell(f.get('remediation', ''))} |")
        out.append("")
    others = [f for f in report["findings"] if f["status"] != "fail"]
    if others:
        out += ["### Waived and not evaluated", "", "| policy | status | resource | note |", "|---|---|---|---|"]
        for f in others:
            note = (f.get("waiver") or {}).get("reason") if f["status"] == "waived" else f["message"]
            label = "waived" if f["status"] == "waived" else "not evaluated"
            out.append(f"| `{cell(f['policy'])}` | {label} | `{cell(_resource(f['urn']))}` | {cell(note or '')} |")
        out.append("")
    cov = report.get("coverage")
    if cov:
        fw = cov["framework"]
        cs = cov["summary"]
        out += [f"### {fw['name']} {fw['version']} coverage", "",
                f"{cs['passing']} passing, {cs['failing']} failing, {cs['not_evaluated']} not evaluated, "
                f"{cs['manual']} manual", "",
                "What keyguard checks of these controls: " + checks_line(cov["checks"]), "",
                "| control | title | status | keyguard checks | policies |", "|---|---|---|---|---|"]
        for ctl in cov["controls"]:
            out.append(f"| {cell(ctl['id'])} | {cell(ctl['title'])} | {_COVERAGE_LABEL[ctl['status']]} | "
                       f"{cell(checks_cell(ctl))} | {cell(', '.join(ctl['policies']))} |")
        out.append("")
    for note in report.get("notes") or []:
        out.append(f"> **{cell(note.get('kind', 'note'))}:** {cell(note.get('message', ''))}")
    if report.get("notes"):
        out.append("")
    passes = [r for r in report.get("results", []) if r["status"] == "pass"]
    out += [f"<details><summary>{len(passes)} passed check(s)</summary>", ""]
    if passes:
        out += ["| policy | resource | type |", "|---|---|---|"]
        for r in passes[:MAX_PASSES]:
            out.append(f"| `{cell(r['policy'])}` | `{cell(_resource(r['urn']))}` | {cell(r['resource_type'])} |")
        out.append("")
        if len(passes) > MAX_PASSES:
            out += [f"… and {len(passes) - MAX_PASSES} more; the JSON or HTML report lists them all.", ""]
    out += ["</details>", "", f"<sub>{cell(report['pack']['name'])} {cell(report['pack']['version'])}</sub>", ""]
    return "\n".join(out)
