"""azure-keyvault-key-rotation: Key Vault keys rotate automatically within maxDays."""
from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

from ..azure.times import duration_days
from ..examples import Example, R
from ..model import UNKNOWN
from ..property_check import AllOf, PropertyCheck, Verdict
from ..tokens.azure import CLASSIC_KEY, NATIVE_KEY
from .base import Rule


def _every(after_create: Any, before_expiry: Any, expiry: Any) -> Optional[float]:
    """Days between automatic rotations: the trigger after creation, or the key's lifetime
    less the trigger before expiry; None when neither can be read."""
    days = duration_days(after_create)
    if days is not None:
        return days
    before, lifetime = duration_days(before_expiry), duration_days(expiry)
    if before is not None and lifetime is not None and lifetime > before:
        return lifetime - before
    return None


def _verdict(days: Optional[float], config: Mapping[str, Any]) -> Verdict:
    if days is None:
        return "has no automatic rotation trigger (a rotate action after creation or before expiry)"
    if days > config["maxDays"]:
        return f"rotates the key every {days:g} days, more than maxDays ({config['maxDays']})"
    return True


def judge_native_policy(policy: Any, config: Mapping[str, Any]) -> Verdict:
    """azure-native: lifetimeActions [{action: {type: rotate}, trigger: {timeAfterCreate | timeBeforeExpiry}}],
    with the key's lifetime in attributes.expiryTime."""
    if not isinstance(policy, Mapping):
        return "is not a rotation policy"
    expiry = (policy.get("attributes") or {}).get("expiryTime") if isinstance(policy.get("attributes"), Mapping) else None
    periods = []
    for action in policy.get("lifetimeActions") or []:
        if not isinstance(action, Mapping):
            continue
        kind = (action.get("action") or {}).get("type") if isinstance(action.get("action"), Mapping) else None
        trigger: Mapping[str, Any] = action["trigger"] if isinstance(action.get("trigger"), Mapping) else {}
        if isinstance(kind, str) and kind.lower() == "rotate":
            periods.append(_every(trigger.get("timeAfterCreate"), trigger.get("timeBeforeExpiry"), expiry))
    known = [p for p in periods if p is not None]
    return _verdict(min(known) if known else None, config)


def judge_classic_policy(policy: Any, config: Mapping[str, Any]) -> Verdict:
    """classic: rotationPolicy {automatic: {timeAfterCreation | timeBeforeExpiry}, expireAfter}."""
    if not isinstance(policy, Mapping):
        return "is not a rotation policy"
    auto: Mapping[str, Any] = policy["automatic"] if isinstance(policy.get("automatic"), Mapping) else {}
    return _verdict(_every(auto.get("timeAfterCreation"), auto.get("timeBeforeExpiry"), policy.get("expireAfter")),
                    config)


_ABSENT = "the key has no rotation policy, so it is never rotated automatically"
check_key_rotation = AllOf(
    PropertyCheck(paths={NATIVE_KEY: "properties.rotationPolicy"}, judge=judge_native_policy,
                  problem="does not rotate the key", absent_problem=_ABSENT),
    PropertyCheck(paths={CLASSIC_KEY: "rotationPolicy"}, judge=judge_classic_policy,
                  problem="does not rotate the key", absent_problem=_ABSENT),
)


def _native(policy: Any = None) -> Mapping[str, Any]:
    props: Dict[str, Any] = {"kty": "RSA", "keySize": 3072}
    if policy is not None:
        props["rotationPolicy"] = policy
    return {"vaultName": "kv-ai", "keyName": "cmk", "properties": props}


def _rotate(**trigger: Any) -> Mapping[str, Any]:
    return {"action": {"type": "rotate"}, "trigger": trigger}


_NOTIFY = {"action": {"type": "notify"}, "trigger": {"timeBeforeExpiry": "P30D"}}


def _classic(policy: Any = None) -> Mapping[str, Any]:
    props: Dict[str, Any] = {"keyType": "RSA", "keySize": 3072, "keyOpts": ["wrapKey", "unwrapKey"]}
    if policy is not None:
        props["rotationPolicy"] = policy
    return props


RULE = Rule(
    name="azure-keyvault-key-rotation",
    title="Key Vault keys rotate automatically within maxDays",
    description="A Key Vault key carries a rotation policy with a rotate action, after creation or before expiry, "
                "that makes a new key version at least every maxDays, so data is not protected by one key "
                "version forever.",
    severity="medium",
    enforcement="advisory",
    kind="resource",
    check=check_key_rotation,
    resource_types=check_key_rotation.resource_types,
    remediation="azure-native: set properties.rotation_policy on azure_native.keyvault.Key with a lifetime action "
                "{'action': {'type': 'rotate'}, 'trigger': {'time_after_create': 'P90D'}}; classic: set "
                "rotation_policy={'automatic': {'time_after_creation': 'P90D'}, 'expire_after': 'P180D'} on "
                "azure.keyvault.Key.",
    url="https://learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation",
    controls={"cis-azure-v6.0.0": ["8.3.9"], "nist-800-53-r5": ["SC-12"], "pci-dss-v4.0.1": ["3.7.4"], "pci-dss-v4.0": ["3.7.4"]},
    config_schema={"maxDays": {"type": "integer", "default": 365, "minimum": 1,
                               "description": "The longest a key version may be used before rotation, in days."}},
    examples=(
        Example("rotating every 90 days, both providers", [
            R(NATIVE_KEY, "native", _native({"attributes": {"expiryTime": "P1Y"},
                                             "lifetimeActions": [_rotate(timeAfterCreate="P90D"), _NOTIFY]})),
            R(CLASSIC_KEY, "classic", _classic({"automatic": {"timeAfterCreation": "P90D"}, "expireAfter": "P1Y"}))],
            {"native": "pass", "classic": "pass"}),
        Example("rotating 30 days before a one-year expiry", [
            R(NATIVE_KEY, "native", _native({"attributes": {"expiryTime": "P1Y"},
                                             "lifetimeActions": [_rotate(timeBeforeExpiry="P30D")]})),
            R(CLASSIC_KEY, "classic", _classic({"automatic": {"timeBeforeExpiry": "P30D"}, "expireAfter": "P1Y"}))],
            {"native": "pass", "classic": "pass"}),
        Example("no rotation policy", [R(NATIVE_KEY, "native", _native()), R(CLASSIC_KEY, "classic", _classic())],
                {"native": "fail:properties.rotationPolicy", "classic": "fail:rotationPolicy"},
                controls=("cis-azure-v6.0.0:8.3.9", "nist-800-53-r5:SC-12", "pci-dss-v4.0.1:3.7.4", "pci-dss-v4.0:3.7.4")),
        Example("a policy that only notifies", [
            R(NATIVE_KEY, "native", _native({"lifetimeActions": [_NOTIFY]})),
            R(CLASSIC_KEY, "classic", _classic({"expireAfter": "P1Y", "notifyBeforeExpiry": "P30D"}))],
            {"native": "fail:properties.rotationPolicy", "classic": "fail:rotationPolicy"}),
        Example("rotating every two years", [
            R(NATIVE_KEY, "native", _native({"lifetimeActions": [_rotate(timeAfterCreate="P2Y")]})),
            R(CLASSIC_KEY, "classic", _classic({"automatic": {"timeAfterCreation": "P24M"}}))],
            {"native": "fail:properties.rotationPolicy", "classic": "fail:rotationPolicy"}),
        Example("a tighter configured maximum", [
            R(CLASSIC_KEY, "classic", _classic({"automatic": {"timeAfterCreation": "P90D"}}))],
            {"classic": "fail:rotationPolicy"}, config={"maxDays": 60}),
        Example("unknown during preview", [
            R(NATIVE_KEY, "native", _native({"lifetimeActions": [_rotate(timeAfterCreate=UNKNOWN)]})),
            R(CLASSIC_KEY, "classic", _classic(UNKNOWN))],
            {"native": "unknown", "classic": "unknown"}),
    ),
)
