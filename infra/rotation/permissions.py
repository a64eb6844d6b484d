"""The IAM actions the rotation handler needs, for the stack's role and for the test that
compares them with the boto3 calls recorded on moto.

API Gateway authorises its REST management API by HTTP verb on a resource path, so several
operations share one action.
"""

# boto3 operation (service model name) -> IAM action it needs.
OPERATION_ACTIONS = {
    ("secretsmanager", "DescribeSecret"): "secretsmanager:DescribeSecret",
    ("secretsmanager", "GetSecretValue"): "secretsmanager:GetSecretValue",
    ("secretsmanager", "PutSecretValue"): "secretsmanager:PutSecretValue",
    ("secretsmanager", "UpdateSecretVersionStage"): "secretsmanager:UpdateSecretVersionStage",
    ("secretsmanager", "ListSecretVersionIds"): "secretsmanager:ListSecretVersionIds",
    ("apigateway", "GetApiKeys"): "apigateway:GET",
    ("apigateway", "GetApiKey"): "apigateway:GET",
    ("apigateway", "GetUsagePlanKey"): "apigateway:GET",
    ("apigateway", "CreateApiKey"): "apigateway:POST",
    ("apigateway", "CreateUsagePlanKey"): "apigateway:POST",
    ("apigateway", "UpdateApiKey"): "apigateway:PATCH",
    ("apigateway", "DeleteApiKey"): "apigateway:DELETE",
}

REQUIRED_ACTIONS = frozenset(OPERATION_ACTIONS.values())

# Not called by the handler but needed by it: Secrets Manager decrypts and encrypts the
# secret under its CMK on the function's behalf (grant under kms:ViaService). CreateApiKey
# carries tags; we understand API Gateway to authorise that as a tag write (PUT on
# /tags/<key arn>) too, which moto cannot confirm: verify on a real account.
IMPLIED_ACTIONS = frozenset({"kms:Decrypt", "kms:GenerateDataKey", "apigateway:PUT"})

# Resources each action must reach. New keys have ids nobody knows in advance, so key
# actions cannot be narrowed to one key; the usage plan and the secret can.
RESOURCE_PATTERNS = {
    "secretsmanager": ["{secret_arn}"],
    "apigateway": [
        "arn:aws:apigateway:{region}::/apikeys",
        "arn:aws:apigateway:{region}::/apikeys/*",
        "arn:aws:apigateway:{region}::/usageplans/{usage_plan_id}/keys",
        "arn:aws:apigateway:{region}::/usageplans/{usage_plan_id}/keys/*",
        "arn:aws:apigateway:{region}::/tags/*",
    ],
}


def action_for(service, operation):
    """IAM action for one boto3 call; KeyError for a call the role was not sized for."""
    return OPERATION_ACTIONS[(service, operation)]
