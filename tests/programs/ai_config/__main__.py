"""A chat service: the model name from config, the key's ARN exported; nothing else."""
import pulumi
import pulumi_aws as aws

config = pulumi.Config()
model = config.get("model") or "gpt-4o-mini"
secret = aws.secretsmanager.Secret("openai-key", name="openai-key")
pulumi.export("model", model)
pulumi.export("keySecretArn", secret.arn)
