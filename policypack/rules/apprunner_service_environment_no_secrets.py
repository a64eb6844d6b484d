"""apprunner-service-environment-no-secrets: App Runner runtime environments carry no secrets."""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..examples import API_KEY_VALUE, SECRET_ARN, Example, R
from ..model import UNKNOWN, Outcome, Stack, get_path
from ..secrets import stack_secrets
from ..secrets.index import SCAN_LIMIT_SCHEMA
from ..secrets.judging import judge_value
from ..tokens.aws import API_KEY, APPRUNNER_SERVICE
from .base import Rule

ADVICE = "put it in Secrets Manager and name it under runtimeEnvironmentSecrets instead"
_PATHS = ("imageRepository.imageConfiguration.runtimeEnvironmentVariables",
          "codeRepository.codeConfiguration.codeConfigurationValues.runtimeEnvironmentVariables")


def check_service_environment(stack: Stack, config: Mapping[str, Any]) -> Iterable[Outcome]:
    index = stack_secrets(stack)
    for svc in stack.of_type(APPRUNNER_SERVICE):
        source = svc.props.get("sourceConfiguration")
        if source is UNKNOWN:
            value: Any = UNKNOWN
        else:
            value = {}
            for path in _PATHS:
                found = get_path(source, path) if isinstance(source, Mapping) else None
                if found is not None:
                    value[path] = found
        yield from judge_value(stack, index, svc, "sourceConfiguration", value, "sourceConfiguration",
                               "runtime environment variable", ADVICE, config)


def _service(variables: Any, **kw: Any) -> R:
    image = {"imageIdentifier": "public.ecr.aws/acme/app:1", "imageRepositoryType": "ECR_PUBLIC",
             "imageConfiguration": {"port": "8080", "runtimeEnvironmentVariables": variables,
                                    "runtimeEnvironmentSecrets": {"API_KEY": SECRET_ARN}}}
    return R(APPRUNNER_SERVICE, "svc", {"serviceName": "app", "sourceConfiguration": {"imageRepository": image}}, **kw)


RULE = Rule(
    name="apprunner-service-environment-no-secrets",
    title="App Runner runtime environments carry no secrets",
    description="No runtime environment variable of an aws.apprunner.Service (image or code configuration) may "
                "carry secret material: a value of a secret-bearing attribute of the stack, a well-known credential "
                "format, or a random-looking value under a secret-like name. Anyone with apprunner:DescribeService "
                "reads them in plaintext; runtimeEnvironmentSecrets are fetched at start instead.",
    severity="critical",
    enforcement="mandatory",
    kind="stack",
    config_schema=SCAN_LIMIT_SCHEMA,
    check=check_service_environment,
    resource_types=frozenset({APPRUNNER_SERVICE}),
    remediation="Store the secret in Secrets Manager and map it under runtime_environment_secrets (name -> secret "
                "ARN); give the instance role secretsmanager:GetSecretValue on that ARN.",
    url="https://docs.aws.amazon.com/apprunner/latest/dg/env-variable.html",
    controls={"nist-800-53-r5": ["IA-5(7)", "SC-28"],
              "pci-dss-v4.0.1": ["8.6.2", "8.3.2"],
              "pci-dss-v4.0": ["8.6.2", "8.3.2"]},
    examples=(
        Example("plain settings, the secret by reference", [_service({"LOG_LEVEL": "info"})], {"svc": "pass"}),
        Example("the API key itself", [_service({"API_KEY": API_KEY_VALUE}), R(API_KEY, "key", {"value": API_KEY_VALUE})],
                {"svc": "fail:sourceConfiguration.imageRepository.imageConfiguration.runtimeEnvironmentVariables.API_KEY"},
                controls=("nist-800-53-r5:IA-5(7)", "nist-800-53-r5:SC-28", "pci-dss-v4.0.1:8.6.2",
                          "pci-dss-v4.0.1:8.3.2", "pci-dss-v4.0:8.6.2", "pci-dss-v4.0:8.3.2")),
        Example("variables computed from the API key (preview)",
                [_service(UNKNOWN, property_dependencies={"sourceConfiguration": [f"{API_KEY}::key"]}),
                 R(API_KEY, "key", {"value": UNKNOWN})],
                {"svc": "unknown"}),
    ),
)
