"""Waivers: approved, dated exceptions to a policy for named resources.

One entry is {policy, urn, reason, expires, approver}; `urn` is an exact URN or
a glob (`*`, `?`, `[...]`). The scanner reads a YAML list of entries
(`--waivers FILE`); the CrossGuard pack reads the same entries from each
policy's `waivers` config property. Both match through `find` (`Waiver.matches`)
and judge expiry on the one UTC day (clock.py): the scanner through `apply`, the
engine's servicer through `verdict` for each violation, so `pulumi up` and
`keyguard scan` waive exactly the same findings.

An expired waiver waives nothing and is reported loudly; a live waiver that
matches no failing result is reported as stale.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import fnmatch
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from . import clock

from .model import Result, Status

if TYPE_CHECKING:
    import yaml

FIELDS = ("policy", "urn", "reason", "expires", "approver")

# The JSON schema of the `waivers` property every policy's config accepts.
CONFIG_SCHEMA: Dict[str, Any] = {
    "type": "array",
    "default": [],
    "description": "Approved exceptions: objects with urn (exact or glob), reason, expires (YYYY-MM-DD) "
                   "and approver. An expired waiver waives nothing.",
    "items": {"type": "object"},
}


class WaiverError(ValueError):
    """A waiver entry or file that cannot be used; str(e) is one line for the user."""


@dataclass(frozen=True)
class Waiver:
    """An accepted exception: one policy for the resources `urn` matches, with why and until when."""
    policy: str
    urn: str
    reason: str
    expires: _dt.date
    approver: str
    where: str = ""  # e.g. "waivers.yaml entry 3": how the user finds the entry

    def expired(self, today: _dt.date) -> bool:
        # A waiver is good through its expiry day.
        return today > self.expires

    def matches(self, policy: str, urn: str) -> bool:
        if policy != self.policy or not urn:
            return False
        return urn == self.urn or fnmatch.fnmatchcase(urn, self.urn)

    def describe(self) -> str:
        return f"{self.where}: {self.policy} on {self.urn} (approved by {self.approver})"


def _parse_date(value: Any, where: str) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):  # YAML turns an unquoted 2026-01-31 into a date
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
        try:  # a full timestamp counts for its day, as an unquoted YAML timestamp would
            return _dt.datetime.fromisoformat(value.strip()).date()
        except ValueError:
            pass
    raise WaiverError(f"{where}: expires must be a date in the form YYYY-MM-DD")


def parse_entry(entry: Any, where: str, policy: Optional[str] = None,
                known_policies: Optional[Iterable[str]] = None) -> Waiver:
    """One entry, validated. `policy` is implied when the entry sits under a policy's config."""
    if not isinstance(entry, Mapping):
        raise WaiverError(f"{where}: a waiver must be a mapping with {', '.join(FIELDS)}")
    stray = sorted(str(k) for k in entry if k not in FIELDS)
    if stray:
        raise WaiverError(f"{where}: unknown field {', '.join(stray)}")
    given = entry.get("policy", policy)
    if policy is not None and given != policy:
        raise WaiverError(f"{where}: policy {given!r} does not match the policy it is configured under ({policy})")
    values = dict(entry, policy=given)
    for f in ("policy", "urn", "reason", "approver"):
        v = values.get(f)
        if not isinstance(v, str) or not v.strip():
            raise WaiverError(f"{where}: {f} is required and must be a non-empty string")
    if "expires" not in values:
        raise WaiverError(f"{where}: expires is required (YYYY-MM-DD)")
    names = set(known_policies) if known_policies is not None else None
    # "<pack>/<policy>" names another pack's policy as event logs report it: not ours to check.
    if names is not None and values["policy"] not in names and "/" not in values["policy"]:
        raise WaiverError(f"{where}: unknown policy {values['policy']}")
    return Waiver(policy=values["policy"].strip(), urn=values["urn"].strip(), reason=values["reason"].strip(),
                  expires=_parse_date(values["expires"], where), approver=values["approver"].strip(),
                  where=where)


def parse_list(entries: Any, where: str, policy: Optional[str] = None,
               known_policies: Optional[Iterable[str]] = None) -> List[Waiver]:
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise WaiverError(f"{where}: waivers must be a list")
    return [parse_entry(e, f"{where} entry {i + 1}", policy, known_policies) for i, e in enumerate(entries)]


def _loader() -> "type[yaml.SafeLoader]":
    """SafeLoader that leaves dates as text: PyYAML turns an impossible date such as
    2026-13-01 into a bare ValueError, which could not name the waiver entry."""
    import yaml

    class _DatesAsText(yaml.SafeLoader):
        pass

    _DatesAsText.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return _DatesAsText


def load_file(path: str, known_policies: Optional[Iterable[str]] = None) -> List[Waiver]:
    import yaml

    from .yamlsafe import YamlRefused
    from .yamlsafe import load_file as load_yaml

    try:
        data = load_yaml(path, loader=_loader())
    except YamlRefused as e:
        raise WaiverError(f"waiver file {path} is refused: {e}") from None
    except FileNotFoundError:
        raise WaiverError(f"waiver file not found: {path}") from None
    except IsADirectoryError:
        raise WaiverError(f"waiver file is a directory: {path}") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        raise WaiverError(f"waiver file {path} is not valid YAML{at}") from None
    except ValueError as e:  # an explicitly tagged value PyYAML cannot build, e.g. !!timestamp 2026-13-01
        raise WaiverError(f"waiver file {path} holds an invalid value: {e}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise WaiverError(f"cannot read waiver file {path}: {getattr(e, 'strerror', None) or e}") from None
    if isinstance(data, Mapping) and "waivers" in data:
        data = data["waivers"]
    return parse_list(data if data is not None else [], path, None, known_policies)


@dataclass(frozen=True)
class Applied:
    """The results with waived failures marked, and the waivers that ran out or matched nothing."""
    results: List[Result]
    expired: List[Waiver]
    stale: List[Waiver]

    def notes(self) -> List[Dict[str, str]]:
        out = [{"kind": "expired-waiver", "message": f"waiver expired on {w.expires.isoformat()}: {w.describe()}"}
               for w in self.expired]
        out += [{"kind": "stale-waiver", "message": f"waiver matches no violation: {w.describe()}"}
                for w in self.stale]
        return out


def find(waivers: Sequence[Waiver], policy: str, urn: str) -> Optional[Waiver]:
    """The first waiver for this policy and URN, live or expired (the caller decides)."""
    return next((w for w in waivers if w.matches(policy, urn)), None)


def apply(results: Iterable[Result], waivers: Sequence[Waiver], today: Optional[_dt.date] = None) -> Applied:
    """Failing results a live waiver covers become WAIVED; expired and stale waivers are listed."""
    today = today or clock.today()
    live = [w for w in waivers if not w.expired(today)]
    used: Set[int] = set()
    out: List[Result] = []
    for r in results:
        w = find(live, r.policy, r.urn) if r.status is Status.FAIL else None
        if w is None:
            out.append(r)
            continue
        used.add(id(w))
        out.append(dataclasses.replace(r, status=Status.WAIVED, waiver={
            "reason": w.reason, "approver": w.approver, "expires": w.expires.isoformat()}))
    expired = [w for w in waivers if w.expired(today)]
    stale = [w for w in live if id(w) not in used]
    return Applied(out, expired, stale)


def verdict(waivers: Sequence[Waiver], policy: str, urn: str,
            today: Optional[_dt.date] = None) -> Tuple[str, Optional[Waiver]]:
    """For one violation: ("waived", w), ("expired", w) or ("none", None). The CrossGuard path."""
    today = today or clock.today()
    live = find([w for w in waivers if not w.expired(today)], policy, urn)
    if live is not None:
        return "waived", live
    dead = find(waivers, policy, urn)
    return ("expired", dead) if dead is not None else ("none", None)
