"""The terminal table: what a person reads after `keyguard scan`."""
from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence

from .coverage import checks_cell, checks_line
from .names import resource_name

if TYPE_CHECKING:
    from rich.console import Console

_SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan"}


def render(report: Mapping[str, Any], width: int = 140) -> str:
    from rich.console import Console
    from rich.table import Table

    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=False, color_system=None)
    failing = [f for f in report["findings"] if f["status"] != "pass"]
    s = report["summary"]
    if not failing:
        console.print(f"keyguard: 0 violations ({s['resources']} resources, {s['policies']} policies)")
        _notes(console, report.get("notes"))
        _coverage(console, report.get("coverage"))
        return buf.getvalue()
    table = Table(show_lines=True, expand=True)
    for col in ("policy", "level", "severity", "resource", "what to change"):
        table.add_column(col, overflow="fold")
    for f in failing:
        level = f["enforcement"] if f["status"] == "fail" else f["status"]
        resource = resource_name(f["urn"])
        w = f.get("waiver")
        tail = (f"waived until {w['expires']} by {w['approver']}: {w['reason']}" if w
                else f"→ {f['remediation']}")
        table.add_row(f["policy"], level, f["severity"], f"{resource}\n{f['resource_type']}",
                      f"{f['message']}\n{tail}")
    console.print(table)
    console.print(f"{s['mandatory_violations']} mandatory and {s['advisory_violations']} advisory violations "
                  f"in {s['resources']} resources")
    _notes(console, report.get("notes"))
    _coverage(console, report.get("coverage"))
    return buf.getvalue()


def _notes(console: Console, notes: Optional[Sequence[Mapping[str, Any]]]) -> None:
    # Stale and expired waivers are findings about the waiver file: the default format must show them too.
    for note in notes or []:
        console.print(f"note ({note.get('kind', 'note')}): {note.get('message', '')}", markup=False, highlight=False)


def _coverage(console: Console, cov: Optional[Mapping[str, Any]]) -> None:
    if not cov:
        return
    from rich.table import Table

    fw = cov["framework"]
    table = Table(title=f"{fw['name']} {fw['version']}", expand=True)
    for col in ("control", "status", "title", "keyguard checks", "policies"):
        table.add_column(col, overflow="fold")
    for c in cov["controls"]:
        table.add_row(c["id"], c["status"].replace("_", " "), c["title"], checks_cell(c), ", ".join(c["policies"]))
    console.print(table)
    cs = cov["summary"]
    console.print(f"{cs['passing']} passing, {cs['failing']} failing, {cs['not_evaluated']} not evaluated, "
                  f"{cs['manual']} manual controls")
    console.print(f"keyguard checks: {checks_line(cov['checks'])}", markup=False, highlight=False)
