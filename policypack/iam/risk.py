"""Risk categories of IAM actions: cloudsplaining's lists, expanded against the action database.

cloudsplaining maintains the privilege-escalation combinations (Rhino Security
Labs' methods and the pathfinding.cloud additions), the read actions that
exfiltrate data, and the actions whose responses carry credentials. Its package
is imported on first use only; importing it installs a stdout log handler, which
would write into the engine's channel, so that handler is removed.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Dict, FrozenSet, Iterable, List, Tuple

from .actions import expand_all

# Actions that read secret material or use a key to decrypt (before wildcard expansion).
SENSITIVE_ACTIONS: Tuple[str, ...] = (
    "secretsmanager:GetSecretValue",
    "secretsmanager:BatchGetSecretValue",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:GenerateDataKey*",
    "ssm:GetParameter*",
    "apigateway:GET",
)
# apigateway:GET reads API keys (with their values) only under /apikeys.
APIGATEWAY_GET = "apigateway:get"


@lru_cache(maxsize=1)
def _constants():
    import cloudsplaining.shared.constants as c  # heavy-ish: loaded on first use only

    log = logging.getLogger("cloudsplaining")
    for h in list(log.handlers):
        if isinstance(h, logging.StreamHandler):
            log.removeHandler(h)
    return c


@lru_cache(maxsize=1)
def escalation_methods() -> Dict[str, FrozenSet[str]]:
    """Method name -> the lower-case actions that together allow it."""
    return {name: frozenset(a.lower() for a in acts)
            for name, acts in _constants().PRIVILEGE_ESCALATION_METHODS.items()}


def escalations(actions: Iterable[str]) -> List[Tuple[str, FrozenSet[str]]]:
    have = frozenset(actions)
    return [(name, need) for name, need in escalation_methods().items() if need <= have]


@lru_cache(maxsize=1)
def exfiltration_actions() -> FrozenSet[str]:
    return expand_all(_constants().READ_ONLY_DATA_EXFILTRATION_ACTIONS)


@lru_cache(maxsize=1)
def credentials_actions() -> FrozenSet[str]:
    return expand_all(_constants().ACTIONS_THAT_RETURN_CREDENTIALS)


def sensitive_actions(extra: Tuple[str, ...] = ()) -> FrozenSet[str]:
    return expand_all(SENSITIVE_ACTIONS + tuple(extra))
