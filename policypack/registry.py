"""Every rule keyguard ships. Reports, the README table and GetAnalyzerInfo list them by name."""
from __future__ import annotations

from typing import Dict, List

from .rules.base import Rule
from .rules.apikeys import API_KEY_GENERATED, API_KEY_STORED_IN_SECRET, API_KEY_USAGE_PLAN
from .rules.iam import NO_ADMIN_WILDCARD
from .rules.iam_attachments import NO_ADMIN_MANAGED_POLICY, NO_USER_POLICIES
from .rules.iam_document import DOCUMENT_VALID
from .rules.iam_identity import NO_NOT_ACTION, NO_SERVICE_WILDCARD, RESOURCE_SCOPED, SENSITIVE_ACTIONS_SCOPED
from .rules.iam_risk import NO_CREDENTIALS_EXPOSURE, NO_DATA_EXFILTRATION, NO_PRIVILEGE_ESCALATION
from .rules.iam_trust import TRUST_RESTRICTED
from .rules.kms import KEY_ROTATION_ENABLED
from .rules.lifecycle import KEY_DELETION_WINDOW, ROTATION_LAMBDA_INVOCABLE, SECRET_RECOVERY_WINDOW
from .rules.secretsmanager import ROTATION_PERIOD, SECRET_KMS_CMK, SECRET_ROTATION_ENABLED
from .rules.kms_policy import KMS_KEY_NO_LOCKOUT_BYPASS, KMS_KEY_POLICY_NO_PUBLIC_PRINCIPAL
from .rules.secret_policy import SECRET_POLICY_NO_PUBLIC_PRINCIPAL
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
    # Least-privilege IAM (issue 3), in design.md's order.
    DOCUMENT_VALID,
    NO_SERVICE_WILDCARD,
    SENSITIVE_ACTIONS_SCOPED,
    RESOURCE_SCOPED,
    NO_PRIVILEGE_ESCALATION,
    NO_DATA_EXFILTRATION,
    NO_CREDENTIALS_EXPOSURE,
    NO_NOT_ACTION,
    NO_ADMIN_MANAGED_POLICY,
    NO_USER_POLICIES,
    TRUST_RESTRICTED,
    KMS_KEY_POLICY_NO_PUBLIC_PRINCIPAL,
    KMS_KEY_NO_LOCKOUT_BYPASS,
    SECRET_POLICY_NO_PUBLIC_PRINCIPAL,
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

RULES.sort(key=lambda r: r.name)

BY_NAME: Dict[str, Rule] = {r.name: r for r in RULES}
assert len(BY_NAME) == len(RULES), "duplicate policy names"

PACK_NAME = "keyguard"
