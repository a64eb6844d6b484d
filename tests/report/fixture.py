"""A fixed small stack and its results: the input of every golden report.

It holds a failing and a passing resource for several policies, one value
unknown during preview, a waived violation, and a secret value that must never
reach a report. The results and the report come from a named set of rules, so a
policy added to the pack does not rewrite the golden files.
"""
import dataclasses
import json

from policypack.evaluate import evaluate
from policypack.model import UNKNOWN, Resource, Status
from policypack.registry import BY_NAME

from tests.builders import resource, urn

PLANTED_SECRET = "sk-live-51HxQeVJ2eZvKYlo2C8xM4t7N0pQrStUvWxYz0123"
KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _urn(rtype: str, name: str) -> str:
    return urn(rtype, name, stack="prod", project="payments")


def _res(rtype: str, name: str, props, **kw) -> Resource:
    return resource(rtype, name, props, stack="prod", project="payments", **kw)


def _doc(action, resource="*"):
    return json.dumps({"Version": "2012-10-17",
                       "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]})


RESOURCES = [
    _res("aws:kms/key:Key", "data-key", {"enableKeyRotation": True, "deletionWindowInDays": 30}),
    _res("aws:kms/key:Key", "legacy-key", {"enableKeyRotation": False, "deletionWindowInDays": 7}),
    _res("aws:secretsmanager/secret:Secret", "db-password", {"kmsKeyId": KEY_ARN, "recoveryWindowInDays": 30}),
    _res("aws:secretsmanager/secret:Secret", "preview-secret", {"kmsKeyId": UNKNOWN}),
    _res("aws:iam/policy:Policy", "admin", {"policy": _doc("*")}),
    _res("aws:iam/policy:Policy", "reader", {"policy": _doc("s3:GetObject", "arn:aws:s3:::reports/*")}),
    _res("aws:lambda/function:Function", "handler",
         {"runtime": "python3.12", "environment": {"variables": {"STRIPE_KEY": PLANTED_SECRET, "STAGE": "prod"}}}),
]

# Every policy that has something to say about RESOURCES today, by name.
GOLDEN_POLICIES = (
    "iam-policy-document-valid", "iam-policy-no-admin-wildcard", "iam-policy-no-credentials-exposure",
    "iam-policy-no-data-exfiltration", "iam-policy-no-not-action", "iam-policy-no-privilege-escalation",
    "iam-policy-no-service-wildcard", "iam-policy-resource-scoped", "iam-policy-sensitive-actions-scoped",
    "kms-key-deletion-window", "kms-key-no-lockout-bypass", "kms-key-policy-no-public-principal",
    "kms-key-rotation-enabled", "lambda-environment-no-secrets", "secretsmanager-secret-kms-cmk",
    "secretsmanager-secret-policy-no-public-principal", "secretsmanager-secret-recovery-window",
    "secretsmanager-secret-rotation-enabled", "stack-exports-no-secrets",
)
GOLDEN_RULES = [BY_NAME[name] for name in GOLDEN_POLICIES]

# The waiver inputs would mark: the admin policy's wildcard, accepted until replaced.
WAIVED = {("iam-policy-no-admin-wildcard", _urn("aws:iam/policy:Policy", "admin"))}
WAIVER = {"reason": "break-glass policy, tracked in SEC-142", "approver": "security@example.com",
          "expires": "2027-01-31"}


def results():
    out = []
    for r in evaluate(RESOURCES, GOLDEN_RULES):
        if r.status is Status.FAIL and (r.policy, r.urn) in WAIVED:
            r = dataclasses.replace(r, status=Status.WAIVED, waiver=dict(WAIVER))
        out.append(r)
    return out
