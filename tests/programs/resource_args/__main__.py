"""A small API: a Lambda behind API Gateway, wired the way most programs wire it, by passing
resource objects (role=role, function=fn, rest_api=api) rather than their ids."""
import json

import pulumi
import pulumi_aws as aws

role = aws.iam.Role(
    "handler-role",
    assume_role_policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                       "Principal": {"Service": "lambda.amazonaws.com"}}],
    }),
)
aws.iam.RolePolicyAttachment(
    "handler-logs", role=role,
    policy_arn="arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")

table = aws.dynamodb.Table(
    "items", attributes=[aws.dynamodb.TableAttributeArgs(name="id", type="S")],
    hash_key="id", billing_mode="PAY_PER_REQUEST")

aws.iam.RolePolicy(
    "handler-table-access",
    role=role,
    policy=table.arn.apply(lambda arn: json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
                       "Resource": arn}],
    })),
)

fn = aws.lambda_.Function(
    "handler",
    role=role.arn,
    runtime="python3.12",
    handler="app.handler",
    code=pulumi.AssetArchive({"app.py": pulumi.StringAsset("def handler(event, context):\n    return {}\n")}),
    environment=aws.lambda_.FunctionEnvironmentArgs(variables={"TABLE_NAME": table.name}),
)

api = aws.apigateway.RestApi("api")
resource = aws.apigateway.Resource("items", rest_api=api, parent_id=api.root_resource_id, path_part="items")
method = aws.apigateway.Method("get-items", rest_api=api, resource_id=resource.id, http_method="GET",
                               authorization="NONE")
integration = aws.apigateway.Integration("get-items", rest_api=api, resource_id=resource.id,
                                         http_method=method.http_method, integration_http_method="POST",
                                         type="AWS_PROXY", uri=fn.invoke_arn)
aws.lambda_.Permission("api-invoke", action="lambda:InvokeFunction", function=fn,
                       principal="apigateway.amazonaws.com",
                       source_arn=api.execution_arn.apply(lambda arn: f"{arn}/*/*"))
deployment = aws.apigateway.Deployment("deployment", rest_api=api,
                                       opts=pulumi.ResourceOptions(depends_on=[integration]))
stage = aws.apigateway.Stage("prod", rest_api=api, deployment=deployment, stage_name="prod")

pulumi.export("url", stage.invoke_url)
pulumi.export("table", table.name)
