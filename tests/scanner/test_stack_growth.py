"""Stack rules do work in proportion to the stack, not its square: a test of growth, not of time.

Every line a stack rule executes (its own, the index's, the secret index's and the
linking helpers') is counted for a stack of n services and for one of 2n. Linear
work at most doubles; linking each resource by walking all the others would
quadruple. The count is the same on any machine, so this stays green under load.
"""
import base64
import json
import sys

import pytest

from policypack.config import resolve
from policypack.model import STACK_TYPE, UNKNOWN, Stack
from policypack.registry import RULES
from policypack.tokens import azure as az
from policypack.tokens.aws import (API_KEY, APPRUNNER_SERVICE, BATCH_JOB_DEFINITION, ECS_TASK_DEFINITION, FUNCTION,
                              PERMISSION, ROTATION, SECRET, SECRET_VERSION, SSM_PARAMETER, STAGE, USAGE_PLAN,
                              USAGE_PLAN_KEY)
from policypack.tokens.aws_ai import SAGEMAKER_MODEL, SAGEMAKER_NOTEBOOK_LIFECYCLE
from policypack.tokens.gcp import CLOUDRUNV2_SERVICE

from tests.builders import resource, urn

STACK_RULES = [r for r in RULES if r.kind == "stack"]
ACCOUNT = "111122223333"


def _urn(rtype, name):
    return urn(rtype, name, stack="prod", project="growth")


def _res(rtype, name, props, rid=None, deps=None):
    return resource(rtype, name, props, stack="prod", project="growth", id=rid, deps=deps)


def _service(i):
    """One service: half linked by values (an export), half by property dependencies (a preview)."""
    by_dep = i % 2 == 1
    secret_arn = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:s{i}-AbCdEf"
    fn_arn = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:rotate-{i}"
    key_value = f"kG7xP2mQ9vR4tY8wZ1aB3cD5eF{i:08d}"
    secret = _res(SECRET, f"secret-{i}", {"arn": secret_arn, "name": f"s{i}"}, rid=secret_arn)
    fn = _res(FUNCTION, f"rotate-{i}", {"arn": fn_arn, "name": f"rotate-{i}",
                                        "environment": {"variables": {"SECRET_ARN": secret_arn}}}, rid=f"rotate-{i}")
    key = _res(API_KEY, f"key-{i}", {"value": key_value, "enabled": True}, rid=f"k{i}")
    plan = _res(USAGE_PLAN, f"plan-{i}", {"throttleSettings": {"rateLimit": 10}, "quotaSettings": {"limit": 100}},
                rid=f"p{i}")
    if by_dep:
        rotation = _res(ROTATION, f"rotation-{i}", {"secretId": UNKNOWN, "rotationLambdaArn": UNKNOWN},
                        deps={"secretId": [secret.urn], "rotationLambdaArn": [fn.urn]})
        permission = _res(PERMISSION, f"allow-{i}", {"function": UNKNOWN, "principal": "secretsmanager.amazonaws.com",
                                                     "action": "lambda:InvokeFunction", "sourceArn": UNKNOWN},
                          deps={"function": [fn.urn], "sourceArn": [secret.urn]})
        attachment = _res(USAGE_PLAN_KEY, f"att-{i}", {"keyId": UNKNOWN, "usagePlanId": UNKNOWN},
                          deps={"keyId": [key.urn], "usagePlanId": [plan.urn]})
        version = _res(SECRET_VERSION, f"version-{i}", {"secretString": UNKNOWN}, deps={"secretString": [key.urn]})
    else:
        rotation = _res(ROTATION, f"rotation-{i}", {"secretId": secret_arn, "rotationLambdaArn": fn_arn})
        permission = _res(PERMISSION, f"allow-{i}", {"function": f"rotate-{i}", "sourceArn": secret_arn,
                                                     "principal": "secretsmanager.amazonaws.com",
                                                     "action": "lambda:InvokeFunction"})
        attachment = _res(USAGE_PLAN_KEY, f"att-{i}", {"keyId": f"k{i}", "usagePlanId": f"p{i}"})
        version = _res(SECRET_VERSION, f"version-{i}", {"secretString": json.dumps({"value": key_value})})
    param = _res(SSM_PARAMETER, f"param-{i}", {"type": "String", "value": secret_arn})
    stage = _res(STAGE, f"stage-{i}", {"variables": {"alias": "live", "secretArn": secret_arn}})
    env = [{"name": "SECRET_ARN", "value": secret_arn}]
    task = _res(ECS_TASK_DEFINITION, f"task-{i}", {"family": f"svc{i}", "containerDefinitions": json.dumps(
        [{"name": "app", "image": "app:1", "environment": env}])})
    job = _res(BATCH_JOB_DEFINITION, f"job-{i}", {"type": "container", "containerProperties": json.dumps(
        {"image": "app:1", "environment": env})})
    runner = _res(APPRUNNER_SERVICE, f"runner-{i}", {"serviceName": f"svc{i}", "sourceConfiguration": {
        "imageRepository": {"imageIdentifier": "public.ecr.aws/acme/app:1", "imageRepositoryType": "ECR_PUBLIC",
                            "imageConfiguration": {"runtimeEnvironmentVariables": {"SECRET_ARN": secret_arn}}}}})
    cloud_run = _res(CLOUDRUNV2_SERVICE, f"run-{i}", {"location": "us-central1", "template": {"containers": [
        {"image": "app:1", "envs": [{"name": "SECRET", "valueSource": {"secretKeyRef": {"secret": f"s{i}"}}},
                                    {"name": "SECRET_ARN", "value": secret_arn}]}]}})
    # Issue 20: an AI service's model container and notebook start-up script, both reading the secret's ARN.
    model = _res(SAGEMAKER_MODEL, f"model-{i}", {"primaryContainer": {"image": "app:1", "environment": {
        "HF_MODEL_ID": "meta-llama/Llama-3.1-8B-Instruct", "HF_TOKEN_SECRET_ARN": secret_arn}}})
    script = base64.b64encode(f"export TOKEN_SECRET_ARN={secret_arn}\n".encode()).decode()
    lifecycle = _res(SAGEMAKER_NOTEBOOK_LIFECYCLE, f"lifecycle-{i}", {"onStart": script})
    return [secret, fn, key, plan, rotation, permission, attachment, version, param, stage, task, job, runner,
            cloud_run, *_azure_service(i, by_dep), model, lifecycle]


def _azure_service(i, by_dep):
    """The same service on Azure: a storage account's key, and apps that read it through Key Vault."""
    storage = _res(az.CLASSIC_STORAGE_ACCOUNT, f"st-{i}",
                   {"primaryAccessKey": UNKNOWN if by_dep else f"Xq3t9Lk2Vb7Pz4Rn8Ws1Yd6Fh0Jm5Cg{i:08d}=="})
    reference = f"@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/s{i})"
    web = _res(az.NATIVE_WEB_APP, f"web-{i}", {"siteConfig": {"appSettings": [
        {"name": "STORAGE_KEY", "value": reference}, {"name": "ENDPOINT", "value": f"https://svc{i}.example.com"}]}})
    app = _res(az.NATIVE_CONTAINER_APP, f"ca-{i}", {"template": {"containers": [{"name": "api", "env": [
        {"name": "STORAGE_KEY", "secretRef": "storage-key"}, {"name": "REGION", "value": "westeurope"}]}]}})
    return [storage, web, app]


def _stack(services):
    resources = [r for i in range(services) for r in _service(i)]
    root = _res(STACK_TYPE, "growth-prod", {"secretArns": [r.props["arn"] for r in resources[:40]
                                                           if r.type == SECRET]})
    return Stack((root, *resources))


def _work(stack, rule):
    """Lines executed by one stack rule over `stack`, and the index look-ups it made."""
    settings = resolve([rule], None)[rule.name]
    lines = 0

    def tracer(frame, event, arg):
        nonlocal lines
        if event == "line":
            lines += 1
        return tracer

    before = stack.index.lookups
    sys.settrace(tracer)
    try:
        outcomes = list(rule.check(stack, settings.config))
    finally:
        sys.settrace(None)
    return lines, stack.index.lookups - before, outcomes


@pytest.mark.parametrize("rule", STACK_RULES, ids=[r.name for r in STACK_RULES])
def test_stack_rule_work_at_most_doubles_when_the_stack_doubles(rule):
    n = 25
    # First-use work (lazy imports, compiled sourceArn patterns) is not growth: warm every
    # cache with the larger stack, then count both.
    _work(_stack(2 * n), rule)
    lines_n, lookups_n, outcomes_n = _work(_stack(n), rule)
    lines_2n, lookups_2n, outcomes_2n = _work(_stack(2 * n), rule)
    assert outcomes_n, "the rule judged nothing: the stack does not exercise it"
    assert len(outcomes_2n) >= len(outcomes_n)
    assert lines_2n <= 2 * lines_n, f"{rule.name}: {lines_n} lines for {n} services, {lines_2n} for {2 * n}"
    assert lookups_2n <= 2 * lookups_n


def test_the_growth_stack_links_what_it_should():
    """The stack above is judged as intended, so the counts measure real linking work."""
    stack = _stack(4)
    results = {}
    for rule in STACK_RULES:
        settings = resolve([rule], None)[rule.name]
        for o in rule.check(stack, settings.config):
            results.setdefault(rule.name, set()).add(o.status.value)
    assert results["secretsmanager-secret-rotation-enabled"] == {"pass"}
    assert results["secretsmanager-rotation-lambda-invocable"] == {"pass"}
    assert results["apigateway-api-key-usage-plan"] == {"pass"}
    assert results["apigateway-api-key-stored-in-secret"] == {"pass"}
    assert results["gcp-runtime-env-no-secrets"] == {"pass"}
