"""`keyguard diff BASE HEAD`: the access a change adds and removes.

An access is (principal, class, resource): `secret-read` (a reader of a secret or
SecureString parameter, decrypt included), `key-use` (kms:Decrypt on a key),
`permissions-management` (IAM or resource-policy writes the principal's policies allow,
by resource pattern) and `escalation` (a privilege-escalation method its policies
complete). Principals and resources are compared by URN (the stack's own) or by the
principal itself (an account, an ARN outside the stack, "*"), so an auto-named role keeps
its identity between two runs. Groups are not principals here: their members are.
A route that changes (identity to assume-role) is not new access; a reader that becomes
unconditional is not new either, and one that stays is shown with its current flag.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple

from ..iam.grants import granted, permissions_management
from ..model import Stack
from .reach import Access, _World, _world, analyse
from .render import DIFF_FORMATS, short

CLASSES = ("secret-read", "key-use", "permissions-management", "escalation")
READ_CLASSES = frozenset({"secret-read", "key-use"})


@dataclass(frozen=True)
class Grant:
    """One access a side of a diff allows: who, which action, on what, and along which path."""
    principal: str
    principal_key: str
    action: str
    actions: Tuple[str, ...]
    resource: str
    resource_key: str
    via: str
    path: Tuple[str, ...]
    conditional: bool

    @property
    def key(self) -> Tuple[str, str, str]:
        return self.principal_key, self.action, self.resource_key

    def as_json(self) -> Dict[str, Any]:
        return {"principal": self.principal, "action": self.action, "actions": list(self.actions),
                "resource": self.resource, "via": self.via, "path": list(self.path),
                "conditional": self.conditional}


def _permissions(w: _World) -> List[Grant]:
    """Permissions-management actions each principal's policies grant, per resource pattern."""
    out: Dict[Tuple[str, str], Grant] = {}
    for p in w.model.principals:
        if p.kind == "group":
            continue
        ctx = w.model.context(p, w.today)
        for doc, step in w.documents_of(p):
            for s in doc.statements:
                acts = permissions_management(granted(s, ctx))
                if not acts:
                    continue
                for r in (s.resources or ("NotResource:" + ",".join(s.not_resources),)):
                    k = (p.resource.urn, r)
                    prev = out.get(k)
                    merged = tuple(sorted(set(prev.actions if prev else ()) | acts))
                    out[k] = Grant(p.name, p.resource.urn, "permissions-management", merged, r, r, "identity",
                                   (p.resource.urn, step), bool(s.conditions))
    return list(out.values())


def grants_of(stack: Stack, today: Optional[_dt.date] = None, access: Optional[Access] = None) -> List[Grant]:
    return _grants(access or analyse(stack, today), stack, today)


def _grants(access: Access, stack: Stack, today: Optional[_dt.date]) -> List[Grant]:
    out: List[Grant] = []
    for t in access.targets:
        cls = "key-use" if t.type == "key" else "secret-read"
        for r in t.readers:
            if r.via == "escalation":
                continue  # listed once below, as the escalation itself
            out.append(Grant(r.principal, r.key, cls, r.actions, t.name, t.resource.urn, r.via, r.path,
                             r.conditional))
    for urn, (p, method) in access.escalating.items():
        out.append(Grant(p.name, urn, "escalation", (method,), "*", "*", "escalation", (urn, f"escalation:{method}"),
                         False))
    out.extend(_permissions(access.world or _world(stack, today)))
    return out


@dataclass(frozen=True)
class Diff:
    """The accesses the head adds and removes against the base."""
    new: List[Grant]
    removed: List[Grant]
    # The AWS-managed policy data that judged attached managed policies, when either side had one.
    managed_data: Optional[str] = None

    def as_json(self) -> Dict[str, Any]:
        return {"schema": "keyguard.diff/v1", "managed_policy_data": self.managed_data,
                "new_access": [g.as_json() for g in self.new],
                "removed_access": [g.as_json() for g in self.removed]}

    def fails(self, fail_on: str) -> bool:
        if fail_on == "none":
            return False
        if fail_on == "any":
            return bool(self.new)
        return any(g.action in READ_CLASSES for g in self.new)


def _unique(grants: Iterable[Grant]) -> Dict[Tuple[str, str, str], Grant]:
    out: Dict[Tuple[str, str, str], Grant] = {}
    order = {"identity": 0, "resource-policy": 1, "public": 2, "assume-role": 3, "escalation": 4}
    for g in grants:
        prev = out.get(g.key)
        if prev is None or (prev.conditional, order.get(prev.via, 9)) > (g.conditional, order.get(g.via, 9)):
            out[g.key] = g
    return out


def _sorted(grants: Iterable[Grant]) -> List[Grant]:
    return sorted(grants, key=lambda g: (CLASSES.index(g.action), g.resource, g.principal))


def diff(base: Stack, head: Stack, today: Optional[_dt.date] = None) -> Diff:
    ab, ah = analyse(base, today), analyse(head, today)
    b, h = _unique(_grants(ab, base, today)), _unique(_grants(ah, head, today))
    return Diff(_sorted(g for k, g in h.items() if k not in b), _sorted(g for k, g in b.items() if k not in h),
                ah.managed_data or ab.managed_data)


# -- output ------------------------------------------------------------------------------------

def render_markdown(d: Diff) -> str:
    out = ["## keyguard: access this change adds", ""]
    if not d.new:
        out.append("No new access to secrets, keys, IAM permissions or escalation.")
    else:
        out += ["| principal | access | resource | via | conditional | path |", "|---|---|---|---|---|---|"]
        for g in d.new:
            out.append(f"| `{g.principal}` | {g.action} | `{g.resource}` | {g.via} | "
                       f"{'yes' if g.conditional else 'no'} | {' → '.join(short(s) for s in g.path)} |")
    if d.managed_data:
        out += ["", f"AWS-managed policies judged by their published documents: {d.managed_data}"]
    if d.removed:
        out += ["", f"<details><summary>{len(d.removed)} access removed</summary>", ""]
        out += [f"- `{g.principal}` {g.action} `{g.resource}`" for g in d.removed]
        out += ["", "</details>"]
    return "\n".join(out) + "\n"


def render_table(d: Diff) -> str:
    lines = [f"new access: {len(d.new)}, removed: {len(d.removed)}"]
    for sign, gs in (("+", d.new), ("-", d.removed)):
        for g in gs:
            cond = " (conditional)" if g.conditional else ""
            lines.append(f"{sign} {g.principal} {g.action} {g.resource} via {g.via}{cond}: "
                         f"{' -> '.join(short(s) for s in g.path)}")
    return "\n".join(lines) + "\n"


def render_sarif(d: Diff) -> str:

    from ..registry import PACK_NAME

    rules = [{"id": f"new-{c}", "shortDescription": {"text": f"new {c} access"}} for c in CLASSES]
    results = [{
        "ruleId": f"new-{g.action}",
        "level": "error" if g.action in READ_CLASSES else "warning",
        "message": {"text": f"{g.principal} gains {g.action} on {g.resource} via {g.via}"
                            f"{' (conditional)' if g.conditional else ''}: {' -> '.join(short(s) for s in g.path)}"},
        "locations": [{"logicalLocations": [{"fullyQualifiedName": g.resource_key}]}],
    } for g in d.new]
    doc: Mapping[str, Any] = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": f"{PACK_NAME} diff", "rules": rules}}, "results": results}]}
    from ..report.jsontext import dumps_indented

    return dumps_indented(doc, indent=2) + "\n"


FORMATS = DIFF_FORMATS


def write(fmt: str, d: Diff, out: Callable[[str], Any]) -> None:
    """`render`'s text handed to `out`: JSON a slice at a time, as a scan's report is written
    (a diff of 10,000 resources can answer with 60 MB, never held whole), the other formats whole."""
    if fmt == "json":
        from ..report.jsontext import write_indented

        write_indented(d.as_json(), out, indent=2)
        out("\n")
    else:
        out({"table": render_table, "markdown": render_markdown, "sarif": render_sarif}[fmt](d))


def render(fmt: str, d: Diff) -> str:
    pieces: List[str] = []
    write(fmt, d, pieces.append)
    return "".join(pieces)


__all__ = ["Diff", "Grant", "diff", "grants_of", "render", "write", "FORMATS"]
