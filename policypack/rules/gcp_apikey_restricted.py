"""gcp-apikey-restricted: Google API keys are restricted to APIs or to applications."""
from __future__ import annotations

from typing import Any, List, Mapping, Union

from ..examples import Example, R
from ..model import UNKNOWN
from ..property_check import PropertyCheck
from ..tokens.gcp import API_KEY
from .base import Rule

# Each application restriction and the list inside it that names what may use the key.
APP_RESTRICTIONS = {
    "browserKeyRestrictions": "allowedReferrers",
    "serverKeyRestrictions": "allowedIps",
    "androidKeyRestrictions": "allowedApplications",
    "iosKeyRestrictions": "allowedBundleIds",
}


# The umbrella service that stands for every Google Cloud API: a target of it restricts nothing.
EVERY_API = "cloudapis.googleapis.com"


def _non_empty(value: Any) -> bool:
    return isinstance(value, list) and len(value) > 0


def _targets_restrict(targets: Any) -> bool:
    if not _non_empty(targets):
        return False
    services = [t.get("service") if isinstance(t, Mapping) else None for t in targets]
    return EVERY_API not in services


def judge_restrictions(value: Any, config: Mapping[str, Any]) -> Union[bool, str]:
    targets = _targets_restrict(value.get("apiTargets")) if isinstance(value, Mapping) else False
    apps: List[str] = [k for k, inner in APP_RESTRICTIONS.items()
                       if isinstance(value, Mapping) and isinstance(value.get(k), Mapping)
                       and _non_empty(value[k].get(inner))]
    if config.get("requireBoth"):
        if targets and apps:
            return True
        return "lacks " + " and ".join(w for w, ok in (("apiTargets", targets), ("an application restriction",
                                                                                  bool(apps))) if not ok)
    return True if targets or apps else "names neither apiTargets (other than cloudapis.googleapis.com, every " \
        "API) nor an application restriction"


check_api_key = PropertyCheck(
    paths={API_KEY: "restrictions"},
    judge=judge_restrictions,
    problem="does not restrict the key",
    absent_problem="the key can call every enabled API from anywhere",
)


def _key(restrictions: Any = None, name: str = "k") -> R:
    props = {"name": name, "displayName": "gemini client"}
    if restrictions is not None:
        props["restrictions"] = restrictions
    return R(API_KEY, name, props)


_GEMINI = {"apiTargets": [{"service": "generativelanguage.googleapis.com"}]}
_SERVER = {"serverKeyRestrictions": {"allowedIps": ["203.0.113.0/24"]}}


RULE = Rule(
    name="gcp-apikey-restricted",
    title="Google API keys are restricted",
    description="A Google API key (gcp.projects.ApiKey) names the APIs it may call (restrictions.apiTargets) or "
                "the applications that may use it (browser referrers, server IPs, Android or iOS apps). An "
                "unrestricted key works for every API enabled in the project, from anywhere, for whoever "
                "copies it; a target of cloudapis.googleapis.com stands for every API and does not count. Config "
                "requireBoth asks for both kinds, as CIS GCP 1.14 and 1.15 do together.",
    severity="high",
    enforcement="mandatory",
    kind="resource",
    check=check_api_key,
    resource_types=check_api_key.resource_types,
    remediation="Set restrictions=gcp.projects.ApiKeyRestrictionsArgs(api_targets=[...the one API the key is "
                "for, e.g. generativelanguage.googleapis.com...]) and, where the callers are known, "
                "server_key_restrictions / browser_key_restrictions / android_key_restrictions / "
                "ios_key_restrictions.",
    url="https://cloud.google.com/docs/authentication/api-keys#api_key_restrictions",
    controls={"cis-gcp-v5.0.0": ["1.14", "1.15"], "nist-800-53-r5": ["AC-3", "AC-6"], "pci-dss-v4.0.1": ["7.2.2"], "pci-dss-v4.0": ["7.2.2"]},
    config_schema={
        "requireBoth": {"type": "boolean", "default": False,
                        "description": "Require API targets and an application restriction, not either."},
    },
    examples=(
        Example("restricted to the Gemini API", [_key(_GEMINI)], {"k": "pass"}),
        Example("restricted to server IPs", [_key(_SERVER)], {"k": "pass"}),
        Example("no restrictions", [_key()], {"k": "fail:restrictions"},
                controls=("cis-gcp-v5.0.0:1.14", "cis-gcp-v5.0.0:1.15", "nist-800-53-r5:AC-3", "nist-800-53-r5:AC-6", "pci-dss-v4.0.1:7.2.2", "pci-dss-v4.0:7.2.2")),
        Example("a target of cloudapis.googleapis.com (every API) restricts nothing",
                [_key({"apiTargets": [{"service": EVERY_API}]})], {"k": "fail:restrictions"}),
        Example("empty restrictions", [_key({"apiTargets": [], "browserKeyRestrictions": {"allowedReferrers": []}})],
                {"k": "fail:restrictions"}),
        Example("requireBoth: API targets alone fail, both pass",
                [_key(_GEMINI, "one"), _key({**_GEMINI, **_SERVER}, "both")],
                {"one": "fail:restrictions", "both": "pass"}, config={"requireBoth": True}),
        Example("restrictions unknown during preview", [_key(UNKNOWN)], {"k": "unknown"}),
    ),
)
