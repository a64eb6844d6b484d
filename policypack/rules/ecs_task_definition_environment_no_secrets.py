"""ecs-task-definition-environment-no-secrets: container environments of ECS tasks carry no secrets."""
from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

from ..examples import API_KEY_VALUE, SECRET_ARN, UUID, Example, R
from ..model import UNKNOWN, Outcome, Stack, not_applicable
from ..secrets import stack_secrets
from ..secrets.index import SCAN_LIMIT_SCHEMA
from ..secrets.judging import json_value, judge_value, name_value_map, undecided_outcome
from ..tokens.aws import API_KEY, ECS_TASK_DEFINITION
from .base import Rule

ADVICE = "put it in Secrets Manager and name it under the container's secrets (valueFrom) instead"


def check_task_environment(stack: Stack, config: Mapping[str, Any]) -> Iterable[Outcome]:
    index = stack_secrets(stack)
    for task in stack.of_type(ECS_TASK_DEFINITION):
        containers = json_value(task.props.get("containerDefinitions"))
        if containers is UNKNOWN:
            yield undecided_outcome(stack, task, "containerDefinitions", ["containerDefinitions"],
                                    "container environment")
            continue
        if not isinstance(containers, list):
            yield not_applicable("containerDefinitions is not a JSON list of containers", urn=task.urn)
            continue
        value = [UNKNOWN if c is UNKNOWN else {"environment": name_value_map(c.get("environment"))}
                 for c in containers if c is UNKNOWN or isinstance(c, Mapping)]
        yield from judge_value(stack, index, task, "containerDefinitions", value, "containerDefinitions",
                               "container environment variable", ADVICE, config)


def _task(environment: Any, **kw: Any) -> R:
    containers = environment if environment is UNKNOWN else json.dumps(
        [{"name": "app", "image": "app:1", "environment": environment,
          "secrets": [{"name": "API_KEY", "valueFrom": SECRET_ARN}]}])
    return R(ECS_TASK_DEFINITION, "task", {"family": "app", "containerDefinitions": containers}, **kw)


RULE = Rule(
    name="ecs-task-definition-environment-no-secrets",
    title="ECS container environments carry no secrets",
    description="No environment entry of a container in an aws.ecs.TaskDefinition may carry secret material: a "
                "value of a secret-bearing attribute of the stack, a well-known credential format, or a "
                "random-looking value under a secret-like name. Anyone with ecs:DescribeTaskDefinition reads the "
                "environment in plaintext; a container's secrets (valueFrom) are fetched at start instead.",
    severity="critical",
    enforcement="mandatory",
    kind="stack",
    config_schema=SCAN_LIMIT_SCHEMA,
    check=check_task_environment,
    resource_types=frozenset({ECS_TASK_DEFINITION}),
    remediation="Store the secret in Secrets Manager (or as a SecureString parameter) and reference it from the "
                "container definition's secrets list ({\"name\": \"API_KEY\", \"valueFrom\": <secret ARN>}); grant "
                "the task execution role secretsmanager:GetSecretValue on that ARN.",
    url="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html",
    controls={"aws-fsbp": ["ECS.8"],
              "nist-800-53-r5": ["IA-5(7)", "SC-28"],
              "pci-dss-v4.0.1": ["8.6.2", "8.3.2"],
              "pci-dss-v4.0": ["8.6.2", "8.3.2"]},
    examples=(
        Example("plain settings, the secret by reference",
                [_task([{"name": "REQUEST_ID", "value": UUID}, {"name": "SECRET_ARN", "value": SECRET_ARN}])],
                {"task": "pass"}),
        Example("the API key itself in the environment",
                [_task([{"name": "API_KEY", "value": API_KEY_VALUE}]), R(API_KEY, "key", {"value": API_KEY_VALUE})],
                {"task": "fail:containerDefinitions[0].environment.API_KEY"},
                controls=("nist-800-53-r5:IA-5(7)", "nist-800-53-r5:SC-28", "pci-dss-v4.0.1:8.6.2",
                          "pci-dss-v4.0.1:8.3.2", "pci-dss-v4.0:8.6.2", "pci-dss-v4.0:8.3.2")),
        Example("an AWS secret access key", [_task([{"name": "AWS_SECRET_ACCESS_KEY",
                                                     "value": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"}])],
                {"task": "fail:containerDefinitions[0].environment.AWS_SECRET_ACCESS_KEY"},
                controls=("aws-fsbp:ECS.8",)),
        Example("container definitions computed from the API key (preview)",
                [_task(UNKNOWN, property_dependencies={"containerDefinitions": [f"{API_KEY}::key"]}),
                 R(API_KEY, "key", {"value": UNKNOWN})],
                {"task": "unknown"}),
    ),
)
