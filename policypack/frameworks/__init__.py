"""The frameworks and their control catalogue: facts only, no rules and no results.

catalogue.yaml is the one home of framework facts: per framework key, its name,
version, reference, the source its ids and titles come from and that source's date
(`FRAMEWORKS`), and the controls in scope with their exact ids and titles, and what
keyguard does about each: checks it fully, in part (and what it misses), or leaves
it to a person because no rule maps it (and why). Coverage of a scan's results
lives with the reports (policypack/report/coverage.py), which pass the rules in;
this package imports nothing from the rules, so rules can import it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Iterable, Mapping, Optional, Sequence, cast

CATALOGUE_FILE = Path(__file__).with_name("catalogue.yaml")

# What keyguard does about a control, in the order coverage tables list them. A control
# a rule maps to is FULL or PARTIAL; one no rule maps to says why in its `manual` kind.
FULL, PARTIAL = "full", "partial"
NOT_CHECKED, ACCOUNT_STATE, PROCESS = "code", "account", "process"
CHECK_KINDS = (FULL, PARTIAL, NOT_CHECKED, ACCOUNT_STATE, PROCESS)
CHECK_LABELS = {
    FULL: "checked",
    PARTIAL: "checked in part",
    NOT_CHECKED: "not checked (code could show it)",
    ACCOUNT_STATE: "not checkable from code (live account state)",
    PROCESS: "not checkable from code (procedure or judgement)",
}
_MANUAL_KINDS = {True: NOT_CHECKED, NOT_CHECKED: NOT_CHECKED, ACCOUNT_STATE: ACCOUNT_STATE, PROCESS: PROCESS}

# The stated rule for the one framework the engine shows per policy (pulumi-policy takes a
# single PolicyComplianceFramework): the most specific current framework the policy maps
# to. A CIS benchmark names one setting per recommendation, AWS FSBP one check per service
# control, PCI DSS and NIST SP 800-53 whole requirement families; a superseded version is
# never primary. Every other mapping travels in the policy's tags.
PRIMARY_ORDER = ("cis-", "aws-fsbp", "pci-dss-", "nist-")

_INFO_KEYS = ("name", "version", "reference", "source", "source_date", "scope", "superseded_by")
_CONTROL_KEYS = {"id", "title", "manual", "partial", "parameters"}
_PARAMETER_KEYS = {"name", "policy", "config", "same", "default"}


def _control(key: str, e: Mapping[str, Any]) -> Dict[str, Any]:
    # An unquoted comma in a flow mapping silently splits a title into keys.
    extra = set(e) - _CONTROL_KEYS
    if extra:
        raise ValueError(f"catalogue: {key} {e.get('id')}: unexpected keys {sorted(extra)}")
    manual = e.get("manual", False)
    if manual is not False and manual not in _MANUAL_KINDS:
        raise ValueError(f"catalogue: {key} {e.get('id')}: manual must be one of code, account, process")
    if manual and e.get("partial"):
        raise ValueError(f"catalogue: {key} {e.get('id')}: a manual control cannot be checked in part")
    params = []
    for p in e.get("parameters") or ():
        if set(p) - _PARAMETER_KEYS or not {"name", "policy", "config", "same"} <= set(p):
            raise ValueError(f"catalogue: {key} {e.get('id')}: a parameter has name, policy, config, same "
                             "(and optionally default)")
        params.append({k: p[k] for k in ("name", "policy", "config", "same", "default") if k in p})
    return {
        "id": str(e["id"]),
        "title": str(e["title"]),
        "manual": bool(manual),
        "check": _MANUAL_KINDS[manual] if manual else (PARTIAL if e.get("partial") else FULL),
        "partial": " ".join(str(e["partial"]).split()) if e.get("partial") else None,
        "parameters": params,
    }


# Bump when the cached shape changes. The cache's name knows the catalogue file and this
# module, so an edit to either is a new file anyway.
_CACHE_FORMAT = 1


def _load() -> Mapping[str, Mapping[str, Any]]:
    """The catalogue as `_parse` gives it: read back from the cache (see cachefiles; about
    1 ms) while the file is unchanged, else parsed (importing PyYAML and parsing take about
    17 ms of every process that imports the rules) and cached for the next process."""
    from .. import cachefiles

    path = cachefiles.derived_file("catalogue", _CACHE_FORMAT, [str(CATALOGUE_FILE), __file__])
    cached = cachefiles.read_marshal(path, _CACHE_FORMAT)
    if isinstance(cached, dict):
        return cached
    parsed = _parse()
    cachefiles.write_marshal(path, _CACHE_FORMAT, parsed)
    return parsed


def _parse() -> Dict[str, Dict[str, Any]]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(CATALOGUE_FILE.read_text(encoding="utf-8"), Loader=loader)
    out: Dict[str, Dict[str, Any]] = {}
    for key, fw in raw.items():
        missing = {"name", "version", "reference", "controls"} - set(fw)
        if missing:
            raise ValueError(f"catalogue: {key}: missing {sorted(missing)}")
        out[key] = {
            "info": {k: " ".join(str(fw[k]).split()) for k in _INFO_KEYS if fw.get(k) is not None},
            "controls": [_control(key, e) for e in fw["controls"]],
        }
    return out


_CATALOGUE = _load()
# {framework key: {"name", "version", "reference", "source", "source_date", "scope"[, "superseded_by"]}},
# in the catalogue's order.
FRAMEWORKS: Mapping[str, Mapping[str, str]] = {k: v["info"] for k, v in _CATALOGUE.items()}


def catalogue() -> Mapping[str, Sequence[Mapping[str, Any]]]:
    """{framework key: [{"id", "title", "manual", "check", "partial", "parameters"}]} in the catalogue's order."""
    return {k: v["controls"] for k, v in _CATALOGUE.items()}


def control(framework: str, control_id: str) -> Optional[Mapping[str, Any]]:
    for entry in catalogue().get(framework, ()):
        if entry["id"] == control_id:
            return entry
    return None


def control_title(framework: str, control_id: str) -> Optional[str]:
    entry = control(framework, control_id)
    return cast(str, entry["title"]) if entry else None


def framework_info(framework: str) -> Dict[str, str]:
    if framework not in FRAMEWORKS:
        # The CLI prints this one line as its usage error.
        raise ValueError(f"unknown framework {framework!r}; choose one of: {', '.join(FRAMEWORKS)}")
    return {"key": framework, **FRAMEWORKS[framework]}


def primary_framework(keys: Iterable[str]) -> Optional[str]:
    """The framework the engine shows for a policy mapped to `keys`, by PRIMARY_ORDER."""
    current = [k for k in keys if k in FRAMEWORKS and "superseded_by" not in FRAMEWORKS[k]]

    def rank(key: str) -> int:
        return next((i for i, p in enumerate(PRIMARY_ORDER) if key.startswith(p)), len(PRIMARY_ORDER))

    return min(current, key=lambda k: (rank(k), list(FRAMEWORKS).index(k))) if current else None
