"""lambda-environment-no-secrets: lambda environment variables carry no secrets."""
from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

from ..examples import API_KEY_VALUE, SECRET_ARN, SHA256, UUID, Example, R
from ..model import UNKNOWN, Outcome, Stack
from ..secrets import stack_secrets
from ..secrets.index import SCAN_LIMIT_SCHEMA
from ..secrets.judging import judge_value
from ..tokens.aws import API_KEY, FUNCTION, RDS_INSTANCE
from .base import Rule

_DB_PASSWORD = "db-Pw-0x7"  # short: found exactly, or as a URL's password
_GITHUB = "ghp_" + "r8Xk2LmQ9vT4yW7zB1nC3dF5gH6jK0pS2uV4"


def check_lambda_env(stack: Stack, config: Mapping[str, Any]) -> Iterable[Outcome]:
    index = stack_secrets(stack)
    for fn in stack.of_type(FUNCTION):
        env = fn.props.get("environment")
        variables = env.get("variables") if isinstance(env, Mapping) else env
        yield from judge_value(stack, index, fn, "environment", variables, "environment.variables",
                          "environment variable",
                          "pass the secret's ARN instead and read it with secretsmanager:GetSecretValue", config)


def _fn(variables: Any, name: str = "fn", **kw: Any) -> R:
    return R(FUNCTION, name, {"runtime": "python3.12", "environment": {"variables": variables}}, **kw)


RULE = Rule(
    name="lambda-environment-no-secrets",
    title="Lambda environment variables carry no secrets",
    description="No aws.lambda.Function environment variable may carry secret material: a value of a "
                "secret-bearing attribute of the stack (also inside a URL or JSON), a well-known credential "
                "format, or a random-looking value under a secret-like name. Anyone with "
                "lambda:GetFunctionConfiguration reads environment variables in plaintext.",
    severity="critical",
    enforcement="mandatory",
    kind="stack",
    check=check_lambda_env,
    config_schema=SCAN_LIMIT_SCHEMA,
    resource_types=frozenset({FUNCTION}),
    remediation="Put the secret in Secrets Manager, pass its ARN in the environment (e.g. API_KEY_SECRET_ARN), "
                "grant the function secretsmanager:GetSecretValue on that ARN, and read it at run time.",
    url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html",
    controls={"nist-800-53-r5": ["IA-5(7)", "SC-28"],
              "pci-dss-v4.0.1": ["8.6.2", "8.3.2"],
              "pci-dss-v4.0": ["8.6.2", "8.3.2"]},
    examples=(
        Example("only the secret's ARN", [_fn({"API_KEY_SECRET_ARN": SECRET_ARN}), R(API_KEY, "key", {"value": API_KEY_VALUE})],
                {"fn": "pass"}),
        Example("the API key itself (export)", [_fn({"API_KEY": API_KEY_VALUE}), R(API_KEY, "key", {"value": API_KEY_VALUE})],
                {"fn": "fail:environment.variables.API_KEY"},
                controls=("nist-800-53-r5:IA-5(7)", "nist-800-53-r5:SC-28", "pci-dss-v4.0.1:8.6.2",
                          "pci-dss-v4.0.1:8.3.2", "pci-dss-v4.0:8.6.2", "pci-dss-v4.0:8.3.2")),
        Example("the API key inside a URL",
                [_fn({"UPSTREAM": f"https://api.example.com/v1?key={API_KEY_VALUE}"}), R(API_KEY, "key", {"value": API_KEY_VALUE})],
                {"fn": "fail:environment.variables.UPSTREAM"}),
        Example("the API key inside JSON",
                [_fn({"CONFIG": json.dumps({"headers": {"x-api-key": API_KEY_VALUE}})}), R(API_KEY, "key", {"value": API_KEY_VALUE})],
                {"fn": "fail:environment.variables.CONFIG"}),
        Example("a GitHub token", [_fn({"GH": _GITHUB})], {"fn": "fail:environment.variables.GH"}),
        Example("false-positive guards: UUID, sha256, URL without credentials",
                [_fn({"REQUEST_ID": UUID, "MODEL_SHA256": SHA256, "ENDPOINT": "https://api.example.com/v1",
                      "SECRET_ARN": SECRET_ARN})],
                {"fn": "pass"}),
        Example("computed from a secret-bearing resource (preview)",
                [_fn({"API_KEY": UNKNOWN}, property_dependencies={"environment": [f"{API_KEY}::key"]}),
                 R(API_KEY, "key", {"value": UNKNOWN})],
                {"fn": "unknown"}),
        Example("computed only from a secret's ARN (preview)",
                [_fn({"API_KEY_SECRET_ARN": UNKNOWN},
                     property_dependencies={"environment": ["aws:secretsmanager/secret:Secret::s"]}),
                 R("aws:secretsmanager/secret:Secret", "s", {"arn": UNKNOWN})],
                {"fn": "pass"}),
        Example("several functions: a database URL, JSON, guards and no environment",
                [R(API_KEY, "key", {"value": API_KEY_VALUE}), R(RDS_INSTANCE, "db", {"password": _DB_PASSWORD}),
                 _fn({"API_KEY_SECRET_ARN": SECRET_ARN, "DIGEST": SHA256, "RUN": UUID}, "clean"),
                 _fn({"DSN": f"postgres://app:{_DB_PASSWORD}@db:5432/app"}, "url"),
                 _fn({"CFG": json.dumps({"k": API_KEY_VALUE})}, "json"),
                 _fn(None, "none")],
                {"clean": "pass", "url": "fail:environment.variables.DSN", "json": "fail:environment.variables.CFG",
                 "none": "pass"}),
        Example("two leaking variables are two failures",
                [R(API_KEY, "key", {"value": API_KEY_VALUE}),
                 _fn({"A": API_KEY_VALUE, "B": f"Bearer {API_KEY_VALUE}"})],
                {"fn": ("fail:environment.variables.A", "fail:environment.variables.B")}),
    ),
)
