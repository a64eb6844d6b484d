"""Every rule keyguard ships, listed explicitly: the order is the order of reports."""
from __future__ import annotations

from typing import Dict, List

from .rules.base import Rule
from .rules.apikeys import API_KEY_GENERATED, API_KEY_STORED_IN_SECRET, API_KEY_USAGE_PLAN
from .rules.iam import NO_ADMIN_WILDCARD
from .rules.kms import KEY_ROTATION_ENABLED
from .rules.lifecycle import KEY_DELETION_WINDOW, ROTATION_LAMBDA_INVOCABLE, SECRET_RECOVERY_WINDOW
from .rules.secretsmanager import ROTATION_PERIOD, SECRET_KMS_CMK, SECRET_ROTATION_ENABLED
from .rules.sprawl import (APIGATEWAY_STAGE_VARIABLES_NO_SECRETS, LAMBDA_ENVIRONMENT_NO_SECRETS,
                           SSM_PARAMETER_SECURE_STRING, STATE_SECRET_OUTPUTS_ENCRYPTED)
from .rules.stack import STACK_EXPORTS_NO_SECRETS

RULES: List[Rule] = [
    SECRET_KMS_CMK,
    SECRET_ROTATION_ENABLED,
    ROTATION_PERIOD,
    KEY_ROTATION_ENABLED,
    NO_ADMIN_WILDCARD,
    STACK_EXPORTS_NO_SECRETS,
    # Secret lifecycle, API-key hygiene and secret sprawl (issue 4).
    KEY_DELETION_WINDOW,
    SECRET_RECOVERY_WINDOW,
    ROTATION_LAMBDA_INVOCABLE,
    API_KEY_GENERATED,
    API_KEY_STORED_IN_SECRET,
    API_KEY_USAGE_PLAN,
    LAMBDA_ENVIRONMENT_NO_SECRETS,
    SSM_PARAMETER_SECURE_STRING,
    APIGATEWAY_STAGE_VARIABLES_NO_SECRETS,
    STATE_SECRET_OUTPUTS_ENCRYPTED,
]

BY_NAME: Dict[str, Rule] = {r.name: r for r in RULES}
assert len(BY_NAME) == len(RULES), "duplicate policy names"

PACK_NAME = "keyguard"
