"""ssm-parameter-secure-string: sSM parameters that carry secrets are SecureStrings."""
from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

from ..examples import API_KEY_VALUE, SECRET_ARN, SHA256, Example, R
from ..model import UNKNOWN, Outcome, Stack, passed, unknown
from ..secrets import stack_secrets
from ..secrets.index import SCAN_LIMIT_SCHEMA
from ..secrets.judging import judge_value
from ..tokens.aws import API_KEY, RDS_INSTANCE
from ..tokens.common import RANDOM_PASSWORD
from ..tokens.aws import SSM_PARAMETER as PARAMETER
from .base import Rule


def check_ssm_secure(stack: Stack, config: Mapping[str, Any]) -> Iterable[Outcome]:
    index = stack_secrets(stack)
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
                                   "set type=\"SecureString\" with a customer-managed key_id, or store an ARN", config))
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


RULE = Rule(
    name="ssm-parameter-secure-string",
    title="SSM parameters that carry secrets are SecureStrings",
    description="An aws.ssm.Parameter whose value carries secret material must have type SecureString, so that "
                "Parameter Store encrypts it with KMS; String and StringList values are stored and shown in "
                "plaintext.",
    severity="high",
    enforcement="mandatory",
    kind="stack",
    check=check_ssm_secure,
    config_schema=SCAN_LIMIT_SCHEMA,
    resource_types=frozenset({PARAMETER}),
    remediation="Set type=\"SecureString\" (and key_id to a customer-managed KMS key) on the aws.ssm.Parameter, "
                "or store the secret in Secrets Manager and put its ARN in the parameter.",
    url="https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-securestring.html",
    controls={"nist-800-53-r5": ["SC-28", "SC-28(1)"], "pci-dss-v4.0.1": ["8.3.2"], "pci-dss-v4.0": ["8.3.2"]},
    examples=(
        Example("SecureString holding the key", [_param("SecureString", API_KEY_VALUE), R(API_KEY, "key", {"value": API_KEY_VALUE})],
                {"p": "pass"}),
        Example("String holding the key", [_param("String", API_KEY_VALUE), R(API_KEY, "key", {"value": API_KEY_VALUE})],
                {"p": "fail:value"},
                controls=("nist-800-53-r5:SC-28", "nist-800-53-r5:SC-28(1)", "pci-dss-v4.0.1:8.3.2",
                          "pci-dss-v4.0:8.3.2")),
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
        Example("String with the key in a URL, StringList, SecureString and plain configuration",
                [R(API_KEY, "key", {"value": API_KEY_VALUE}),
                 _param("String", f"https://api.example.com/?api_key={API_KEY_VALUE}", "url"),
                 _param("StringList", f"a,{API_KEY_VALUE},b", "list"),
                 _param("SecureString", API_KEY_VALUE, "ok"), _param("String", "us-east-1", "cfg")],
                {"url": "fail:value", "list": "fail:value", "ok": "pass", "cfg": "pass"}),
        Example("insecureValue holding a database password",
                [R(RDS_INSTANCE, "db", {"password": "rds-password-0123456"}),
                 R(PARAMETER, "p", {"type": "String", "insecureValue": "rds-password-0123456"})],
                {"p": "fail:insecureValue"}),
    ),
)
