"""azure-role-assignment-secrets-scoped: roles that reach Key Vault data are granted on a vault, not wide."""
from __future__ import annotations

import fnmatch
from typing import Any, Iterable, Mapping

from ..azure.examples import GROUP_SCOPE, PRINCIPAL_ID, SUBSCRIPTION_SCOPE, VAULT_ID, role_definition
from ..azure.roles import secret_role, wide_scope
from ..examples import Example, R
from ..model import UNKNOWN, Outcome, Resource, contains_unknown, failed, passed, unknown
from ..tokens.azure import CLASSIC_ROLE_ASSIGNMENT, NATIVE_ROLE_ASSIGNMENT, ROLE_ASSIGNMENTS
from .base import Rule

_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6"
_OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
_READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"


def check_role_assignment(res: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
    # The classic provider takes the role by id or by name; azure-native by id only.
    path = "roleDefinitionId"
    definition = res.props.get(path)
    if definition is None and res.type == CLASSIC_ROLE_ASSIGNMENT:
        path = "roleDefinitionName"
        definition = res.props.get(path)
    if contains_unknown(definition):
        yield unknown(f"{res.name}: {path} is not known during preview", path=path)
        return
    role = secret_role(definition)
    if role is None:
        yield passed(path=path)
        return
    scope = res.props.get("scope")
    if contains_unknown(scope):
        yield unknown(f"{res.name}: scope is not known during preview", path="scope")
        return
    wide = wide_scope(scope) if isinstance(scope, str) else None
    if wide is None or not isinstance(scope, str) or any(
            fnmatch.fnmatchcase(scope.lower(), g.lower()) for g in config["allowedScopes"]):
        yield passed(path="scope")
        return
    principal = res.props.get("principalId")
    if config["allowedPrincipals"]:
        if contains_unknown(principal):
            yield unknown(f"{res.name}: principalId is not known during preview", path="principalId")
            return
        if isinstance(principal, str) and principal.lower() in {p.lower() for p in config["allowedPrincipals"]}:
            yield passed(path="scope")
            return
    yield failed(f"{res.name}: scope grants {role.name}, which {role.reach}, at {wide} scope, so the principal "
                 "reaches every vault under it; assign it on the vault (or one secret or key) instead", path="scope")


def _native(guid: str, scope: Any, principal: Any = PRINCIPAL_ID) -> Mapping[str, Any]:
    return {"principalId": principal, "principalType": "ServicePrincipal", "roleDefinitionId": role_definition(guid),
            "scope": scope}


RULE = Rule(
    name="azure-role-assignment-secrets-scoped",
    title="Roles that read Key Vault secrets or use its keys are assigned on a vault",
    description="A role assignment of a built-in role that reads Key Vault secrets or uses its keys (Key Vault "
                "Administrator, Secrets Officer, Secrets User, Crypto Officer, Crypto User, Crypto Service "
                "Encryption User, Data Access Administrator, Owner, User Access Administrator) is scoped to a vault "
                "or an object in it, not to a resource group, subscription, management group or the tenant root, "
                "unless config allows that scope or principal.",
    severity="high",
    enforcement="mandatory",
    kind="resource",
    check=check_role_assignment,
    resource_types=frozenset(ROLE_ASSIGNMENTS),
    remediation="Set scope to the vault's id (vault.id, or a secret's or key's id) on "
                "azure_native.authorization.RoleAssignment or azure.authorization.Assignment; or list a deliberate "
                "wide grant in allowedScopes or allowedPrincipals.",
    url="https://learn.microsoft.com/azure/key-vault/general/rbac-guide#best-practices-for-individual-keys-secrets-and-certificates-role-assignments",
    controls={"nist-800-53-r5": ["AC-6", "AC-3"], "pci-dss-v4.0.1": ["7.2.2"], "pci-dss-v4.0": ["7.2.2"]},
    config_schema={
        "allowedScopes": {"type": "array", "items": {"type": "string"}, "default": [],
                          "description": "Scope globs (e.g. /subscriptions/*/resourceGroups/rg-secrets) where a "
                                         "wide grant of these roles is accepted."},
        "allowedPrincipals": {"type": "array", "items": {"type": "string"}, "default": [],
                              "description": "Principal object ids that may hold these roles at any scope "
                                             "(a break-glass group, a platform pipeline)."},
    },
    examples=(
        Example("Secrets User on the vault, both providers", [
            R(NATIVE_ROLE_ASSIGNMENT, "native", _native(_SECRETS_USER, VAULT_ID)),
            R(CLASSIC_ROLE_ASSIGNMENT, "classic", {"principalId": PRINCIPAL_ID, "scope": f"{VAULT_ID}/secrets/openai-key",
                                                   "roleDefinitionName": "Key Vault Secrets User"})],
            {"native": "pass", "classic": "pass"}),
        Example("a role that reads no secret, at subscription scope", [
            R(NATIVE_ROLE_ASSIGNMENT, "reader", _native(_READER, SUBSCRIPTION_SCOPE))], {"reader": "pass"}),
        Example("Secrets User at resource-group and subscription scope", [
            R(NATIVE_ROLE_ASSIGNMENT, "group", _native(_SECRETS_USER, GROUP_SCOPE)),
            R(CLASSIC_ROLE_ASSIGNMENT, "subscription", {"principalId": PRINCIPAL_ID, "scope": SUBSCRIPTION_SCOPE,
                                                        "roleDefinitionName": "key vault secrets user"})],
            {"group": "fail:scope", "subscription": "fail:scope"},
                controls=("nist-800-53-r5:AC-6", "nist-800-53-r5:AC-3", "pci-dss-v4.0.1:7.2.2", "pci-dss-v4.0:7.2.2")),
        Example("Owner at a management group, and by bare id at the tenant root", [
            R(CLASSIC_ROLE_ASSIGNMENT, "mg", {"principalId": PRINCIPAL_ID, "roleDefinitionId": role_definition(_OWNER),
                                              "scope": "/providers/Microsoft.Management/managementGroups/platform"}),
            R(NATIVE_ROLE_ASSIGNMENT, "root", {"principalId": PRINCIPAL_ID, "roleDefinitionId": _OWNER, "scope": "/"})],
            {"mg": "fail:scope", "root": "fail:scope"}),
        Example("a wide grant the config allows", [
            R(NATIVE_ROLE_ASSIGNMENT, "by_scope", _native(_SECRETS_USER, GROUP_SCOPE)),
            R(NATIVE_ROLE_ASSIGNMENT, "by_principal", _native(_OWNER, SUBSCRIPTION_SCOPE, "break-glass-group"))],
            {"by_scope": "pass", "by_principal": "pass"},
            config={"allowedScopes": ["/subscriptions/*/resourcegroups/rg-ai"], "allowedPrincipals": ["break-glass-group"]}),
        Example("unknown during preview", [
            R(NATIVE_ROLE_ASSIGNMENT, "scope", _native(_SECRETS_USER, UNKNOWN)),
            R(NATIVE_ROLE_ASSIGNMENT, "role", {"principalId": PRINCIPAL_ID, "roleDefinitionId": UNKNOWN,
                                               "scope": SUBSCRIPTION_SCOPE}),
            R(NATIVE_ROLE_ASSIGNMENT, "reader_anywhere", _native(_READER, UNKNOWN))],
            {"scope": "unknown", "role": "unknown", "reader_anywhere": "pass"}),
    ),
)
