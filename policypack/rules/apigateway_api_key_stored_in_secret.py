"""apigateway-api-key-stored-in-secret: aPI keys are kept in Secrets Manager."""
from __future__ import annotations

import json
from typing import Any, Iterable, List, Mapping, Set

from ..examples import API_KEY_ID, API_KEY_VALUE, USAGE_PLAN_ID, Example, R
from ..model import UNKNOWN, Outcome, Stack, failed, passed, unknown
from ..secrets import SecretIndex
from ..secrets.index import SCAN_LIMIT_SCHEMA
from ..secrets.judging import scan_limit
from ..secrets.substrings import Needles
from ..tokens.aws import API_KEY, SECRET_VERSION, SSM_PARAMETER
from .base import Rule


def check_key_stored(stack: Stack, config: Mapping[str, Any]) -> Iterable[Outcome]:
    # Each SecretVersion is read once, not once per key, so a stack with thousands of
    # keys stays linear. A version holds a key when its secretString (or secretBinary)
    # depends on the key, or its content is or carries the key's value.
    keys = list(stack.of_type(API_KEY))
    index = SecretIndex(Stack(tuple(keys)))
    limit = scan_limit(config)
    holding: Set[str] = set()
    contents: List[str] = []
    any_version = content_unknown = False
    for version in stack.of_type(SECRET_VERSION):
        any_version = True
        holding.update(urn for prop in ("secretString", "secretBinary") for urn in version.depends_on(prop))
        content = version.props.get("secretString")
        if content is None:
            content = version.props.get("secretBinary")
        if content is UNKNOWN:
            content_unknown = True
        elif isinstance(content, str):
            contents.append(content)
            # Equality with a key is checked on the whole content below; the embedded
            # forms (URL, JSON) only within the policy's scan limit.
            hit = index.match(content[:limit])
            if hit:
                holding.add(hit[1].urn)
    # The key values some version's content carries, found in one pass per content.
    needles = Needles(v for k in keys if isinstance(v := k.props.get("value"), str) and v)
    carried = set().union(*(needles.found_in(c) for c in contents)) if needles else set()
    for key in keys:
        value = key.props.get("value")
        if key.urn in holding or (isinstance(value, str) and value and value in carried):
            yield passed(urn=key.urn)
        elif any_version and (content_unknown or value is UNKNOWN):
            yield unknown(f"api key {key.name}: its value or a SecretVersion's secretString is not known and no "
                          "property dependency links them", urn=key.urn, path="value")
        else:
            yield failed(f"api key {key.name}: its value is not stored in any aws.secretsmanager.SecretVersion "
                         "of the stack", urn=key.urn, path="value")


def _json_secret(value: str) -> str:
    return json.dumps({"apiKeyId": API_KEY_ID, "value": value, "usagePlanId": USAGE_PLAN_ID,
                       "createdAt": "2026-01-01T00:00:00Z"})


RULE = Rule(
    name="apigateway-api-key-stored-in-secret",
    title="API keys are kept in Secrets Manager",
    description="Every aws.apigateway.ApiKey's value must be stored in an aws.secretsmanager.SecretVersion of the "
                "stack (linked by property dependency during preview, or by a secretString that equals or embeds "
                "the key), so that clients read it from Secrets Manager and it can be rotated.",
    severity="high",
    enforcement="mandatory",
    kind="stack",
    check=check_key_stored,
    config_schema=SCAN_LIMIT_SCHEMA,
    resource_types=frozenset({API_KEY, SECRET_VERSION}),
    remediation="Add an aws.secretsmanager.SecretVersion whose secret_string is built from the ApiKey's value "
                "(e.g. JSON with apiKeyId and value), in a secret encrypted with a customer-managed key.",
    url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/intro.html",
    controls={"nist-800-53-r5": ["IA-5", "SC-28"], "pci-dss-v4.0.1": ["8.3.2"], "pci-dss-v4.0": ["8.3.2"]},
    examples=(
        Example("stored as JSON (export)",
                [R(API_KEY, "key", {"value": API_KEY_VALUE}), R(SECRET_VERSION, "v", {"secretString": _json_secret(API_KEY_VALUE)})],
                {"key": "pass"}),
        Example("stored as the whole secret string",
                [R(API_KEY, "key", {"value": API_KEY_VALUE}), R(SECRET_VERSION, "v", {"secretString": API_KEY_VALUE})],
                {"key": "pass"}),
        Example("linked by property dependency (preview)",
                [R(API_KEY, "key", {"value": UNKNOWN}),
                 R(SECRET_VERSION, "v", {"secretString": UNKNOWN},
                   property_dependencies={"secretString": [f"{API_KEY}::key"]})],
                {"key": "pass"}),
        Example("not stored anywhere", [R(API_KEY, "key", {"value": API_KEY_VALUE})], {"key": "fail:value"},
            controls=("nist-800-53-r5:IA-5", "nist-800-53-r5:SC-28", "pci-dss-v4.0.1:8.3.2", "pci-dss-v4.0:8.3.2")),
        Example("the secret holds something else",
                [R(API_KEY, "key", {"value": API_KEY_VALUE}),
                 R(SECRET_VERSION, "v", {"secretString": _json_secret("another-key-0123456789abcdef")})],
                {"key": "fail:value"}),
        Example("secret string encrypted in the export, no dependency recorded",
                [R(API_KEY, "key", {"value": UNKNOWN}), R(SECRET_VERSION, "v", {"secretString": UNKNOWN})],
                {"key": "unknown"}),
        Example("the key in an SSM parameter is not in a SecretVersion",
                [R(API_KEY, "key", {"value": API_KEY_VALUE}),
                 R(SSM_PARAMETER, "p", {"type": "SecureString", "value": API_KEY_VALUE})],
                {"key": "fail:value"}),
        Example("preview: a dependency on another key does not count",
                [R(API_KEY, "key", {"value": UNKNOWN}), R(API_KEY, "other", {"value": UNKNOWN}),
                 R(SECRET_VERSION, "v", {"secretString": UNKNOWN},
                   property_dependencies={"secretString": [f"{API_KEY}::other"]})],
                {"key": "unknown", "other": "pass"}),
    ),
)
