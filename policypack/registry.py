"""Every rule keyguard ships, listed explicitly: the order is the order of reports."""
from __future__ import annotations

from typing import Dict, List

from .rules.base import Rule
from .rules.iam import NO_ADMIN_WILDCARD
from .rules.kms import KEY_ROTATION_ENABLED
from .rules.secretsmanager import ROTATION_PERIOD, SECRET_KMS_CMK, SECRET_ROTATION_ENABLED
from .rules.stack import STACK_EXPORTS_NO_SECRETS

RULES: List[Rule] = [
    SECRET_KMS_CMK,
    SECRET_ROTATION_ENABLED,
    ROTATION_PERIOD,
    KEY_ROTATION_ENABLED,
    NO_ADMIN_WILDCARD,
    STACK_EXPORTS_NO_SECRETS,
]

BY_NAME: Dict[str, Rule] = {r.name: r for r in RULES}
assert len(BY_NAME) == len(RULES), "duplicate policy names"

PACK_NAME = "keyguard"
