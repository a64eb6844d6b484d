"""azure-cognitive-account-local-auth-disabled: Azure OpenAI and Cognitive Services accept no API keys."""
from __future__ import annotations

from typing import Any, Dict

from ..examples import Example, R
from ..model import UNKNOWN
from ..property_check import AllOf, PropertyCheck, equals
from ..tokens.azure import CLASSIC_AI_SERVICES, CLASSIC_COGNITIVE_ACCOUNT, NATIVE_COGNITIVE_ACCOUNT
from .base import Rule

_PROBLEM = "leaves local (API key) authentication on, so anyone holding one of the account's two keys calls it"
_DEFAULT = "local (API key) authentication is on by default"

# The providers ask opposite questions, and both defaults accept keys: azure-native's
# disableLocalAuth defaults to false, the classic provider's localAuthEnabled to true.
check_local_auth = AllOf(
    PropertyCheck(paths={NATIVE_COGNITIVE_ACCOUNT: "properties.disableLocalAuth"}, judge=equals(True),
                  problem=_PROBLEM, absent_problem=_DEFAULT),
    PropertyCheck(paths={CLASSIC_COGNITIVE_ACCOUNT: "localAuthEnabled", CLASSIC_AI_SERVICES: "localAuthEnabled"},
                  judge=equals(False), problem=_PROBLEM, absent_problem=_DEFAULT),
)


def _native(**props: Any) -> Dict[str, Any]:
    return {"kind": "OpenAI", "sku": {"name": "S0"}, "properties": {"customSubDomainName": "ai-app", **props}}


RULE = Rule(
    name="azure-cognitive-account-local-auth-disabled",
    title="Azure OpenAI and Cognitive Services accounts accept no API keys",
    description="A Cognitive Services account (Azure OpenAI, AI Services, and every other kind) has local "
                "authentication off, so callers authenticate with Microsoft Entra ID and a role assignment, and "
                "no long-lived API key exists to leak, share or forget to rotate.",
    severity="high",
    enforcement="mandatory",
    kind="resource",
    check=check_local_auth,
    resource_types=check_local_auth.resource_types,
    remediation="azure-native: set properties.disable_local_auth=True on azure_native.cognitiveservices.Account; "
                "classic: set local_auth_enabled=False on azure.cognitive.Account (or azure.cognitive.AIServices); "
                "grant callers 'Cognitive Services OpenAI User' instead of handing out keys.",
    url="https://learn.microsoft.com/azure/ai-services/disable-local-auth",
    controls={"nist-800-53-r5": ["IA-5", "AC-3"], "pci-dss-v4.0.1": ["8.6.3"], "pci-dss-v4.0": ["8.6.3"]},
    examples=(
        Example("azure-native: local auth disabled", [R(NATIVE_COGNITIVE_ACCOUNT, "ai", _native(disableLocalAuth=True))],
                {"ai": "pass"}),
        Example("classic: local auth off", [
            R(CLASSIC_COGNITIVE_ACCOUNT, "ai", {"kind": "OpenAI", "skuName": "S0", "localAuthEnabled": False}),
            R(CLASSIC_AI_SERVICES, "hub", {"skuName": "S0", "localAuthEnabled": False})],
            {"ai": "pass", "hub": "pass"}),
        Example("azure-native: keys accepted by default", [R(NATIVE_COGNITIVE_ACCOUNT, "ai", _native())],
                {"ai": "fail:properties.disableLocalAuth"},
                controls=("nist-800-53-r5:IA-5", "nist-800-53-r5:AC-3", "pci-dss-v4.0.1:8.6.3", "pci-dss-v4.0:8.6.3")),
        Example("azure-native: explicitly false", [R(NATIVE_COGNITIVE_ACCOUNT, "ai", _native(disableLocalAuth=False))],
                {"ai": "fail:properties.disableLocalAuth"}),
        Example("classic: unset or true", [
            R(CLASSIC_COGNITIVE_ACCOUNT, "unset", {"kind": "OpenAI", "skuName": "S0"}),
            R(CLASSIC_COGNITIVE_ACCOUNT, "on", {"kind": "OpenAI", "skuName": "S0", "localAuthEnabled": True})],
            {"unset": "fail:localAuthEnabled", "on": "fail:localAuthEnabled"}),
        Example("unknown during preview", [
            R(NATIVE_COGNITIVE_ACCOUNT, "native", _native(disableLocalAuth=UNKNOWN)),
            R(CLASSIC_COGNITIVE_ACCOUNT, "classic", {"localAuthEnabled": UNKNOWN})],
            {"native": "unknown", "classic": "unknown"}),
    ),
)
