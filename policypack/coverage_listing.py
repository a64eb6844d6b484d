"""`keyguard rules --framework KEY --coverage`, and the README's coverage tables.

For one framework version, every control in scope with what keyguard does about
it: checked (by which policies), checked in part (and what is missing), or not
checked and why. Everything comes from the catalogue and the rules' mappings
(report/coverage.checks), so the listing, the reports and the README agree.
"""
from __future__ import annotations

import io
import json
from typing import Any, Dict, List, Mapping, Sequence

from .frameworks import CHECK_KINDS, CHECK_LABELS, FRAMEWORKS
from .report.coverage import checks, checks_line
from .rules.base import Rule


def _params(ctl: Mapping[str, Any]) -> str:
    return "; ".join(
        f"{p['name']} {'=' if p['same'] else '≈'} {p['policy']} {p['config']}" for p in ctl["parameters"])


def _note(ctl: Mapping[str, Any]) -> str:
    parts = [ctl["missing"] or "", _params(ctl)]
    return " — ".join(p for p in parts if p)


def _heading(cov: Mapping[str, Any]) -> List[str]:
    fw = cov["framework"]
    lines = [f"{fw['name']} {fw['version']} (`{fw['key']}`): {len(cov['controls'])} controls in scope "
             f"({fw['scope']})",
             f"source: {fw['source']}, {fw['source_date']}"]
    if fw.get("superseded_by"):
        lines.append(f"superseded by `{fw['superseded_by']}`")
    return lines


def markdown(cov: Mapping[str, Any]) -> str:
    out = [*(line + "  " for line in _heading(cov)), "", checks_line(cov["summary"]), "",
           "| control | title | keyguard | policies | what is missing, parameters |", "|---|---|---|---|---|"]
    for c in cov["controls"]:
        cells = [c["id"], c["title"], c["label"], ", ".join(f"`{p}`" for p in c["policies"]) or "-",
                 _note(c) or "-"]
        out.append("| " + " | ".join(x.replace("|", "\\|") for x in cells) + " |")
    return "\n".join(out) + "\n"


def table(cov: Mapping[str, Any], width: int = 160) -> str:
    from rich.console import Console
    from rich.table import Table

    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=False, color_system=None)
    for line in _heading(cov):
        console.print(line, markup=False, highlight=False)
    t = Table(show_lines=True, expand=True)
    t.add_column("control", no_wrap=True)
    for col in ("title", "keyguard", "policies", "what is missing, parameters"):
        t.add_column(col, overflow="fold")
    for c in cov["controls"]:
        t.add_row(c["id"], c["title"], c["label"], "\n".join(c["policies"]) or "-", _note(c) or "-")
    console.print(t)
    console.print(checks_line(cov["summary"]), markup=False, highlight=False)
    return buf.getvalue()


def render(fmt: str, framework: str, rules: Sequence[Rule]) -> str:
    cov = checks(framework, rules)
    if fmt == "json":
        return json.dumps(cov, indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return markdown(cov)
    return table(cov)


README_START, README_END = "<!-- coverage-table:start -->", "<!-- coverage-table:end -->"


def readme_block(rules: Sequence[Rule]) -> str:
    """The README's generated coverage section: counts per framework version, then each version's controls."""
    covs: Dict[str, Dict[str, Any]] = {key: checks(key, rules) for key in FRAMEWORKS}
    out = ["| framework version | in scope | " + " | ".join(CHECK_LABELS[k] for k in CHECK_KINDS) + " |",
           "|---|---|" + "---|" * len(CHECK_KINDS)]
    for key, cov in covs.items():
        fw = cov["framework"]
        name = f"`{key}`" + (f" (superseded by `{fw['superseded_by']}`)" if fw.get("superseded_by") else "")
        out.append(f"| {name} | {len(cov['controls'])} | "
                   + " | ".join(str(cov["summary"][k]) for k in CHECK_KINDS) + " |")
    out.append("")
    for key, cov in covs.items():
        out += [f"<details><summary><code>{key}</code>: every control in scope</summary>", "", markdown(cov),
                "</details>", ""]
    return "\n".join(out)
