"""azure-keyvault-secret-expiration: Key Vault secrets expire, and not too far ahead."""
from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, Mapping

from ..azure.times import instant_day
from ..examples import Example, R
from ..iam.judging import today_of
from ..model import UNKNOWN
from ..property_check import PropertyCheck, Verdict
from ..tokens.azure import CLASSIC_SECRET, NATIVE_SECRET
from .base import Rule

AS_OF = "2026-01-15"  # the day the examples are judged on
_IN_90_DAYS = "2026-04-15T00:00:00Z"
_IN_2_YEARS = "2028-01-15T00:00:00Z"
_EPOCH_IN_90_DAYS = int(_dt.datetime(2026, 4, 15, tzinfo=_dt.timezone.utc).timestamp())
_EPOCH_IN_2_YEARS = int(_dt.datetime(2028, 1, 15, tzinfo=_dt.timezone.utc).timestamp())


def judge_expiry(value: Any, config: Mapping[str, Any]) -> Verdict:
    day = instant_day(value)
    if day is None:
        return "is not a date Key Vault accepts (epoch seconds or RFC 3339)"
    today = today_of(config)
    if today is not None and (day - today).days > config["maxDays"]:
        return (f"is more than maxDays ({config['maxDays']}) days after {today.isoformat()}, so the secret "
                "outlives the rotation it should force")
    return True


# azure-native writes the expiry as epoch seconds in properties.attributes.expires; the classic
# provider as RFC 3339 in expirationDate.
check_secret_expiration = PropertyCheck(
    paths={NATIVE_SECRET: "properties.attributes.expires", CLASSIC_SECRET: "expirationDate"},
    judge=judge_expiry,
    problem="is not acceptable",
    absent_problem="the secret never expires, so nothing forces its rotation",
)


def _native(**attributes: Any) -> Mapping[str, Any]:
    props: Dict[str, Any] = {"value": UNKNOWN, "contentType": "api-key"}
    if attributes:
        props["attributes"] = attributes
    return {"vaultName": "kv-ai", "secretName": "openai-key", "properties": props}


RULE = Rule(
    name="azure-keyvault-secret-expiration",
    title="Key Vault secrets expire within maxDays",
    description="A Key Vault secret carries an expiry date no more than maxDays after the day of judgement, so "
                "every secret is rotated on a schedule and a forgotten one stops working instead of living on.",
    severity="medium",
    enforcement="advisory",
    kind="resource",
    check=check_secret_expiration,
    resource_types=check_secret_expiration.resource_types,
    remediation="azure-native: set properties.attributes.expires (epoch seconds) on azure_native.keyvault.Secret; "
                "classic: set expiration_date (RFC 3339) on azure.keyvault.Secret; in both, a date at most maxDays "
                "ahead, moved forward by the rotation that writes the next version.",
    url="https://learn.microsoft.com/azure/key-vault/secrets/secrets-best-practices",
    controls={"cis-azure-v6.0.0": ["8.3.3", "8.3.4"], "nist-800-53-r5": ["IA-5"], "pci-dss-v4.0.1": ["8.6.3"], "pci-dss-v4.0": ["8.6.3"]},
    config_schema={
        "maxDays": {"type": "integer", "default": 365, "minimum": 1,
                    "description": "The furthest ahead, in days, a secret's expiry may be."},
        "asOf": {"type": "string", "default": "", "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$",
                 "description": "The day (YYYY-MM-DD) expiries are measured from; empty: the day the pack or "
                                "the scan runs."},
    },
    examples=(
        Example("expiring within a year, both providers", [
            R(NATIVE_SECRET, "native", _native(expires=_EPOCH_IN_90_DAYS)),
            R(CLASSIC_SECRET, "classic", {"name": "openai-key", "value": UNKNOWN, "expirationDate": _IN_90_DAYS})],
            {"native": "pass", "classic": "pass"}, config={"asOf": AS_OF}),
        Example("no expiry, both providers", [
            R(NATIVE_SECRET, "native", _native()),
            R(CLASSIC_SECRET, "classic", {"name": "openai-key", "value": UNKNOWN})],
            {"native": "fail:properties.attributes.expires", "classic": "fail:expirationDate"}, config={"asOf": AS_OF},
                controls=("cis-azure-v6.0.0:8.3.3", "cis-azure-v6.0.0:8.3.4", "nist-800-53-r5:IA-5", "pci-dss-v4.0.1:8.6.3", "pci-dss-v4.0:8.6.3")),
        Example("expiring in two years", [
            R(NATIVE_SECRET, "native", _native(expires=_EPOCH_IN_2_YEARS)),
            R(CLASSIC_SECRET, "classic", {"name": "openai-key", "expirationDate": _IN_2_YEARS})],
            {"native": "fail:properties.attributes.expires", "classic": "fail:expirationDate"}, config={"asOf": AS_OF}),
        Example("two years is within a configured three", [
            R(CLASSIC_SECRET, "classic", {"name": "openai-key", "expirationDate": _IN_2_YEARS})],
            {"classic": "pass"}, config={"asOf": AS_OF, "maxDays": 1100}),
        Example("not a date", [R(CLASSIC_SECRET, "classic", {"name": "k", "expirationDate": "next year"})],
                {"classic": "fail:expirationDate"}, config={"asOf": AS_OF}),
        Example("unknown during preview", [
            R(NATIVE_SECRET, "native", _native(expires=UNKNOWN)),
            R(CLASSIC_SECRET, "classic", {"name": "openai-key", "expirationDate": UNKNOWN})],
            {"native": "unknown", "classic": "unknown"}, config={"asOf": AS_OF}),
    ),
)
