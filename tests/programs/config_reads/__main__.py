"""The key is read with require (plain), not require_secret, and put in a Lambda variable."""
import json

import pulumi
import pulumi_aws as aws

config = pulumi.Config()
api_key = config.require("openaiApiKey")
model = config.get("model") or "gpt-4o-mini"

role = aws.iam.Role("fn", assume_role_policy=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
aws.lambda_.Function("chat", runtime="python3.12", handler="app.handler", role=role.arn,
                     code=pulumi.AssetArchive({}),
                     environment={"variables": {"OPENAI_API_KEY": api_key, "MODEL": model}})
# Kept as it should be: pulumi-aws marks Parameter.value secret, so the state encrypts it
# however the program read it (no note for this one).
aws.ssm.Parameter("openai-key", type="SecureString", value=api_key)
