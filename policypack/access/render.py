"""`keyguard access` output: a terminal table, JSON (keyguard.access/v1), Markdown with a
Mermaid diagram of principals -> secrets, and one self-contained HTML page.

Every format says the same things: each reader with its route, the path, whether a
condition decides it, what preview did not show yet, and which AWS-managed policies
were attached but not read (they are judged by name, not by their documents).
"""
from __future__ import annotations

import io
import re
from typing import Any, Callable, Dict, List, Mapping

FORMATS = ("table", "json", "markdown", "html")
# `keyguard diff`'s, rendered by diff.py: named here so that the CLI's parser, built for every
# command, need not import the diff engine.
DIFF_FORMATS = ("table", "json", "markdown", "sarif")


def short(step: str) -> str:
    """A path step as a person reads it: a URN's resource name, anything else as is."""
    return step.rsplit("::", 1)[-1] if step.startswith("urn:pulumi:") else step


def _targets(doc: Mapping[str, Any]) -> List[Mapping[str, Any]]:
    return list(doc["secrets"]) + list(doc["keys"])


def _kind(t: Mapping[str, Any]) -> str:
    ty = t["type"]
    return "key" if ty.startswith("aws:kms") else ("parameter" if ty.startswith("aws:ssm") else "secret")


def _caveats(t: Mapping[str, Any]) -> List[str]:
    out = []
    if t.get("unknown"):
        out.append("not known yet (readers may be missing): " + ", ".join(t["unknown"]))
    if t.get("aws_managed_policies_unread"):
        out.append("AWS-managed policies attached that the managed-policy data does not hold (not judged): "
                   + ", ".join(t["aws_managed_policies_unread"]))
    return out


def _data_note(doc: Mapping[str, Any]) -> str:
    v = doc.get("managed_policy_data")
    return f"AWS-managed policies judged by their published documents: {v}" if v else ""


def render_json(doc: Mapping[str, Any]) -> str:
    from ..report.jsontext import dumps_indented  # json.dumps(indent=2), byte for byte, in a fraction of its time

    return dumps_indented(doc, indent=2) + "\n"


def render_table(doc: Mapping[str, Any], width: int = 140) -> str:
    from rich.console import Console
    from rich.table import Table

    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=False, color_system=None)
    targets = _targets(doc)
    if not targets:
        console.print("keyguard access: the stack holds no secret, SecureString parameter or KMS key")
        return buf.getvalue()
    if _data_note(doc):
        console.print(_data_note(doc))
    for t in targets:
        table = Table(title=f"{_kind(t)} {t['name']}", show_lines=False, expand=True, title_justify="left")
        for col in ("reader", "kind", "via", "conditional", "path"):
            table.add_column(col, overflow="fold")
        for r in t["readers"]:
            table.add_row(r["principal"], r["kind"], r["via"], "yes" if r["conditional"] else "no",
                          " -> ".join(short(s) for s in r["path"]))
        if not t["readers"]:
            table.add_row("(no reader found)", "", "", "", "")
        console.print(table)
        for c in _caveats(t):
            console.print(f"  note: {c}")
    return buf.getvalue()


_ID = re.compile(r"[^A-Za-z0-9_]")


def _node(name: str) -> str:
    return "n_" + _ID.sub("_", name)


def _label(text: str) -> str:
    return text.replace('"', "'")


def mermaid(doc: Mapping[str, Any]) -> str:
    """principals --via--> secrets and keys; dashed where a condition decides."""
    lines = ["flowchart LR"]
    nodes: Dict[str, str] = {}
    for t in _targets(doc):
        tid = _node(t["urn"])
        nodes.setdefault(tid, f'{tid}[("{_label(_kind(t) + " " + t["name"])}")]')
        for r in t["readers"]:
            pid = _node(r["principal_urn"] or r["principal"])
            nodes.setdefault(pid, f'{pid}["{_label(r["kind"] + " " + r["principal"])}"]')
            arrow = "-.->" if r["conditional"] else "-->"
            lines.append(f"  {pid} {arrow}|{r['via']}| {tid}")
    return "\n".join(["flowchart LR"] + [f"  {n}" for n in nodes.values()] + lines[1:]) + "\n"


def render_markdown(doc: Mapping[str, Any]) -> str:
    out = ["# Who can read these secrets and keys", ""]
    if _data_note(doc):
        out += [_data_note(doc), ""]
    out += ["```mermaid", mermaid(doc).rstrip(), "```", ""]
    for t in _targets(doc):
        out += [f"## {_kind(t)} `{t['name']}`", ""]
        if t["readers"]:
            out += ["| reader | kind | via | conditional | path |", "|---|---|---|---|---|"]
            for r in t["readers"]:
                path = " → ".join(f"`{short(s)}`" for s in r["path"])
                out.append(f"| `{r['principal']}` | {r['kind']} | {r['via']} | "
                           f"{'yes' if r['conditional'] else 'no'} | {path} |")
        else:
            out.append("Nobody can read it.")
        out += [f"- {c}" for c in _caveats(t)]
        out.append("")
    return "\n".join(out)


_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>keyguard access</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1em}
td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}.cond{color:#a60}</style></head>
<body><h1>Who can read these secrets and keys</h1>{% if note %}<p>{{ note }}</p>{% endif %}
{% for t in targets %}<h2>{{ t.kind }} {{ t.name }}</h2>
{% if t.readers %}<table><tr><th>reader</th><th>kind</th><th>via</th><th>conditional</th><th>path</th></tr>
{% for r in t.readers %}<tr{% if r.conditional %} class="cond"{% endif %}><td>{{ r.principal }}</td><td>{{ r.kind }}</td>
<td>{{ r.via }}</td><td>{{ "yes" if r.conditional else "no" }}</td><td>{{ r.path|join(" \u2192 ") }}</td></tr>
{% endfor %}</table>{% else %}<p>Nobody can read it.</p>{% endif %}
{% for c in t.caveats %}<p>{{ c }}</p>{% endfor %}
{% endfor %}</body></html>
"""


def render_html(doc: Mapping[str, Any]) -> str:
    from jinja2 import Environment

    env = Environment(autoescape=True)
    targets = [{"kind": _kind(t), "name": t["name"], "caveats": _caveats(t),
                "readers": [{**r, "path": [short(s) for s in r["path"]]} for r in t["readers"]]}
               for t in _targets(doc)]
    return env.from_string(_HTML).render(targets=targets, note=_data_note(doc))


def render(fmt: str, doc: Mapping[str, Any]) -> str:
    renderers: Dict[str, Callable[[Mapping[str, Any]], str]] = {
        "table": render_table, "json": render_json, "markdown": render_markdown, "html": render_html}
    return renderers[fmt](doc)
