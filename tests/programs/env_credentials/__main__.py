"""Keys read from the environment (never from Pulumi config): keyguard hands the program a
placeholder for each and judges where it goes."""
import json
import os

import pulumi
import pulumi_aws as aws

openai_key = os.environ["OPENAI_API_KEY"]        # would be a KeyError without the placeholder
hf_token = os.getenv("HF_TOKEN")                 # would be None
owner = os.environ["USER"]                       # an ordinary variable: passed through

# Stored properly: the key goes into Secrets Manager, the function gets the ARN.
secret = aws.secretsmanager.Secret("openai", name="openai-api-key")
aws.secretsmanager.SecretVersion("openai", secret_id=secret.id, secret_string=json.dumps({"apiKey": openai_key}))

role = aws.iam.Role("fn", assume_role_policy=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))

# Leaked: the key itself in a Lambda variable, and the token in a model container.
aws.lambda_.Function(
    "chat", runtime="python3.12", handler="app.handler", role=role.arn, code=pulumi.AssetArchive({}),
    environment={"variables": {"OPENAI_API_KEY": openai_key, "KEY_SECRET_ARN": secret.arn}},
    tags={"owner": owner})
aws.sagemaker.Model(
    "llm", execution_role_arn=role.arn,
    primary_container={"image": "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.3",
                       "environment": {"HF_MODEL_ID": "meta-llama/Llama-3.1-8B-Instruct", "HF_TOKEN": hf_token}})
