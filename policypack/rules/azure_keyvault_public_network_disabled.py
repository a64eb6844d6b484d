"""azure-keyvault-public-network-disabled: a Key Vault is not reachable from any network."""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Tuple

from ..azure.examples import TENANT
from ..examples import Example, R
from ..model import UNKNOWN, Outcome, Resource, contains_unknown, failed, get_path, passed, unknown
from ..property_check import Judge, equals
from ..tokens.azure import CLASSIC_VAULT, NATIVE_VAULT
from .base import Rule

# Either closes the vault: public access off (private endpoints and trusted services only), or
# a firewall whose default action is Deny (only the listed networks). Per provider: the path of
# the public-access switch and whether its value turns it off, and the path of the default action.
_PATHS: Mapping[str, Tuple[str, Judge, str]] = {
    NATIVE_VAULT: ("properties.publicNetworkAccess", equals("disabled"), "properties.networkAcls.defaultAction"),
    CLASSIC_VAULT: ("publicNetworkAccessEnabled", equals(False), "networkAcls.defaultAction"),
}


def check_public_network(res: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
    public_path, closed, acl_path = _PATHS[res.type]
    public = get_path(res.props, public_path)
    action = get_path(res.props, acl_path)
    if not contains_unknown(public) and closed(public, config):
        yield passed(path=public_path)
    elif isinstance(action, str) and action.lower() == "deny":
        yield passed(path=acl_path)
    elif contains_unknown(public) or contains_unknown(action):
        which = public_path if contains_unknown(public) else acl_path
        yield unknown(f"{res.name}: {which} is not known during preview", path=which)
    else:
        # Both providers default to public access with an Allow firewall.
        yield failed(f"{res.name}: {public_path} does not disable public access and {acl_path} is not Deny, so the "
                     "vault answers requests from any network", path=public_path)


def _native(**props: Any) -> Mapping[str, Any]:
    return {"properties": {"tenantId": TENANT, "sku": {"family": "A", "name": "standard"}, **props}}


RULE = Rule(
    name="azure-keyvault-public-network-disabled",
    title="Key Vaults are not reachable from public networks",
    description="A Key Vault either has public network access disabled (reached through private endpoints and "
                "trusted Azure services) or a firewall whose default action is Deny, so a leaked credential cannot "
                "be used against the vault from anywhere on the internet.",
    severity="high",
    enforcement="mandatory",
    kind="resource",
    check=check_public_network,
    resource_types=frozenset(_PATHS),
    remediation="azure-native: set properties.public_network_access='Disabled' (or properties.network_acls="
                "{'default_action': 'Deny', ...}) on azure_native.keyvault.Vault; classic: set "
                "public_network_access_enabled=False (or network_acls with default_action='Deny') on "
                "azure.keyvault.KeyVault, and reach the vault through a private endpoint.",
    url="https://learn.microsoft.com/azure/key-vault/general/network-security",
    controls={"cis-azure-v6.0.0": ["8.3.7"], "nist-800-53-r5": ["AC-3"], "pci-dss-v4.0.1": ["3.6.1"], "pci-dss-v4.0": ["3.6.1"]},
    examples=(
        Example("azure-native: public access disabled", [R(NATIVE_VAULT, "kv", _native(publicNetworkAccess="Disabled"))],
                {"kv": "pass"}),
        Example("azure-native: public switch on, firewall default Deny", [R(NATIVE_VAULT, "kv", _native(
            publicNetworkAccess="Enabled", networkAcls={"defaultAction": "Deny", "bypass": "AzureServices",
                                                        "ipRules": [{"value": "203.0.113.0/24"}]}))],
            {"kv": "pass"}),
        Example("classic: public access off, or a Deny firewall", [
            R(CLASSIC_VAULT, "off", {"publicNetworkAccessEnabled": False}),
            R(CLASSIC_VAULT, "deny", {"networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices"}})],
            {"off": "pass", "deny": "pass"}),
        Example("azure-native: defaults (public, Allow)", [R(NATIVE_VAULT, "kv", _native())],
                {"kv": "fail:properties.publicNetworkAccess"},
                controls=("cis-azure-v6.0.0:8.3.7", "nist-800-53-r5:AC-3", "pci-dss-v4.0.1:3.6.1", "pci-dss-v4.0:3.6.1")),
        Example("azure-native: enabled with an Allow firewall", [R(NATIVE_VAULT, "kv", _native(
            publicNetworkAccess="Enabled", networkAcls={"defaultAction": "Allow"}))],
            {"kv": "fail:properties.publicNetworkAccess"}),
        Example("classic: defaults, or public with an Allow firewall", [
            R(CLASSIC_VAULT, "unset", {}),
            R(CLASSIC_VAULT, "allow", {"publicNetworkAccessEnabled": True, "networkAcls": {"defaultAction": "Allow",
                                                                                           "bypass": "None"}})],
            {"unset": "fail:publicNetworkAccessEnabled", "allow": "fail:publicNetworkAccessEnabled"}),
        Example("unknown during preview", [
            R(NATIVE_VAULT, "switch", _native(publicNetworkAccess=UNKNOWN)),
            R(CLASSIC_VAULT, "acl", {"publicNetworkAccessEnabled": True, "networkAcls": {"defaultAction": UNKNOWN}}),
            R(CLASSIC_VAULT, "closed_anyway", {"publicNetworkAccessEnabled": UNKNOWN,
                                               "networkAcls": {"defaultAction": "Deny"}})],
            {"switch": "unknown", "acl": "unknown", "closed_anyway": "pass"}),
    ),
)
