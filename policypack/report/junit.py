"""JUnit XML: one testsuite per policy, one testcase per resource x policy.

CI systems show JUnit results natively, so each policy reads as a suite and
each resource it judged as a test. A violation (mandatory or advisory) is a
failure; a waived violation, an unknown (preview) value and a resource the
policy does not apply to are skipped, with the reason in the message.
"""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, Tuple
from xml.etree import ElementTree as ET

from .names import STATUS_RANK as _RANK, resource_name as _resource_name


def _cases(report: Mapping[str, Any]) -> Dict[str, Dict[Tuple[str, str], List[Mapping[str, Any]]]]:
    """{policy: {(urn, resource_type): [entries]}}, entries from findings (richer) or results."""
    findings: Dict[Tuple[Any, ...], Mapping[str, Any]] = {}
    for f in report["findings"]:
        findings.setdefault((f["policy"], f["urn"], f["status"], f["message"]), f)
    suites: Dict[str, Dict[Tuple[str, str], List[Mapping[str, Any]]]] = {}
    for p in report.get("policies", []):
        suites[p["name"]] = {}
    for r in report.get("results") or report["findings"]:
        entry = findings.get((r["policy"], r["urn"], r["status"], r.get("message", "")), r)
        suites.setdefault(r["policy"], {}).setdefault((r["urn"], r["resource_type"]), []).append(entry)
    return suites


def to_xml(report: Mapping[str, Any]) -> ET.Element:
    policies = {p["name"]: p for p in report.get("policies", [])}
    root = ET.Element("testsuites", name=report["pack"]["name"])
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for policy, cases in _cases(report).items():
        suite = ET.SubElement(root, "testsuite", name=policy)
        meta = policies.get(policy)
        if meta:
            props = ET.SubElement(suite, "properties")
            ET.SubElement(props, "property", name="severity", value=meta["severity"])
            ET.SubElement(props, "property", name="enforcement", value=meta["enforcement"])
            for fw, ids in meta["controls"].items():
                ET.SubElement(props, "property", name=f"controls.{fw}", value=" ".join(ids))
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for (urn, rtype), entries in cases.items():
            entries = sorted(entries, key=lambda e: _RANK.get(e["status"], 9))
            worst = entries[0]
            case = ET.SubElement(suite, "testcase", name=f"{_resource_name(urn)} ({rtype or 'stack'})",
                                 classname=f"{report['pack']['name']}.{policy}")
            counts["tests"] += 1
            same = [e for e in entries if e["status"] == worst["status"]]
            detail = "\n".join(filter(None, [f"urn: {urn}" if urn else ""] + [e.get("message", "") for e in same]))
            if worst["status"] == "fail":
                counts["failures"] += 1
                el = ET.SubElement(case, "failure", message=worst["message"],
                                   type=f"{worst.get('enforcement', 'advisory')}/{worst.get('severity', '')}")
                remediation = worst.get("remediation") or (meta or {}).get("remediation", "")
                el.text = detail + (f"\nremediation: {remediation}" if remediation else "")
            elif worst["status"] in ("unknown", "waived", "not_applicable"):
                counts["skipped"] += 1
                reason = worst.get("message", "")
                if worst["status"] == "waived":
                    reason = (worst.get("waiver") or {}).get("reason") or reason
                label = {"unknown": "not evaluated", "waived": "waived",
                         "not_applicable": "not applicable"}[worst["status"]]
                ET.SubElement(case, "skipped", message=f"{label}: {reason}" if reason else label)
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
        suite.set("errors", "0")
    for k, v in totals.items():
        root.set(k, str(v))
    root.set("errors", "0")
    return root


def render(report: Mapping[str, Any]) -> str:
    root = to_xml(report)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
