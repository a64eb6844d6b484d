"""azure-keyvault-rbac-authorization: Key Vault data access is governed by Azure RBAC."""
from __future__ import annotations

from ..azure.examples import TENANT
from ..examples import Example, R
from ..model import UNKNOWN
from ..property_check import PropertyCheck, equals
from ..tokens.azure import CLASSIC_VAULT, NATIVE_VAULT
from .base import Rule

# Both providers default to access policies. The classic provider spells the switch twice:
# rbacAuthorizationEnabled, and the deprecated enableRbacAuthorization it replaces.
check_rbac = PropertyCheck(
    paths={NATIVE_VAULT: "properties.enableRbacAuthorization",
           CLASSIC_VAULT: ("rbacAuthorizationEnabled", "enableRbacAuthorization")},
    judge=equals(True),
    problem="is not true, so the vault's secrets and keys are governed by legacy access policies, which anyone "
            "with Contributor on the vault can rewrite to grant themselves",
    absent_problem="the vault uses legacy access policies (the default)",
)

RULE = Rule(
    name="azure-keyvault-rbac-authorization",
    title="Key Vaults use Azure RBAC, not access policies",
    description="A Key Vault authorizes data access with Azure RBAC, so who can read a secret or use a key is "
                "granted per vault or per object through role assignments that can be audited, scoped and "
                "conditioned, instead of vault access policies that management-plane Contributors can rewrite.",
    severity="high",
    enforcement="mandatory",
    kind="resource",
    check=check_rbac,
    resource_types=check_rbac.resource_types,
    remediation="azure-native: set properties.enable_rbac_authorization=True on azure_native.keyvault.Vault and "
                "drop access_policies; classic: set rbac_authorization_enabled=True on azure.keyvault.KeyVault and "
                "grant data access with azure.authorization.Assignment at the vault's scope.",
    url="https://learn.microsoft.com/azure/key-vault/general/rbac-guide",
    controls={"cis-azure-v6.0.0": ["8.3.6"], "nist-800-53-r5": ["AC-3", "AC-6"], "pci-dss-v4.0.1": ["7.2.2"], "pci-dss-v4.0": ["7.2.2"]},
    examples=(
        Example("azure-native: RBAC", [R(NATIVE_VAULT, "kv", {"properties": {
            "tenantId": TENANT, "enableRbacAuthorization": True}})], {"kv": "pass"}),
        Example("classic: RBAC, current and deprecated spelling", [
            R(CLASSIC_VAULT, "current", {"rbacAuthorizationEnabled": True}),
            R(CLASSIC_VAULT, "deprecated", {"enableRbacAuthorization": True})],
            {"current": "pass", "deprecated": "pass"}),
        Example("azure-native: access policies", [R(NATIVE_VAULT, "kv", {"properties": {
            "tenantId": TENANT, "enableRbacAuthorization": False,
            "accessPolicies": [{"tenantId": TENANT, "objectId": "o", "permissions": {"secrets": ["get"]}}]}})],
            {"kv": "fail:properties.enableRbacAuthorization"},
                controls=("cis-azure-v6.0.0:8.3.6", "nist-800-53-r5:AC-3", "nist-800-53-r5:AC-6", "pci-dss-v4.0.1:7.2.2", "pci-dss-v4.0:7.2.2")),
        Example("azure-native: unset (access policies by default)",
                [R(NATIVE_VAULT, "kv", {"properties": {"tenantId": TENANT}})],
                {"kv": "fail:properties.enableRbacAuthorization"}),
        Example("classic: unset, or false", [R(CLASSIC_VAULT, "unset", {}),
                                             R(CLASSIC_VAULT, "off", {"rbacAuthorizationEnabled": False})],
                {"unset": "fail:rbacAuthorizationEnabled", "off": "fail:rbacAuthorizationEnabled"}),
        Example("unknown during preview", [
            R(NATIVE_VAULT, "native", {"properties": {"tenantId": UNKNOWN, "enableRbacAuthorization": UNKNOWN}}),
            R(CLASSIC_VAULT, "classic", {"rbacAuthorizationEnabled": UNKNOWN})],
            {"native": "unknown", "classic": "unknown"}),
    ),
)
