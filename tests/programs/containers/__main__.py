"""Containers on ECS, Batch and App Runner. Each passes its settings in the environment and its
secret by reference, except where noted: the ECS worker also gets the CI user's secret access
key in plain environment, which is the defect."""
import json

import pulumi
import pulumi_aws as aws

key = aws.kms.Key("app", enable_key_rotation=True, deletion_window_in_days=30)
token = aws.secretsmanager.Secret("upstream-token", kms_key_id=key.arn, recovery_window_in_days=7)
ci = aws.iam.AccessKey("ci", user="ci-bot")
queue = aws.sqs.Queue("jobs")

aws.ecs.TaskDefinition(
    "worker", family="worker", requires_compatibilities=["FARGATE"], network_mode="awsvpc", cpu="256", memory="512",
    container_definitions=pulumi.Output.all(queue.url, token.arn, ci.id, ci.secret).apply(lambda a: json.dumps([{
        "name": "worker", "image": "public.ecr.aws/acme/worker:1", "essential": True,
        "environment": [{"name": "QUEUE_URL", "value": a[0]},
                        {"name": "AWS_ACCESS_KEY_ID", "value": a[2]},
                        {"name": "AWS_SECRET_ACCESS_KEY", "value": a[3]}],  # the defect
        "secrets": [{"name": "UPSTREAM_TOKEN", "valueFrom": a[1]}],
    }])))

aws.batch.JobDefinition(
    "nightly", type="container",
    container_properties=token.arn.apply(lambda arn: json.dumps({
        "image": "public.ecr.aws/acme/nightly:1",
        "resourceRequirements": [{"type": "VCPU", "value": "1"}, {"type": "MEMORY", "value": "2048"}],
        "environment": [{"name": "MODE", "value": "full"}],
        "secrets": [{"name": "UPSTREAM_TOKEN", "valueFrom": arn}],
    })))

aws.apprunner.Service(
    "web", service_name="web",
    source_configuration=aws.apprunner.ServiceSourceConfigurationArgs(
        auto_deployments_enabled=False,
        image_repository=aws.apprunner.ServiceSourceConfigurationImageRepositoryArgs(
            image_identifier="public.ecr.aws/acme/web:1", image_repository_type="ECR_PUBLIC",
            image_configuration=aws.apprunner.ServiceSourceConfigurationImageRepositoryImageConfigurationArgs(
                port="8080",
                runtime_environment_variables={"QUEUE_URL": queue.url, "LOG_LEVEL": "info"},
                runtime_environment_secrets={"UPSTREAM_TOKEN": token.arn}))))
