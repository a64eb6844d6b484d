"""What the mocks answer for Azure resources and functions (azure-native and classic `azure`).

Ids are derived the way Azure Resource Manager builds them,
`/subscriptions/<sub>/resourceGroups/<group>/providers/<Namespace>/<type>/<name>`, with the
Key Vault data-plane shapes where the classic provider uses them (a secret's or key's id is
its versioned URL), so that a role assignment scoped to `vault.id` or a setting that names a
secret's URI carries what it would carry in a real stack. Names come from the program's name
input (`vaultName`, `accountName`, `name`, ...) or are generated as Azure's autonaming would.
getClientConfig (both providers) answers a fixed made-up tenant and subscription, and the
azure-native functions that list keys and credentials answer generated values of the real
formats; every other function is left to the generic answer (unknown in its declared shape).

Standalone like its siblings: the runner loads it by path in the program's interpreter.
"""
from __future__ import annotations

import os
import random
import string
from typing import Any, Callable, Dict, Mapping, Optional, Tuple

SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
CLIENT = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
OBJECT = "9a3c4e5f-6b7d-4e8f-9a0b-1c2d3e4f5a6b"
_HEX = "0123456789abcdef"
# The OS's randomness: generated keys must not repeat across runs. (Not the `secrets` module: a
# program's own `secrets` package, or a test suite's, may shadow it.)
_RNG = random.SystemRandom()

# (module, member) of azure-native -> the ARM namespace and collection its ids use.
_NATIVE: Dict[Tuple[str, str], Tuple[str, str]] = {
    ("keyvault", "Vault"): ("Microsoft.KeyVault", "vaults"),
    ("cognitiveservices", "Account"): ("Microsoft.CognitiveServices", "accounts"),
    ("web", "WebApp"): ("Microsoft.Web", "sites"),
    ("web", "AppServicePlan"): ("Microsoft.Web", "serverfarms"),
    ("app", "ContainerApp"): ("Microsoft.App", "containerApps"),
    ("app", "ManagedEnvironment"): ("Microsoft.App", "managedEnvironments"),
    ("storage", "StorageAccount"): ("Microsoft.Storage", "storageAccounts"),
    ("managedidentity", "UserAssignedIdentity"): ("Microsoft.ManagedIdentity", "userAssignedIdentities"),
    ("network", "PrivateEndpoint"): ("Microsoft.Network", "privateEndpoints"),
    ("network", "VirtualNetwork"): ("Microsoft.Network", "virtualNetworks"),
}
# classic `azure` module/member -> the same, for the resources whose ids rules and programs read.
_CLASSIC: Dict[Tuple[str, str], Tuple[str, str]] = {
    ("keyvault", "KeyVault"): ("Microsoft.KeyVault", "vaults"),
    ("cognitive", "Account"): ("Microsoft.CognitiveServices", "accounts"),
    ("cognitive", "AIServices"): ("Microsoft.CognitiveServices", "accounts"),
    ("storage", "Account"): ("Microsoft.Storage", "storageAccounts"),
    ("appservice", "ServicePlan"): ("Microsoft.Web", "serverFarms"),
    ("containerapp", "Environment"): ("Microsoft.App", "managedEnvironments"),
    ("containerapp", "App"): ("Microsoft.App", "containerApps"),
    ("authorization", "UserAssignedIdentity"): ("Microsoft.ManagedIdentity", "userAssignedIdentities"),
}
_CLASSIC_SITES = ("LinuxWebApp", "WindowsWebApp", "LinuxFunctionApp", "WindowsFunctionApp", "AppService", "FunctionApp")


def _text(value: Any) -> Optional[str]:
    """A known string input (secrets unwrapped), else None."""
    if isinstance(value, dict) and "value" in value:
        value = value["value"]
    return value if isinstance(value, str) and value and value != "04da6b54-80e4-46f7-96ec-b56ff0331ba9" else None


def _guid() -> str:
    return "-".join("".join(_RNG.choice(_HEX) for _ in range(n)) for n in (8, 4, 4, 4, 12))


def _autoname(name: str) -> str:
    # Azure autonaming appends a random suffix; vault and storage names allow only [a-z0-9-].
    return name.lower().replace("_", "-") + "".join(_RNG.choice(string.ascii_lowercase + string.digits)
                                                    for _ in range(6))


def _group(inputs: Mapping[str, Any]) -> str:
    return _text(inputs.get("resourceGroupName")) or "rg-unknown"


def _under_group(inputs: Mapping[str, Any], namespace: str, collection: str, name: str) -> str:
    return f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{_group(inputs)}/providers/{namespace}/{collection}/{name}"


def _vault_name(vault_id: Any) -> str:
    text = _text(vault_id)
    return text.rstrip("/").rsplit("/", 1)[-1] if text else "kv-unknown"


def _native(module: str, member: str, name: str, physical: Optional[str], inputs: Mapping[str, Any]
            ) -> Dict[str, Any]:
    own = physical or _autoname(name)
    if (module, member) == ("resources", "ResourceGroup"):
        own = _text(inputs.get("resourceGroupName")) or own
        return {"__id": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{own}", "name": own}
    if module == "keyvault" and member in ("Secret", "Key"):
        vault = _text(inputs.get("vaultName")) or "kv-unknown"
        kind = "secrets" if member == "Secret" else "keys"
        return {"__id": _under_group(inputs, "Microsoft.KeyVault", "vaults", vault) + f"/{kind}/{own}", "name": own}
    if (module, member) == ("authorization", "RoleAssignment"):
        own = physical or _guid()
        scope = _text(inputs.get("scope")) or f"/subscriptions/{SUBSCRIPTION}"
        return {"__id": f"{scope.rstrip('/')}/providers/Microsoft.Authorization/roleAssignments/{own}", "name": own}
    namespace, collection = _NATIVE.get((module, member), (f"Microsoft.{module[:1].upper()}{module[1:]}",
                                                           f"{member[:1].lower()}{member[1:]}s"))
    return {"__id": _under_group(inputs, namespace, collection, own), "name": own}


def _classic(module: str, member: str, name: str, physical: Optional[str], inputs: Mapping[str, Any]
             ) -> Dict[str, Any]:
    own = physical or _autoname(name)
    if (module, member) == ("core", "ResourceGroup"):
        return {"__id": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{own}", "name": own}
    if module == "keyvault" and member in ("Secret", "Key"):
        vault = _vault_name(inputs.get("keyVaultId"))
        kind = "secrets" if member == "Secret" else "keys"
        versionless = f"https://{vault}.vault.azure.net/{kind}/{own}"
        version = "".join(_RNG.choice(_HEX) for _ in range(32))
        return {"__id": f"{versionless}/{version}", "name": own, "versionlessId": versionless, "version": version,
                "resourceId": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-unknown/providers/"
                              f"Microsoft.KeyVault/vaults/{vault}/{kind}/{own}"}
    if (module, member) == ("authorization", "Assignment"):
        own = physical or _guid()
        scope = _text(inputs.get("scope")) or f"/subscriptions/{SUBSCRIPTION}"
        return {"__id": f"{scope.rstrip('/')}/providers/Microsoft.Authorization/roleAssignments/{own}", "name": own}
    if module == "appservice" and member.replace("Slot", "") in _CLASSIC_SITES:
        return {"__id": _under_group(inputs, "Microsoft.Web", "sites", own), "name": own,
                "defaultHostname": f"{own}.azurewebsites.net"}
    found = _CLASSIC.get((module, member))
    if found is None:
        return {}
    out: Dict[str, Any] = {"__id": _under_group(inputs, *found, own), "name": own}
    if (module, member) == ("keyvault", "KeyVault"):
        out["vaultUri"] = f"https://{own}.vault.azure.net/"
    return out


def resource_outputs(token: str, name: str, inputs: Mapping[str, Any]) -> Dict[str, Any]:
    """The id (as `__id`), name and addresses of an Azure resource, from its inputs."""
    pkg, module, member = token.split(":")
    module = module.split("/")[0]
    own_name = next((_text(inputs.get(k)) for k in (f"{member[:1].lower()}{member[1:]}Name", "name", "accountName",
                                                     "vaultName" if member == "Vault" else "")
                     if k and _text(inputs.get(k))), None)
    build: Callable[..., Dict[str, Any]] = _native if pkg == "azure-native" else _classic
    return build(module, member, name, own_name, inputs)


def native_state(state: Dict[str, Any]) -> Dict[str, Any]:
    """An azure-native resource's outputs where they differ in shape from its inputs: a managed
    identity's userAssignedIdentities is a list of ids going in and a map by id coming out."""
    identity = state.get("identity")
    if isinstance(identity, dict) and isinstance(identity.get("userAssignedIdentities"), list):
        ids = identity["userAssignedIdentities"]
        state = {**state, "identity": {**identity, "userAssignedIdentities": {
            i if isinstance(i, str) else str(n): {} for n, i in enumerate(ids)}}}
    return state


def _b64(n: int) -> str:
    import base64

    return base64.b64encode(os.urandom(n)).decode()


def _hex(n: int) -> str:
    return "".join(_RNG.choice(_HEX) for _ in range(n))


def _sas(kind: str) -> str:
    from urllib.parse import quote

    return f"sv=2022-11-02&{kind}&sp=r&se=2030-01-01T00:00:00Z&spr=https&sig={quote(_b64(32), safe='')}"


_KUBECONFIG = ("apiVersion: v1\nkind: Config\nclusters:\n- name: aks\n  cluster:\n    server: https://aks.hcp.azmk8s.io:443"
               "\nusers:\n- name: clusterUser\n  user:\n    token: {token}\n")


def _kubeconfigs() -> Dict[str, Any]:
    import base64

    text = _KUBECONFIG.format(token=_hex(64))
    return {"kubeconfigs": [{"name": "clusterUser", "value": base64.b64encode(text.encode()).decode()}]}


# The functions that hand out credentials, in the shapes their result types declare, with values
# of the credentials' real formats (a storage key is 64 bytes in base64, an Azure AI key 32 hex
# digits), so that one flowing into a setting or an export is recognised as it would be in a
# real stack. A generic unknown list would be empty, and programs index its first element.
_CREDENTIALS: Dict[str, Callable[[Mapping[str, Any]], Dict[str, Any]]] = {
    "azure-native:storage:listStorageAccountKeys": lambda a: {"keys": [
        {"keyName": k, "value": _b64(64), "permissions": "FULL", "creationTime": "2026-01-01T00:00:00Z"}
        for k in ("key1", "key2")]},
    "azure-native:storage:listStorageAccountSAS": lambda a: {"accountSasToken": _sas("ss=b&srt=sco")},
    "azure-native:storage:listStorageAccountServiceSAS": lambda a: {"serviceSasToken": _sas("sr=b")},
    "azure-native:cognitiveservices:listAccountKeys": lambda a: {"key1": _hex(32), "key2": _hex(32)},
    "azure-native:containerregistry:listRegistryCredentials": lambda a: {
        "username": _text(a.get("registryName")) or "registry",
        "passwords": [{"name": n, "value": _b64(39)} for n in ("password", "password2")]},
    "azure-native:documentdb:listDatabaseAccountKeys": lambda a: {
        k: _b64(64) for k in ("primaryMasterKey", "secondaryMasterKey", "primaryReadonlyMasterKey",
                              "secondaryReadonlyMasterKey")},
    "azure-native:documentdb:listDatabaseAccountConnectionStrings": lambda a: {"connectionStrings": [
        {"description": "Primary SQL Connection String",
         "connectionString": f"AccountEndpoint=https://{_text(a.get('accountName')) or 'cosmos'}.documents.azure.com:443/;"
                             f"AccountKey={_b64(64)};"}]},
    "azure-native:operationalinsights:getSharedKeys": lambda a: {"primarySharedKey": _b64(64),
                                                                 "secondarySharedKey": _b64(64)},
    "azure-native:containerservice:listManagedClusterUserCredentials": lambda a: _kubeconfigs(),
    "azure-native:containerservice:listManagedClusterAdminCredentials": lambda a: _kubeconfigs(),
}


def call(token: str, args: Mapping[str, Any]) -> Optional[Dict[str, Any]]:
    """Answers for the functions modelled here; None for the rest."""
    if token in ("azure-native:authorization:getClientConfig", "azure:core/getClientConfig:getClientConfig"):
        out = {"clientId": CLIENT, "objectId": OBJECT, "subscriptionId": SUBSCRIPTION, "tenantId": TENANT}
        return {**out, "id": CLIENT} if token.startswith("azure:") else out
    answer = _CREDENTIALS.get(token)
    return answer(args) if answer is not None else None
