"""azure-keyvault-recoverable: a deleted Key Vault (and what it holds) can be recovered."""
from __future__ import annotations

from typing import Any, Mapping

from ..azure.examples import TENANT
from ..examples import Example, R
from ..model import UNKNOWN
from ..property_check import AllOf, PropertyCheck, equals
from ..tokens.azure import CLASSIC_VAULT, NATIVE_VAULT
from .base import Rule

purge_protection = PropertyCheck(
    paths={NATIVE_VAULT: "properties.enablePurgeProtection", CLASSIC_VAULT: "purgeProtectionEnabled"},
    judge=equals(True),
    problem="is not true, so a deleted vault and its secrets and keys can be purged at once",
)
# azure-native's SDK fills in true when unset; the classic provider has no switch (soft delete is always on).
soft_delete = PropertyCheck(
    paths={NATIVE_VAULT: "properties.enableSoftDelete"},
    judge=equals(True),
    problem="is false, so deleting the vault destroys its secrets and keys at once",
    absent="pass",
)
check_recoverable = AllOf(purge_protection, soft_delete)


def _native(**props: Any) -> Mapping[str, Any]:
    return {"resourceGroupName": "rg-ai", "properties": {"tenantId": TENANT, "sku": {"family": "A", "name": "standard"},
                                                         **props}}


RULE = Rule(
    name="azure-keyvault-recoverable",
    title="Key Vaults keep deleted secrets and keys recoverable",
    description="A Key Vault has purge protection on and soft delete not turned off, so a vault, secret or key "
                "deleted by mistake or by an attacker stays recoverable for its retention period.",
    severity="high",
    enforcement="mandatory",
    kind="resource",
    check=check_recoverable,
    resource_types=check_recoverable.resource_types,
    remediation="azure-native: set properties.enable_purge_protection=True (and leave enable_soft_delete unset or "
                "True) on azure_native.keyvault.Vault; classic: set purge_protection_enabled=True on "
                "azure.keyvault.KeyVault. Purge protection cannot be turned off again.",
    url="https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview",
    controls={"cis-azure-v6.0.0": ["8.3.5"], "nist-800-53-r5": ["CP-10", "SC-12"], "pci-dss-v4.0.1": ["3.6.1"], "pci-dss-v4.0": ["3.6.1"]},
    examples=(
        Example("azure-native: purge protection on, soft delete by default",
                [R(NATIVE_VAULT, "kv", _native(enablePurgeProtection=True))], {"kv": ("pass", "pass")}),
        Example("classic: purge protection on", [R(CLASSIC_VAULT, "kv", {"purgeProtectionEnabled": True})],
                {"kv": "pass"}),
        Example("azure-native: purge protection unset", [R(NATIVE_VAULT, "kv", _native())],
                {"kv": ("fail:properties.enablePurgeProtection", "pass")},
                controls=("cis-azure-v6.0.0:8.3.5", "nist-800-53-r5:CP-10", "nist-800-53-r5:SC-12", "pci-dss-v4.0.1:3.6.1", "pci-dss-v4.0:3.6.1")),
        Example("azure-native: soft delete turned off",
                [R(NATIVE_VAULT, "kv", _native(enablePurgeProtection=True, enableSoftDelete=False))],
                {"kv": ("pass", "fail:properties.enableSoftDelete")}),
        Example("classic: purge protection false", [R(CLASSIC_VAULT, "kv", {"purgeProtectionEnabled": False})],
                {"kv": "fail:purgeProtectionEnabled"}),
        Example("classic: purge protection unset", [R(CLASSIC_VAULT, "kv", {"skuName": "standard"})],
                {"kv": "fail:purgeProtectionEnabled"}),
        Example("unknown during preview",
                [R(NATIVE_VAULT, "native", _native(enablePurgeProtection=UNKNOWN)),
                 R(CLASSIC_VAULT, "classic", {"purgeProtectionEnabled": UNKNOWN})],
                {"native": ("unknown", "pass"), "classic": "unknown"}),
    ),
)
