import pulumi
import pulumi_aws as aws

# Create an API Key using AWS API Gateway
api_key = aws.apigateway.ApiKey("myApiKey",
    description="My API Key for AI Model Deployment",
    enabled=True)

# Store the generated API key in AWS Secrets Manager.
# We use the API Key's value attribute which contains the generated key.
secret = aws.secretsmanager.Secret("myApiSecret",
    description="Secret for my API Key")

secret_version = aws.secretsmanager.SecretVersion("myApiSecretVersion",
    secret_id=secret.id,
    secret_string=api_key.value)

# Output the ARN of the secret storing the API Key
# This ARN can be used to reference the secret in your application and deployment pipelines
# while maintaining the security of not exposing the API Key itself.
pulumi.export('api_key_secret_arn', secret.arn)
