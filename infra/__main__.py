"""The minimal stack keyguard gates: one API Gateway key, kept and rotated in Secrets Manager.

Read docs/stack.md for what each resource is for. Every guardrail of the pack
holds here; tests/stack/ breaks them one at a time and checks the pack notices.
"""
import json
import os

import pulumi
import pulumi_aws as aws

import stack_policies as docs

cfg = pulumi.Config()
region = pulumi.Config("aws").get("region") or "us-east-1"
rotation_days = cfg.get_int("rotationDays") or 30
recovery_days = cfg.get_int("recoveryWindowDays")
recovery_days = 30 if recovery_days is None else recovery_days
quota_limit = cfg.get_int("quotaLimit") or 10000
quota_period = cfg.get("quotaPeriod") or "DAY"
rate_limit = cfg.get_float("throttleRateLimit") or 10.0
burst_limit = cfg.get_int("throttleBurstLimit") or 20

prefix = f"{pulumi.get_project()}-{pulumi.get_stack()}"
account = aws.get_caller_identity_output().account_id
function_name = f"{prefix}-rotate"

# --- Roles first, without permissions: the key policy names them, and their policies name the key.
rotation_role = aws.iam.Role("rotation-role", assume_role_policy=account.apply(
    lambda a: docs.service_trust("lambda.amazonaws.com", a)))
reader_role = aws.iam.Role("reader-role", assume_role_policy=account.apply(
    lambda a: docs.service_trust("lambda.amazonaws.com", a)))

key = aws.kms.Key(
    "secret-key",
    description=f"{prefix}: encrypts the API key secret",
    enable_key_rotation=True,
    deletion_window_in_days=30,
    policy=pulumi.Output.all(account, rotation_role.arn, reader_role.arn).apply(
        lambda a: docs.key_policy(a[0], a[1], a[2], region)),
)

# --- The secret that will hold the key, under the CMK. It comes first because every key,
# the first one included, is tagged with its ARN: the rotation role reads only such keys.
secret = aws.secretsmanager.Secret(
    "api-key-secret", description=f"{prefix}: API Gateway key, rotated by {function_name}",
    kms_key_id=key.arn, recovery_window_in_days=recovery_days)

# --- The API, its key and the usage plan that throttles it.
api = aws.apigateway.RestApi("api", description=f"{prefix}: API guarded by a rotated key")
method = aws.apigateway.Method("health-get", rest_api=api.id, resource_id=api.root_resource_id,
                               http_method="GET", authorization="NONE", api_key_required=True)
integration = aws.apigateway.Integration(
    "health-mock", rest_api=api.id, resource_id=api.root_resource_id, http_method=method.http_method,
    type="MOCK", request_templates={"application/json": '{"statusCode": 200}'})
deployment = aws.apigateway.Deployment("deployment", rest_api=api.id,
                                       opts=pulumi.ResourceOptions(depends_on=[method, integration]))
api_key = aws.apigateway.ApiKey(
    "api-key", description=f"{prefix}: first key; the rotation function replaces it",
    tags={docs.KEY_TAG: secret.arn},
    # After the first rotation the function owns the key's state.
    opts=pulumi.ResourceOptions(ignore_changes=["enabled"]))
stage = aws.apigateway.Stage("stage", rest_api=api.id, deployment=deployment.id, stage_name="v1")

plan = aws.apigateway.UsagePlan(
    "usage-plan",
    api_stages=[aws.apigateway.UsagePlanApiStageArgs(api_id=api.id, stage=stage.stage_name)],
    throttle_settings=aws.apigateway.UsagePlanThrottleSettingsArgs(rate_limit=rate_limit,
                                                                   burst_limit=burst_limit),
    quota_settings=aws.apigateway.UsagePlanQuotaSettingsArgs(limit=quota_limit, period=quota_period),
)
plan_key = aws.apigateway.UsagePlanKey(
    "usage-plan-key", key_id=api_key.id, key_type="API_KEY", usage_plan_id=plan.id,
    # Its `value` output is the API key, which the provider does not mark secret.
    opts=pulumi.ResourceOptions(additional_secret_outputs=["value"]))

# --- The key's first value in the secret.
secret_version = aws.secretsmanager.SecretVersion(
    "api-key-secret-version", secret_id=secret.id,
    secret_string=pulumi.Output.all(api_key.id, api_key.value, plan.id, api_key.created_date).apply(
        lambda a: json.dumps({"apiKeyId": a[0], "value": a[1], "usagePlanId": a[2], "createdAt": a[3]})),
    # Rotation writes new versions; a later `pulumi up` must not put the first key back.
    # Rotation also moves the version's staging labels.
    opts=pulumi.ResourceOptions(ignore_changes=["secret_string", "version_stages"]))

# --- Permissions, now that every ARN exists.
pulumi.export("readerRoleArn", reader_role.arn)
aws.iam.RolePolicy("reader-policy", role=reader_role.id, policy=pulumi.Output.all(secret.arn, key.arn).apply(
    lambda a: docs.reader_policy(a[0], a[1], region)))

log_group = aws.cloudwatch.LogGroup("rotation-logs", name=f"/aws/lambda/{function_name}",
                                    retention_in_days=90)
rotation_policy = aws.iam.RolePolicy(
    "rotation-policy", role=rotation_role.id,
    policy=pulumi.Output.all(secret.arn, key.arn, plan.id, log_group.arn).apply(
        lambda a: docs.rotation_policy(a[0], a[1], a[2], a[3], region)))

# --- The rotation function (infra/rotation/handler.py) and its schedule.
rotation_fn = aws.lambda_.Function(
    "rotation-function", name=function_name, runtime="python3.12", handler="handler.handler",
    code=pulumi.FileArchive(os.path.join(os.path.dirname(os.path.abspath(__file__)), "rotation")),
    role=rotation_role.arn, timeout=30,
    # No key material and no switches: the function reads the key from the secret, keeps the
    # previous key enabled for one period, and never deletes keys (DELETE_DISABLED_KEYS unset).
    opts=pulumi.ResourceOptions(depends_on=[log_group, rotation_policy]))
invoke_permission = aws.lambda_.Permission(
    "rotation-invoke", function=rotation_fn.name, action="lambda:InvokeFunction",
    principal="secretsmanager.amazonaws.com", source_arn=secret.arn)
aws.secretsmanager.SecretRotation(
    "api-key-rotation", secret_id=secret.id, rotation_lambda_arn=rotation_fn.arn,
    rotation_rules=aws.secretsmanager.SecretRotationRotationRulesArgs(automatically_after_days=rotation_days),
    # Secrets Manager rotates once at once: the first version and the permission must exist.
    opts=pulumi.ResourceOptions(depends_on=[secret_version, invoke_permission]))

pulumi.export("secretArn", secret.arn)
pulumi.export("kmsKeyArn", key.arn)
pulumi.export("rotationFunctionName", rotation_fn.name)
pulumi.export("usagePlanId", plan.id)
pulumi.export("restApiId", api.id)
