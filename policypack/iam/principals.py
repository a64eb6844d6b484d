"""Who a resource-based or trust statement lets in."""
from __future__ import annotations

import re
from typing import List, Optional

from .document import Statement

_ACCOUNT = re.compile(r"^\d{12}$")
# Web identity providers AWS names without an IAM OIDC provider ARN.
WEB_IDENTITY_PROVIDERS = frozenset({
    "cognito-identity.amazonaws.com", "accounts.google.com", "graph.facebook.com", "www.amazon.com",
})
GITHUB_OIDC = "token.actions.githubusercontent.com"


def is_public(principal: str) -> bool:
    """`*`, or an ARN with a wildcard account (arn:aws:iam::*:root)."""
    if principal == "*":
        return True
    acct = account_of(principal)
    return acct is not None and "*" in acct


def account_of(principal: str) -> Optional[str]:
    """The account an AWS principal belongs to: a bare id, or the account field of its ARN."""
    if _ACCOUNT.match(principal):
        return principal
    parts = principal.split(":", 5)
    if len(parts) == 6 and parts[0] == "arn" and parts[2] in ("iam", "sts"):
        return parts[4]
    return None


def aws_principals(stmt: Statement) -> List[str]:
    return list(stmt.principals.get("AWS", ())) + list(stmt.principals.get("*", ()))


def public_principals(stmt: Statement) -> List[str]:
    """Principals of an Allow that admit anyone; NotPrincipal admits everyone else."""
    found = [p for p in aws_principals(stmt) if is_public(p)]
    if stmt.not_principals:
        found.append("NotPrincipal")
    return found


def oidc_host(federated: str) -> Optional[str]:
    """The issuer host whose `aud`/`sub` condition keys IAM evaluates, or None for SAML."""
    if federated in WEB_IDENTITY_PROVIDERS:
        return federated
    parts = federated.split(":", 5)
    if len(parts) == 6 and parts[5].startswith("oidc-provider/"):
        return parts[5][len("oidc-provider/"):]
    return None
