"""SARIF 2.1.0: what GitHub code scanning and other SARIF viewers ingest.

Every policy of the pack becomes a rule of the driver, so a viewer can show
what was checked even where nothing failed. Results carry the resource URN as
a logical location; when the report came from one input file, that file is also
the physical location GitHub code scanning needs to show an alert.
"""
from __future__ import annotations

import hashlib
from .jsontext import dumps_indented
from typing import Any, Dict, List, Mapping, cast

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# Used when the installed distribution names no homepage ([project.urls] Homepage).
FALLBACK_URI = "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/"


def information_uri() -> str:
    try:
        from importlib.metadata import metadata

        for entry in metadata("keyguard").get_all("Project-URL") or []:
            label, _, url = entry.partition(",")
            if label.strip().lower() in ("homepage", "repository", "source") and url.strip():
                return cast(str, url.strip())
    except Exception:  # not installed: a source checkout on sys.path
        pass
    return FALLBACK_URI

# GitHub maps security-severity to its levels: >= 9 critical, >= 7 high, >= 4 medium.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("_", "-").split("-") if part)


def _tags(controls: Mapping[str, List[str]]) -> List[str]:
    return [f"{fw}:{cid}" for fw, ids in controls.items() for cid in ids]


def _help_markdown(p: Mapping[str, Any]) -> str:
    lines = [f"**{p['title']}**", "", p["description"], "", f"**Remediation:** {p['remediation']}"]
    tags = _tags(p["controls"])
    if tags:
        lines += ["", "**Controls:** " + ", ".join(f"`{t}`" for t in tags)]
    if p.get("url"):
        lines += ["", f"[Reference]({p['url']})"]
    return "\n".join(lines)


def _rule(p: Mapping[str, Any]) -> Dict[str, Any]:
    tags = _tags(p["controls"])
    return {
        "id": p["name"],
        "name": _pascal(p["name"]),
        "shortDescription": {"text": p["title"]},
        "fullDescription": {"text": p["description"]},
        "help": {"text": f"{p['description']}\nRemediation: {p['remediation']}", "markdown": _help_markdown(p)},
        "helpUri": p["url"] or information_uri(),
        "defaultConfiguration": {"level": "error" if p["enforcement"] == "mandatory" else "warning"},
        "properties": {
            "severity": p["severity"],
            "controls": tags,
            "tags": ["security", "secrets"] + tags,
            "security-severity": SECURITY_SEVERITY[p["severity"]],
        },
    }


def _foreign_rule(f: Mapping[str, Any]) -> Dict[str, Any]:
    # A violation from another pack (event logs) still needs a rule entry to point at.
    return {
        "id": f["policy"],
        "name": _pascal(f["policy"]),
        "shortDescription": {"text": f["policy"]},
        "helpUri": information_uri(),
        "properties": {"severity": f["severity"], "controls": _tags(f.get("controls") or {}),
                       "tags": ["security"], "security-severity": SECURITY_SEVERITY.get(f["severity"], "5.5")},
    }


def _level(f: Mapping[str, Any]) -> str:
    if f["status"] == "unknown":
        return "note"
    return "error" if f["enforcement"] == "mandatory" else "warning"


def _result(f: Mapping[str, Any], index: int, artifact: str) -> Dict[str, Any]:
    fqn = f["urn"] or "(stack)"
    location: Dict[str, Any] = {"logicalLocations": [{"fullyQualifiedName": fqn, "kind": "resource"}]}
    if artifact:
        location["physicalLocation"] = {"artifactLocation": {"uri": artifact}, "region": {"startLine": 1}}
    message = f["message"] or f["policy"]
    if f["status"] == "unknown":
        message = f"not evaluated: {message}"
    out: Dict[str, Any] = {
        "ruleId": f["policy"],
        "ruleIndex": index,
        "level": _level(f),
        "message": {"text": message},
        "locations": [location],
        "partialFingerprints": {
            "keyguardFinding/v1": hashlib.sha256(f"{f['policy']}|{fqn}|{f.get('path', '')}".encode()).hexdigest(),
        },
        "properties": {"status": f["status"], "enforcement": f["enforcement"], "severity": f["severity"],
                       "resourceType": f["resource_type"], "controls": _tags(f.get("controls") or {})},
    }
    if f["status"] == "waived":
        waiver = f.get("waiver") or {}
        out["suppressions"] = [{"kind": "external", "justification": waiver.get("reason") or "waived"}]
    return out


def to_sarif(report: Mapping[str, Any]) -> Dict[str, Any]:
    rules = [_rule(p) for p in report.get("policies", [])]
    index = {r["id"]: i for i, r in enumerate(rules)}
    for f in report["findings"]:
        if f["policy"] not in index:
            index[f["policy"]] = len(rules)
            rules.append(_foreign_rule(f))
    sources = report.get("sources") or []
    results = [_result(f, index[f["policy"]], f.get("source") or (sources[0] if len(sources) == 1 else ""))
               for f in report["findings"]]
    run: Dict[str, Any] = {
        "tool": {"driver": {
            "name": report["pack"]["name"],
            "version": report["pack"]["version"],
            "semanticVersion": report["pack"]["version"],
            "informationUri": information_uri(),
            "rules": rules,
        }},
        "results": results,
        "properties": {"summary": report["summary"]},
    }
    if report.get("coverage"):
        run["properties"]["coverage"] = report["coverage"]
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: Mapping[str, Any]) -> str:
    return dumps_indented(to_sarif(report), indent=2) + "\n"
