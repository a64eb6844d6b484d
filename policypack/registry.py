"""Every rule keyguard ships, listed explicitly: the order is the order of reports."""
from __future__ import annotations

from typing import Dict, List

from .rules.base import Rule
from .rules.iam import NO_ADMIN_WILDCARD
from .rules.iam_attachments import NO_ADMIN_MANAGED_POLICY, NO_USER_POLICIES
from .rules.iam_document import DOCUMENT_VALID
from .rules.iam_identity import NO_NOT_ACTION, NO_SERVICE_WILDCARD, RESOURCE_SCOPED, SENSITIVE_ACTIONS_SCOPED
from .rules.iam_risk import NO_CREDENTIALS_EXPOSURE, NO_DATA_EXFILTRATION, NO_PRIVILEGE_ESCALATION
from .rules.iam_trust import TRUST_RESTRICTED
from .rules.kms import KEY_ROTATION_ENABLED
from .rules.secretsmanager import ROTATION_PERIOD, SECRET_KMS_CMK, SECRET_ROTATION_ENABLED
from .rules.kms_policy import KMS_KEY_NO_LOCKOUT_BYPASS, KMS_KEY_POLICY_NO_PUBLIC_PRINCIPAL
from .rules.secret_policy import SECRET_POLICY_NO_PUBLIC_PRINCIPAL
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
]

BY_NAME: Dict[str, Rule] = {r.name: r for r in RULES}
assert len(BY_NAME) == len(RULES), "duplicate policy names"

PACK_NAME = "keyguard"
