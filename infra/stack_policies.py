"""The stack's IAM and KMS policy documents, each granting only what its holder uses.

Builders take resolved strings (ARNs, ids) and return JSON text, so that the
program can feed them Output values through Output.all(...).apply.
"""
from __future__ import annotations

import json
from typing import List
from urllib.parse import quote


# The tag the rotation function puts on every key it creates (handler.TAG_SECRET), whose value
# is the secret's ARN; the stack tags the first key the same way.
KEY_TAG = "keyguard:secret-arn"


def _doc(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def service_trust(service: str, account: str) -> str:
    """Trust for a service principal, tied to our account so another account's resource cannot use it."""
    return _doc({"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole",
                 "Condition": {"StringEquals": {"aws:SourceAccount": account}}})


def key_policy(account: str, rotation_role_arn: str, reader_role_arn: str, region: str) -> str:
    """Root keeps kms:* (AWS's default, which stops the key from becoming unmanageable);
    the two roles may use the key only through Secrets Manager."""
    via = {"StringEquals": {"kms:ViaService": f"secretsmanager.{region}.amazonaws.com"}}
    return _doc(
        {"Sid": "AccountRootAdministers", "Effect": "Allow",
         "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "RotationFunctionEncryptsAndDecrypts", "Effect": "Allow",
         "Principal": {"AWS": rotation_role_arn}, "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
         "Resource": "*", "Condition": via},
        {"Sid": "ReaderDecrypts", "Effect": "Allow", "Principal": {"AWS": reader_role_arn},
         "Action": "kms:Decrypt", "Resource": "*", "Condition": via},
    )


def reader_policy(secret_arn: str, key_arn: str, region: str) -> str:
    return _doc(
        {"Sid": "ReadThisSecret", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
         "Resource": secret_arn},
        {"Sid": "DecryptThroughSecretsManager", "Effect": "Allow", "Action": "kms:Decrypt",
         "Resource": key_arn,
         "Condition": {"StringEquals": {"kms:ViaService": f"secretsmanager.{region}.amazonaws.com"}}},
    )


def rotation_policy(secret_arn: str, key_arn: str, plan_id: str, log_group_arn: str, region: str) -> str:
    """What infra/rotation/handler.py calls, on exactly this secret, key, plan and log group.

    New keys get fresh ids, so creating one needs the /apikeys collection, and
    reading or disabling one needs /apikeys/*; reads of API keys are narrowed by
    the tag the function puts on every key it creates.
    """
    gw = f"arn:aws:apigateway:{region}::"
    plan = f"{gw}/usageplans/{plan_id}"
    tagged = {"StringEquals": {f"aws:ResourceTag/{KEY_TAG}": secret_arn}}
    statements: List[dict] = [
        {"Sid": "RotateThisSecret", "Effect": "Allow",
         "Action": ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue",
                    "secretsmanager:ListSecretVersionIds", "secretsmanager:PutSecretValue",
                    "secretsmanager:UpdateSecretVersionStage"],
         "Resource": secret_arn},
        {"Sid": "UseThisKeyOnlyThroughSecretsManager", "Effect": "Allow",
         "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": key_arn,
         "Condition": {"StringEquals": {"kms:ViaService": f"secretsmanager.{region}.amazonaws.com"}}},
        {"Sid": "CreateKeysAndAttachThemToThisPlan", "Effect": "Allow", "Action": "apigateway:POST",
         "Resource": [f"{gw}/apikeys", f"{plan}/keys"]},
        {"Sid": "TagNewKeys", "Effect": "Allow", "Action": "apigateway:PUT",
         "Resource": f"{gw}/tags/{quote(gw + '/apikeys/', safe='')}*"},
        {"Sid": "ReadThisPlanAndItsKeys", "Effect": "Allow", "Action": "apigateway:GET",
         "Resource": [plan, f"{plan}/keys", f"{plan}/keys/*"]},
        {"Sid": "ReadOnlyKeysThisStackTagged", "Effect": "Allow", "Action": "apigateway:GET",
         "Resource": [f"{gw}/apikeys", f"{gw}/apikeys/*"], "Condition": tagged},
        {"Sid": "DisableReplacedKeys", "Effect": "Allow", "Action": "apigateway:PATCH",
         "Resource": f"{gw}/apikeys/*"},
        {"Sid": "OwnLogStreams", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": f"{log_group_arn}:*"},
    ]
    return _doc(*statements)
