"""A service whose settings come from stack configuration: a plain value it requires, a
structured value, a default from Pulumi.yaml, and an encrypted upstream token."""
import json

import pulumi
import pulumi_aws as aws

cfg = pulumi.Config()
env = cfg.require("environment")
admins = cfg.require_object("keyAdmins")
retention = cfg.get_int("logRetentionDays") or 7
token = cfg.require_secret("upstreamToken")

key = aws.kms.Key(f"{env}-key", description=f"{env}: {', '.join(admins)}", enable_key_rotation=True,
                  deletion_window_in_days=30)
logs = aws.cloudwatch.LogGroup(f"{env}-logs", retention_in_days=retention, kms_key_id=key.arn)
secret = aws.secretsmanager.Secret(f"{env}-upstream", kms_key_id=key.arn, recovery_window_in_days=7)
aws.secretsmanager.SecretVersion(f"{env}-upstream", secret_id=secret.id, secret_string=token)

code = pulumi.AssetArchive({"app.py": pulumi.StringAsset("def handler(e, c):\n    return None\n")})
aws.lambda_.Function(
    f"{env}-caller", role=f"arn:aws:iam::111122223333:role/{env}-caller", runtime="python3.12",
    handler="app.handler", code=code,
    environment=aws.lambda_.FunctionEnvironmentArgs(variables={
        "UPSTREAM_SECRET_ARN": secret.arn,
        "SETTINGS": pulumi.Output.all(env, retention).apply(lambda a: json.dumps({"env": a[0], "days": a[1]})),
    }),
)
# The token itself in an environment is what lambda-environment-no-secrets exists for; the
# value is encrypted in the stack file, so keyguard can only say that it cannot decide.
aws.lambda_.Function(
    f"{env}-legacy-caller", role=f"arn:aws:iam::111122223333:role/{env}-caller", runtime="python3.12",
    handler="app.handler", code=code,
    environment=aws.lambda_.FunctionEnvironmentArgs(variables={"UPSTREAM_TOKEN": token}),
)
pulumi.export("secret", secret.arn)
