"""apigateway-stage-variables-no-secrets: aPI Gateway stage variables carry no secrets."""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..examples import API_KEY_VALUE, SECRET_ARN, UUID, Example, R
from ..model import UNKNOWN, Outcome, Stack
from ..secrets import stack_secrets
from ..secrets.index import SCAN_LIMIT_SCHEMA
from ..secrets.judging import judge_value
from ..tokens.aws import API_KEY, FUNCTION, STAGE
from .base import Rule


def check_stage_variables(stack: Stack, config: Mapping[str, Any]) -> Iterable[Outcome]:
    index = stack_secrets(stack)
    for stage in stack.of_type(STAGE):
        yield from judge_value(stack, index, stage, "variables", stage.props.get("variables"), "variables",
                          "stage variable", "stage variables are plaintext configuration; keep secrets in "
                          "Secrets Manager and let the integration read them", config)


RULE = Rule(
    name="apigateway-stage-variables-no-secrets",
    title="API Gateway stage variables carry no secrets",
    description="No aws.apigateway.Stage variable may carry secret material: stage variables are plaintext "
                "configuration that anyone with apigateway:GET on the stage can read.",
    severity="critical",
    enforcement="mandatory",
    kind="stack",
    check=check_stage_variables,
    config_schema=SCAN_LIMIT_SCHEMA,
    resource_types=frozenset({STAGE}),
    remediation="Remove the secret from the stage's variables; have the integration (a Lambda function or an "
                "authorizer) read it from Secrets Manager by ARN.",
    url="https://docs.aws.amazon.com/apigateway/latest/developerguide/stage-variables.html",
    controls={"nist-800-53-r5": ["IA-5(7)", "SC-28"],
              "pci-dss-v4.0.1": ["8.6.2", "8.3.2"],
              "pci-dss-v4.0": ["8.6.2", "8.3.2"]},
    examples=(
        Example("plain configuration", [R(STAGE, "st", {"variables": {"lambdaAlias": "live", "region": "us-east-1"}})],
                {"st": "pass"}),
        Example("no variables", [R(STAGE, "st", {"stageName": "v1"})], {"st": "pass"}),
        Example("the API key", [R(STAGE, "st", {"variables": {"upstreamKey": API_KEY_VALUE}}), R(API_KEY, "key", {"value": API_KEY_VALUE})],
                {"st": "fail:variables.upstreamKey"},
                controls=("nist-800-53-r5:IA-5(7)", "nist-800-53-r5:SC-28", "pci-dss-v4.0.1:8.6.2",
                          "pci-dss-v4.0.1:8.3.2", "pci-dss-v4.0:8.6.2", "pci-dss-v4.0:8.3.2")),
        Example("a random-looking value under a secret-like name",
                [R(STAGE, "st", {"variables": {"partnerToken": "Zq8Lr2Vx5Ny1Tb7Wm3Kc9Hd4"}})], {"st": "fail:variables.partnerToken"}),
        Example("a UUID under a secret-like name is an id, not a secret",
                [R(STAGE, "st", {"variables": {"apiToken": UUID}})], {"st": "pass"}),
        Example("unknown during preview without dependency",
                [R(STAGE, "st", {"variables": {"upstreamKey": UNKNOWN}})], {"st": "unknown"}),
        Example("the key in a URL, next to an ARN and a UUID",
                [R(API_KEY, "key", {"value": API_KEY_VALUE}),
                 R(STAGE, "leak", {"variables": {"backend": f"https://b.example.com/x?key={API_KEY_VALUE}"}}),
                 R(STAGE, "ok", {"variables": {"secretArn": SECRET_ARN, "requestToken": UUID}})],
                {"leak": "fail:variables.backend", "ok": "pass"}),
        Example("preview: computed from a resource that holds no secret",
                [R(STAGE, "st", {"variables": {"fnName": UNKNOWN}},
                   property_dependencies={"variables": [f"{FUNCTION}::fn"]}),
                 R(FUNCTION, "fn", {"arn": UNKNOWN})],
                {"st": "pass"}),
    ),
)
