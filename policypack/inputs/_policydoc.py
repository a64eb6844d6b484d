"""`aws.iam.get_policy_document` for programs run under mocks, computed from its arguments.

The function is pure: the provider builds the document from the arguments and calls no
AWS API, so the runner can give the program the same document `pulumi preview` would.
The rules keyguard judges it with do not depend on the order of list entries; the
rendering follows the provider's (a one-element list becomes a string, statements
merge with source and override documents by Sid) so that a rule sees the same shape.

Standalone on purpose: the mock runner loads this file by path, in the program's own
interpreter, where keyguard's package may not be importable.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, Dict, List, Mapping, Optional, Sequence

UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
DEFAULT_VERSION = "2012-10-17"


class Unknowable(Exception):
    """An argument is not known yet (it is computed from an output the mocks do not model)."""


class BadArguments(ValueError):
    """Arguments the provider would refuse; str(e) says which."""


def _known(value: Any) -> Any:
    if isinstance(value, str) and value == UNKNOWN_SENTINEL:
        raise Unknowable()
    if isinstance(value, list):
        return [_known(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _known(v) for k, v in value.items()}
    return value


def _strings(values: Optional[Sequence[Any]]) -> List[str]:
    out = []
    for v in values or ():
        if not isinstance(v, str):
            raise BadArguments("expected a list of strings")
        out.append(v)
    return out


def _one_or_many(values: Sequence[str]) -> Any:
    """A set of strings as the provider renders it: one string alone, else sorted descending."""
    unique = sorted(set(values), reverse=True)
    return unique[0] if len(unique) == 1 else unique


def _principals(blocks: Optional[Sequence[Mapping[str, Any]]]) -> Any:
    grouped: Dict[str, List[str]] = {}
    for block in blocks or ():
        kind = block.get("type")
        if not isinstance(kind, str) or not kind:
            raise BadArguments("a principals block needs a type")
        grouped.setdefault(kind, []).extend(_strings(block.get("identifiers")))
    if not grouped:
        return None
    if set(grouped) == {"*"} and set(grouped["*"]) == {"*"}:
        return "*"
    return {kind: _one_or_many(ids) for kind, ids in grouped.items()}


def _conditions(blocks: Optional[Sequence[Mapping[str, Any]]]) -> Any:
    merged: Dict[str, Dict[str, List[str]]] = {}
    for block in blocks or ():
        test, variable = block.get("test"), block.get("variable")
        if not isinstance(test, str) or not isinstance(variable, str):
            raise BadArguments("a condition needs test and variable")
        merged.setdefault(test, {}).setdefault(variable, []).extend(_strings(block.get("values")))
    if not merged:
        return None
    return {test: {var: (vals[0] if len(vals) == 1 else vals) for var, vals in by_var.items()}
            for test, by_var in merged.items()}


def _statement(args: Mapping[str, Any]) -> Dict[str, Any]:
    effect = args.get("effect") or "Allow"
    if effect not in ("Allow", "Deny"):
        raise BadArguments("effect must be Allow or Deny")
    out: Dict[str, Any] = {}
    if args.get("sid"):
        out["Sid"] = args["sid"]
    out["Effect"] = effect
    for key, wire in (("actions", "Action"), ("notActions", "NotAction"),
                      ("resources", "Resource"), ("notResources", "NotResource")):
        values = _strings(args.get(key))
        if values:
            out[wire] = _one_or_many(values)
    for key, wire in (("principals", "Principal"), ("notPrincipals", "NotPrincipal")):
        rendered = _principals(args.get(key))
        if rendered is not None:
            out[wire] = rendered
    condition = _conditions(args.get("conditions"))
    if condition is not None:
        out["Condition"] = condition
    return out


def _document_statements(text: Any, what: str) -> List[Dict[str, Any]]:
    if not isinstance(text, str):
        raise BadArguments(f"{what} must be JSON strings")
    try:
        doc = json.loads(text)
    except ValueError:
        raise BadArguments(f"{what} holds a document that is not JSON") from None
    stmts = doc.get("Statement") if isinstance(doc, Mapping) else None
    if isinstance(stmts, Mapping):
        stmts = [stmts]
    if not isinstance(stmts, list) or not all(isinstance(s, Mapping) for s in stmts):
        raise BadArguments(f"{what} holds a document without statements")
    return [dict(s) for s in stmts]


def _merge(base: List[Dict[str, Any]], extra: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """`extra` statements replace those of `base` with the same non-empty Sid; the rest are appended."""
    out = list(base)
    for stmt in extra:
        sid = stmt.get("Sid")
        at = next((i for i, s in enumerate(out) if sid and s.get("Sid") == sid), None)
        if at is None:
            out.append(stmt)
        else:
            out[at] = stmt
    return out


def policy_document(args: Mapping[str, Any]) -> Dict[str, Any]:
    """The function's result: {json, minifiedJson, id, ...the arguments}. Raises Unknowable
    when an argument that shapes the document is unknown, BadArguments when the provider
    would refuse the arguments."""
    args = _known(dict(args))
    statements: List[Dict[str, Any]] = []
    for text in args.get("sourcePolicyDocuments") or ():
        statements = _merge(statements, _document_statements(text, "sourcePolicyDocuments"))
    own = [_statement(s) for s in args.get("statements") or ()]
    sids = [s["Sid"] for s in own if s.get("Sid")]
    if len(sids) != len(set(sids)):
        raise BadArguments("statements have duplicate Sids")
    statements = _merge(statements, own)
    for text in args.get("overridePolicyDocuments") or ():
        statements = _merge(statements, _document_statements(text, "overridePolicyDocuments"))
    doc: Dict[str, Any] = {"Version": args.get("version") or DEFAULT_VERSION}
    if args.get("policyId"):
        doc["Id"] = args["policyId"]
    doc["Statement"] = statements
    pretty = json.dumps(doc, indent=2)
    minified = json.dumps(doc, separators=(",", ":"))
    digest = str(int(hashlib.sha256(minified.encode()).hexdigest()[:8], 16))
    return {**args, "json": pretty, "minifiedJson": minified, "id": digest}
