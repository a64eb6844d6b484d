"""An application stack on top of a shared one: the key ARN and the secret's ARN come from
the shared stack, so they are not known here (nor in `pulumi preview` before the shared stack
exists)."""
import json

import pulumi
import pulumi_aws as aws

shared = pulumi.StackReference("acme/shared/prod")
key_arn = shared.require_output("keyArn")
secret_arn = shared.get_output("apiKeySecretArn")

role = aws.iam.Role("app", assume_role_policy=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}}],
}))
aws.iam.RolePolicy("app-read-key", role=role.id, policy=pulumi.Output.all(secret_arn, key_arn).apply(
    lambda a: json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": a[0]},
        {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": a[1]},
    ]})))
aws.secretsmanager.Secret("app-settings", kms_key_id=key_arn, recovery_window_in_days=7)
pulumi.export("role", role.arn)
