"""Secret sprawl: secret material copied where it is stored or shown in plaintext."""
from __future__ import annotations

import json
from typing import Any, Iterable, List, Mapping, Optional

from ..examples import API_KEY_VALUE, SECRET_ARN, SHA256, UUID, Example, R
from ..model import UNKNOWN, Outcome, Resource, Stack, failed, passed, unknown
from ..secrets import UNMARKED_SECRET_OUTPUTS, SecretIndex
from ..secrets.judging import judge_value
from ..types import API_KEY, FUNCTION, RANDOM_PASSWORD, STAGE, USAGE_PLAN_KEY
from ..types import SSM_PARAMETER as PARAMETER
from .base import Rule

_GITHUB = "ghp_" + "r8Xk2LmQ9vT4yW7zB1nC3dF5gH6jK0pS2uV4"


def check_lambda_env(stack: Stack, config: Mapping[str, Any]) -> Iterable[Outcome]:
    index = SecretIndex(stack)
    for fn in stack.of_type(FUNCTION):
        env = fn.props.get("environment")
        variables = env.get("variables") if isinstance(env, Mapping) else env
        yield from judge_value(stack, index, fn, "environment", variables, "environment.variables",
                          "environment variable",
                          "pass the secret's ARN instead and read it with secretsmanager:GetSecretValue")


def _fn(variables: Any, **kw: Any) -> R:
    return R(FUNCTION, "fn", {"runtime": "python3.12", "environment": {"variables": variables}}, **kw)


LAMBDA_ENVIRONMENT_NO_SECRETS = Rule(
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
    resource_types=frozenset({FUNCTION}),
    remediation="Put the secret in Secrets Manager, pass its ARN in the environment (e.g. API_KEY_SECRET_ARN), "
                "grant the function secretsmanager:GetSecretValue on that ARN, and read it at run time.",
    url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html",
    controls={"nist-800-53-r5": ["IA-5(7)", "SC-28"], "pci-dss-v4.0": ["8.6.2", "8.3.2"]},
    primary_framework="nist-800-53-r5",
    examples=(
        Example("only the secret's ARN", [_fn({"API_KEY_SECRET_ARN": SECRET_ARN}), R(API_KEY, "key", {"value": API_KEY_VALUE})],
                {"fn": "pass"}),
        Example("the API key itself (export)", [_fn({"API_KEY": API_KEY_VALUE}), R(API_KEY, "key", {"value": API_KEY_VALUE})],
                {"fn": "fail:environment.variables.API_KEY"}),
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
    ),
)


def check_ssm_secure(stack: Stack, config: Mapping[str, Any]) -> Iterable[Outcome]:
    index = SecretIndex(stack)
    for param in stack.of_type(PARAMETER):
        kind = param.props.get("type")
        if kind == "SecureString":
            yield passed(urn=param.urn, path="type")
            continue
        for prop in ("value", "insecureValue"):
            value = param.props.get(prop)
            if value is None:
                continue
            outcomes = list(judge_value(stack, index, param, prop, value, prop, "parameter",
                                   "set type=\"SecureString\" with a customer-managed key_id, or store an ARN"))
            for o in outcomes:
                if o.status.value == "fail" and kind is UNKNOWN:
                    yield unknown(f"{param.name}: {prop} carries secret material and type is not known during "
                                  "preview", urn=param.urn, path="type")
                else:
                    yield o
        if param.props.get("value") is None and param.props.get("insecureValue") is None:
            yield passed(urn=param.urn)


def _param(kind: Any, value: Any, name: str = "p", **kw: Any) -> R:
    return R(PARAMETER, name, {"type": kind, "value": value}, **kw)


SSM_PARAMETER_SECURE_STRING = Rule(
    name="ssm-parameter-secure-string",
    title="SSM parameters that carry secrets are SecureStrings",
    description="An aws.ssm.Parameter whose value carries secret material must have type SecureString, so that "
                "Parameter Store encrypts it with KMS; String and StringList values are stored and shown in "
                "plaintext.",
    severity="high",
    enforcement="mandatory",
    kind="stack",
    check=check_ssm_secure,
    resource_types=frozenset({PARAMETER}),
    remediation="Set type=\"SecureString\" (and key_id to a customer-managed KMS key) on the aws.ssm.Parameter, "
                "or store the secret in Secrets Manager and put its ARN in the parameter.",
    url="https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-securestring.html",
    controls={"nist-800-53-r5": ["SC-28", "SC-28(1)"], "pci-dss-v4.0": ["8.3.2"]},
    primary_framework="nist-800-53-r5",
    examples=(
        Example("SecureString holding the key", [_param("SecureString", API_KEY_VALUE), R(API_KEY, "key", {"value": API_KEY_VALUE})],
                {"p": "pass"}),
        Example("String holding the key", [_param("String", API_KEY_VALUE), R(API_KEY, "key", {"value": API_KEY_VALUE})],
                {"p": "fail:value"}),
        Example("String holding a JSON document with the key",
                [_param("String", json.dumps({"apiKey": API_KEY_VALUE})), R(API_KEY, "key", {"value": API_KEY_VALUE})],
                {"p": "fail:value"}),
        Example("String holding a secret ARN", [_param("String", SECRET_ARN)], {"p": "pass"}),
        Example("String holding a sha256 digest", [_param("String", SHA256)], {"p": "pass"}),
        Example("type unknown during preview, value is the key",
                [_param(UNKNOWN, API_KEY_VALUE), R(API_KEY, "key", {"value": API_KEY_VALUE})], {"p": "unknown"}),
        Example("String computed from a RandomPassword (preview)",
                [_param("String", UNKNOWN, property_dependencies={"value": [f"{RANDOM_PASSWORD}::pw"]}),
                 R(RANDOM_PASSWORD, "pw", {"result": UNKNOWN})],
                {"p": "unknown"}),
    ),
)


def check_stage_variables(stack: Stack, config: Mapping[str, Any]) -> Iterable[Outcome]:
    index = SecretIndex(stack)
    for stage in stack.of_type(STAGE):
        yield from judge_value(stack, index, stage, "variables", stage.props.get("variables"), "variables",
                          "stage variable", "stage variables are plaintext configuration; keep secrets in "
                          "Secrets Manager and let the integration read them")


APIGATEWAY_STAGE_VARIABLES_NO_SECRETS = Rule(
    name="apigateway-stage-variables-no-secrets",
    title="API Gateway stage variables carry no secrets",
    description="No aws.apigateway.Stage variable may carry secret material: stage variables are plaintext "
                "configuration that anyone with apigateway:GET on the stage can read.",
    severity="critical",
    enforcement="mandatory",
    kind="stack",
    check=check_stage_variables,
    resource_types=frozenset({STAGE}),
    remediation="Remove the secret from the stage's variables; have the integration (a Lambda function or an "
                "authorizer) read it from Secrets Manager by ARN.",
    url="https://docs.aws.amazon.com/apigateway/latest/developerguide/stage-variables.html",
    controls={"nist-800-53-r5": ["IA-5(7)", "SC-28"], "pci-dss-v4.0": ["8.6.2", "8.3.2"]},
    primary_framework="nist-800-53-r5",
    examples=(
        Example("plain configuration", [R(STAGE, "st", {"variables": {"lambdaAlias": "live", "region": "us-east-1"}})],
                {"st": "pass"}),
        Example("no variables", [R(STAGE, "st", {"stageName": "v1"})], {"st": "pass"}),
        Example("the API key", [R(STAGE, "st", {"variables": {"upstreamKey": API_KEY_VALUE}}), R(API_KEY, "key", {"value": API_KEY_VALUE})],
                {"st": "fail:variables.upstreamKey"}),
        Example("a random-looking value under a secret-like name",
                [R(STAGE, "st", {"variables": {"partnerToken": "Zq8Lr2Vx5Ny1Tb7Wm3Kc9Hd4"}})], {"st": "fail:variables.partnerToken"}),
        Example("a UUID under a secret-like name is an id, not a secret",
                [R(STAGE, "st", {"variables": {"apiToken": UUID}})], {"st": "pass"}),
        Example("unknown during preview without dependency",
                [R(STAGE, "st", {"variables": {"upstreamKey": UNKNOWN}})], {"st": "unknown"}),
    ),
)


def _add_opts(props: List[str]) -> str:
    return "opts=pulumi.ResourceOptions(additional_secret_outputs=[" + ", ".join(f'"{p}"' for p in props) + "])"


def check_state_outputs(res: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
    listed = set(res.additional_secret_outputs)
    missing: List[str] = []
    undecided: Optional[str] = None
    for prop, computed in UNMARKED_SECRET_OUTPUTS.get(res.type, ()):
        if prop in listed:
            continue
        value = res.props.get(prop)
        if value is None and not computed:
            continue
        if res.type == PARAMETER:
            kind = res.props.get("type")
            if kind is UNKNOWN:
                undecided = prop
                continue
            if kind != "SecureString":
                continue
        missing.append(prop)
    if missing:
        yield failed(f"{res.name}: output {', '.join(missing)} holds secret material that pulumi-aws does not mark "
                     f"secret, so the state stores it in plaintext; add {_add_opts(sorted(listed | set(missing)))}",
                     path=missing[0])
    elif undecided:
        yield unknown(f"type is not known during preview, so whether {undecided} holds a SecureString is open",
                      path="type")
    else:
        yield passed()


STATE_SECRET_OUTPUTS_ENCRYPTED = Rule(
    name="state-secret-outputs-encrypted",
    title="Secret outputs are encrypted in the state",
    description="Some provider outputs hold secret material without being marked secret, so Pulumi writes them "
                "to the state in plaintext: aws.apigateway.UsagePlanKey.value is the API key itself (ApiKey.value "
                "is marked, this copy is not). Such a resource must list the output in additional_secret_outputs.",
    severity="high",
    enforcement="mandatory",
    kind="resource",
    check=check_state_outputs,
    resource_types=frozenset(UNMARKED_SECRET_OUTPUTS),
    remediation="Add opts=pulumi.ResourceOptions(additional_secret_outputs=[...]) with the outputs the message "
                "names, e.g. [\"value\"] on every aws.apigateway.UsagePlanKey.",
    url="https://www.pulumi.com/docs/iac/concepts/options/additionalsecretoutputs/",
    controls={"nist-800-53-r5": ["SC-28", "SC-28(1)"], "pci-dss-v4.0": ["8.3.2"]},
    primary_framework="nist-800-53-r5",
    examples=(
        Example("usage plan key with value listed",
                [R(USAGE_PLAN_KEY, "att", {"keyId": "k", "usagePlanId": "p", "keyType": "API_KEY"},
                   additional_secret_outputs=["value"])],
                {"att": "pass"}),
        Example("usage plan key without options (preview: value not yet computed)",
                [R(USAGE_PLAN_KEY, "att", {"keyId": UNKNOWN, "usagePlanId": UNKNOWN, "keyType": "API_KEY"})],
                {"att": "fail:value"}),
        Example("usage plan key in plaintext in an export",
                [R(USAGE_PLAN_KEY, "att", {"keyId": "k", "usagePlanId": "p", "value": API_KEY_VALUE})], {"att": "fail:value"}),
        Example("SecureString kept in insecureValue",
                [R(PARAMETER, "p", {"type": "SecureString", "insecureValue": "x"})], {"p": "fail:insecureValue"}),
        Example("String in insecureValue is plain configuration",
                [R(PARAMETER, "p", {"type": "String", "insecureValue": "x"})], {"p": "pass"}),
        Example("parameter type unknown during preview",
                [R(PARAMETER, "p", {"type": UNKNOWN, "insecureValue": "x"})], {"p": "unknown"}),
        Example("BGP peer: AWS generates the auth key when none is given",
                [R("aws:directconnect/bgpPeer:BgpPeer", "bgp", {"asn": 65000})], {"bgp": "fail:bgpAuthKey"}),
    ),
)
