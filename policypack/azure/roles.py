"""Built-in Azure roles that read Key Vault secrets or use its keys, and how wide a scope is.

Data, with its source: the role ids are the built-in role definitions' names (GUIDs), the
same in every tenant. The eight Key Vault data-plane roles are exactly those that the
built-in "Key Vault Data Access Administrator" role's ABAC condition enumerates
(Microsoft Learn, "Azure built-in roles for Security", checked against the role JSON of
2023-12-11); Owner and User Access Administrator are the ids Prowler names in
prowler/providers/azure/config.py. Key Vault Reader and Certificates Officer are left out:
the first sees metadata only, the second manages certificates, not secret values.
"""
from __future__ import annotations

import re
from typing import Any, Mapping, NamedTuple, Optional


class Role(NamedTuple):
    id: str
    name: str
    reach: str  # what the role gives over Key Vault data, in the words a message uses


SECRET_ROLES: Mapping[str, Role] = {r.id: r for r in (
    Role("00482a5a-887f-4fb3-b363-3b7fe8e74483", "Key Vault Administrator", "reads secrets and uses keys"),
    Role("b86a8fe4-44ce-4948-aee5-eccb2c155cd7", "Key Vault Secrets Officer", "reads and writes secrets"),
    Role("4633458b-17de-408a-b874-0445c86b69e6", "Key Vault Secrets User", "reads secrets"),
    Role("14b46e9e-c2b7-41b4-b07b-48a6ebf60603", "Key Vault Crypto Officer", "manages and uses keys"),
    Role("12338af0-0e69-4776-bea7-57ae8d297424", "Key Vault Crypto User", "uses keys"),
    Role("e147488a-f6f5-4113-8e2d-b22465e65bf6", "Key Vault Crypto Service Encryption User", "wraps and unwraps with keys"),
    Role("8b54135c-b56d-4d72-a534-26097cfdc8d8", "Key Vault Data Access Administrator",
         "grants the roles that read secrets"),
    Role("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner", "reads secrets and uses keys, and grants both"),
    Role("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "User Access Administrator", "grants itself any role"),
)}
_BY_NAME = {r.name.lower(): r for r in SECRET_ROLES.values()}

_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def secret_role(definition: Any) -> Optional[Role]:
    """The secret-reaching built-in role a role definition id (bare GUID or a full
    `/.../providers/Microsoft.Authorization/roleDefinitions/<guid>`) or role name names, if any."""
    if not isinstance(definition, str):
        return None
    text = definition.strip().rstrip("/")
    last = text.rsplit("/", 1)[-1]
    if _GUID.fullmatch(last):
        return SECRET_ROLES.get(last.lower())
    return _BY_NAME.get(text.lower())


_SCOPES = (
    ("tenant root", re.compile(r"/?", re.IGNORECASE)),
    ("management group", re.compile(r"/providers/Microsoft\.Management/managementGroups/[^/]+/?", re.IGNORECASE)),
    ("subscription", re.compile(r"/subscriptions/[^/]+/?", re.IGNORECASE)),
    ("resource group", re.compile(r"/subscriptions/[^/]+/resourceGroups/[^/]+/?", re.IGNORECASE)),
)


def wide_scope(scope: str) -> Optional[str]:
    """What a scope wider than one resource is ("subscription", "resource group", ...), or
    None for a resource (a vault, a secret) or anything below one."""
    text = scope.strip()
    for what, pattern in _SCOPES:
        if pattern.fullmatch(text):
            return what
    return None
