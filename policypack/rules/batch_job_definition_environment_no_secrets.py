"""batch-job-definition-environment-no-secrets: container environments of Batch jobs carry no secrets."""
from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Mapping

from ..examples import API_KEY_VALUE, SECRET_ARN, Example, R
from ..model import UNKNOWN, Outcome, Stack
from ..secrets import stack_secrets
from ..secrets.index import SCAN_LIMIT_SCHEMA
from ..secrets.judging import json_value, judge_value, name_value_map, undecided_outcome
from ..tokens.aws import API_KEY, BATCH_JOB_DEFINITION
from .base import Rule

ADVICE = "put it in Secrets Manager and name it under the container's secrets (valueFrom) instead"


class _Undecided(Exception):
    pass


def _items(value: Any) -> List[Any]:
    if value is UNKNOWN:
        raise _Undecided()
    return [v for v in value if v is UNKNOWN or isinstance(v, Mapping)] if isinstance(value, list) else []


def _envs(container: Any, key: str) -> Any:
    return UNKNOWN if container is UNKNOWN else {key: name_value_map(container.get(key))}


def _containers(props: Mapping[str, Any]) -> Any:
    """Every container environment of a job definition, by where it sits; UNKNOWN when a
    document or list that holds them is unknown."""
    out: Dict[str, Any] = {}
    try:
        single = json_value(props.get("containerProperties"))
        if single is UNKNOWN:
            raise _Undecided()
        if isinstance(single, Mapping):
            out["containerProperties"] = _envs(single, "environment")
        ecs = json_value(props.get("ecsProperties"))
        if ecs is UNKNOWN:
            raise _Undecided()
        if isinstance(ecs, Mapping):
            out["ecsProperties"] = {"taskProperties": [
                UNKNOWN if t is UNKNOWN else {"containers": [_envs(c, "environment") for c in _items(t.get("containers"))]}
                for t in _items(ecs.get("taskProperties"))]}
        eks = props.get("eksProperties")
        pod = UNKNOWN if eks is UNKNOWN else eks.get("podProperties") if isinstance(eks, Mapping) else None
        if pod is UNKNOWN:
            raise _Undecided()
        if isinstance(pod, Mapping):
            out["eksProperties"] = {"podProperties": {"containers": [_envs(c, "envs")
                                                                     for c in _items(pod.get("containers"))]}}
    except _Undecided:
        return UNKNOWN
    return out


def check_job_environment(stack: Stack, config: Mapping[str, Any]) -> Iterable[Outcome]:
    index = stack_secrets(stack)
    for job in stack.of_type(BATCH_JOB_DEFINITION):
        value = _containers(job.props)
        if value is UNKNOWN:
            yield undecided_outcome(stack, job, "containerProperties", ["containerProperties"],
                                    "container environment")
            continue
        yield from judge_value(stack, index, job, "containerProperties", value, "", "container environment variable",
                               ADVICE, config)


def _job(environment: Any, **kw: Any) -> R:
    props = environment if environment is UNKNOWN else json.dumps(
        {"image": "jobs:1", "environment": environment, "secrets": [{"name": "TOKEN", "valueFrom": SECRET_ARN}]})
    return R(BATCH_JOB_DEFINITION, "job", {"type": "container", "containerProperties": props}, **kw)


RULE = Rule(
    name="batch-job-definition-environment-no-secrets",
    title="Batch container environments carry no secrets",
    description="No environment entry of a container in an aws.batch.JobDefinition (containerProperties, "
                "ecsProperties or eksProperties) may carry secret material: a value of a secret-bearing attribute of "
                "the stack, a well-known credential format, or a random-looking value under a secret-like name. "
                "Anyone with batch:DescribeJobDefinitions reads the environment in plaintext.",
    severity="critical",
    enforcement="mandatory",
    kind="stack",
    config_schema=SCAN_LIMIT_SCHEMA,
    check=check_job_environment,
    resource_types=frozenset({BATCH_JOB_DEFINITION}),
    remediation="Store the secret in Secrets Manager and reference it from the container's secrets list "
                "({\"name\": \"TOKEN\", \"valueFrom\": <secret ARN>}); grant the execution role "
                "secretsmanager:GetSecretValue on that ARN.",
    url="https://docs.aws.amazon.com/batch/latest/userguide/specifying-sensitive-data-secrets.html",
    controls={"nist-800-53-r5": ["IA-5(7)", "SC-28"],
              "pci-dss-v4.0.1": ["8.6.2", "8.3.2"],
              "pci-dss-v4.0": ["8.6.2", "8.3.2"]},
    examples=(
        Example("plain settings", [_job([{"name": "QUEUE", "value": "jobs"}])], {"job": "pass"}),
        Example("the API key itself in the environment",
                [_job([{"name": "API_KEY", "value": API_KEY_VALUE}]), R(API_KEY, "key", {"value": API_KEY_VALUE})],
                {"job": "fail:containerProperties.environment.API_KEY"},
                controls=("nist-800-53-r5:IA-5(7)", "nist-800-53-r5:SC-28", "pci-dss-v4.0.1:8.6.2",
                          "pci-dss-v4.0.1:8.3.2", "pci-dss-v4.0:8.6.2", "pci-dss-v4.0:8.3.2")),
        Example("an EKS pod's env carries a GitHub token",
                [R(BATCH_JOB_DEFINITION, "job", {"type": "container", "eksProperties": {"podProperties": {
                    "containers": [{"image": "jobs:1",
                                    "envs": [{"name": "GH", "value": "ghp_" + "r8Xk2LmQ9vT4yW7zB1nC3dF5gH6jK0pS2uV4"}]}]}}})],
                {"job": "fail:eksProperties.podProperties.containers[0].envs.GH"}),
        Example("container properties computed from the API key (preview)",
                [_job(UNKNOWN, property_dependencies={"containerProperties": [f"{API_KEY}::key"]}),
                 R(API_KEY, "key", {"value": UNKNOWN})],
                {"job": "unknown"}),
    ),
)
