"""`keyguard rules`: the registry as a table, JSON, or the README's policies table.

Rows come straight from each rule's metadata, in registry order, so the README
table and the pack can never disagree.
"""
from __future__ import annotations

import io
import json
from typing import Any, Dict, Iterable, List, Optional, Sequence

from . import levels
from .rules.base import Rule

LISTING_FORMATS = ("table", "json", "markdown")


def services(rule: Rule) -> List[str]:
    """The AWS services a rule is about: from the types it routes on, and its name."""
    found = {t.split(":")[1].split("/")[0] for t in rule.resource_types if t.startswith("aws:") and t.count(":") >= 2}
    found.add(rule.name.split("-", 1)[0])
    return sorted(found)


def select(rules: Sequence[Rule], framework: Optional[str] = None, service: Optional[str] = None,
           severity: Optional[str] = None) -> List[Rule]:
    out = []
    for r in rules:
        if framework and not r.framework_controls(framework):
            continue
        if service and service.lower() not in services(r):
            continue
        if severity and r.severity != severity:
            continue
        out.append(r)
    return out


def row(rule: Rule) -> Dict[str, Any]:
    return {
        "policy": rule.name,
        "title": rule.title,
        "kind": rule.kind,
        "enforcement": levels.counted(rule.enforcement),
        "severity": rule.severity,
        "services": services(rule),
        "controls": rule.controls_by_framework,
        "config": rule.defaults(),
        "url": rule.url,
    }


def _controls_text(controls: Dict[str, List[str]], sep: str) -> str:
    return sep.join(f"{fw}: {', '.join(ids)}" for fw, ids in controls.items()) or "-"


def _config_text(config: Dict[str, Any]) -> str:
    return ", ".join(f"`{k}` = `{json.dumps(v)}`" for k, v in config.items()) or "-"


def markdown(rules: Iterable[Rule]) -> str:
    lines = ["| policy | kind | default level | severity | controls | config (default) |",
             "|---|---|---|---|---|---|"]
    for r in rules:
        d = row(r)
        cells = [f"`{d['policy']}`", d["kind"], d["enforcement"], d["severity"],
                 _controls_text(d["controls"], "<br>"), _config_text(d["config"])]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def table(rules: Iterable[Rule], width: int = 160) -> str:
    from rich.console import Console
    from rich.table import Table

    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=False, color_system=None)
    t = Table(show_lines=True, expand=True)
    t.add_column("policy", no_wrap=True)
    for col in ("kind", "level", "severity", "controls", "config (default)"):
        t.add_column(col, overflow="fold")
    rules = list(rules)
    for r in rules:
        d = row(r)
        t.add_row(d["policy"], d["kind"], d["enforcement"], d["severity"], _controls_text(d["controls"], "\n"),
                  _config_text(d["config"]).replace("`", ""))
    console.print(t)
    console.print(f"{len(rules)} {'policy' if len(rules) == 1 else 'policies'}")
    return buf.getvalue()


def render(fmt: str, rules: Sequence[Rule]) -> str:
    if fmt == "json":
        return json.dumps([row(r) for r in rules], indent=2) + "\n"
    if fmt == "markdown":
        return markdown(rules)
    return table(rules)


README_START, README_END = "<!-- policies-table:start -->", "<!-- policies-table:end -->"


def readme_block(rules: Sequence[Rule]) -> str:
    """The README's generated policies section: the count and the table."""
    return f"{len(rules)} policies:\n\n" + markdown(rules)


def _replace_block(text: str, start_marker: str, end_marker: str, block: str) -> str:
    start, end = text.index(start_marker) + len(start_marker), text.index(end_marker)
    return text[:start] + "\n" + block + text[end:]


def update_readme(path: str, rules: Sequence[Rule]) -> bool:
    """Rewrite the generated blocks of the README at `path` (policies, framework coverage); True when changed."""
    from pathlib import Path

    from . import coverage_listing

    readme = Path(path)
    text = readme.read_text(encoding="utf-8")
    new = _replace_block(text, README_START, README_END, readme_block(rules))
    new = _replace_block(new, coverage_listing.README_START, coverage_listing.README_END,
                         coverage_listing.readme_block(rules))
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":  # `make readme`
    import sys

    from .registry import RULES

    print("README.md updated" if update_readme(sys.argv[1] if len(sys.argv) > 1 else "README.md", RULES)
          else "README.md already up to date")
