"""stack-exports-no-secrets: stack outputs carry no secret material."""
from __future__ import annotations

from typing import Any, Iterable, List, Mapping, Tuple

from ..examples import Example, R
from ..model import STACK_TYPE, UNKNOWN, Outcome, Stack, failed, not_applicable, passed, unknown
from ..secrets import find, stack_secrets
from ..secrets.index import SCAN_LIMIT_SCHEMA, safe_path
from ..secrets.judging import not_examined_outcome, scan_limit
from ..azure.examples import OPENAI_KEY as _AZ_OPENAI_KEY
from ..azure.examples import STORAGE_CONNECTION as _AZ_CONNECTION
from ..tokens.aws import API_KEY, SECRET_VERSION
from ..tokens.azure import CLASSIC_STORAGE_ACCOUNT, NATIVE_SECRET
from .base import Rule

_KEY = "kG7xP2mQ9vR4tY8wZ1aB3cD5eF6gH0jK"


_PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----\n"


_AWS_ID = "AKIA" + "IOSFODNN7EXAMPLE"


_AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY"


def check_exports(stack: Stack, config: Mapping[str, Any]) -> Iterable[Outcome]:
    root = stack.root
    if root is None:
        yield not_applicable("the stack has no root pulumi:pulumi:Stack resource")
        return
    index = stack_secrets(stack)
    limit = scan_limit(config)
    for name, value in root.props.items():
        cut: List[Tuple[str, int]] = []
        matches, unknown_paths = find(value, index, name, exclude_urn=root.urn, limit=limit, not_examined=cut)
        shown = safe_path(name)
        for m in matches:
            yield failed(f"stack output '{m.path}' {m.reason}; export a reference to the "
                         f"secret instead (its ARN, or its Secret Manager id)",
                         urn=root.urn, path=m.path)
        if not matches and unknown_paths:
            yield unknown(f"stack output '{shown}' is not known during preview", urn=root.urn,
                          path=unknown_paths[0])
        if not matches and cut:
            yield not_examined_outcome(root, "stack output", cut, limit)
        if not matches and not unknown_paths and not cut:
            yield passed(urn=root.urn, path=shown)


def _stack(outputs: Mapping[str, Any], *others: R) -> List[R]:
    return [R(STACK_TYPE, "proj-dev", dict(outputs)), *others]


RULE = Rule(
    name="stack-exports-no-secrets",
    title="Stack outputs carry no secret material",
    description="No stack output may carry secret material: a value of a secret-bearing attribute of a "
                "resource in the stack (such as ApiKey.value), or a well-known credential format.",
    severity="critical",
    enforcement="mandatory",
    kind="stack",
    check=check_exports,
    config_schema=SCAN_LIMIT_SCHEMA,
    resource_types=frozenset({STACK_TYPE}),
    remediation="Export a reference to the secret store entry that holds the value, and let consumers read "
                "it with their own permission: the ARN of the aws.secretsmanager.Secret (read with "
                "secretsmanager:GetSecretValue), the id of the Key Vault secret (azure-native keyvault.Secret or "
                "azure keyvault.Secret), or the name of the gcp.secretmanager.Secret. Remove the output that "
                "carries the value; pulumi.export(..., pulumi.Output.secret(...)) still puts it in every "
                "consumer's hands.",
    url="https://www.pulumi.com/docs/iac/concepts/secrets/",
    controls={"nist-800-53-r5": ["IA-5(7)", "SC-28"], "pci-dss-v4.0.1": ["8.3.2"], "pci-dss-v4.0": ["8.3.2"]},
    examples=(
        Example("only ARNs exported",
                _stack({"secretArn": "arn:aws:secretsmanager:us-east-1:111122223333:secret:k-AbCdEf"},
                       R(API_KEY, "key", {"value": _KEY})),
                {"proj-dev": "pass"}),
        Example("the API key value exported",
                _stack({"apiKey": _KEY}, R(API_KEY, "key", {"value": _KEY})), {"proj-dev": "fail:apiKey"},
                controls=("nist-800-53-r5:IA-5(7)", "nist-800-53-r5:SC-28", "pci-dss-v4.0.1:8.3.2", "pci-dss-v4.0:8.3.2"
                      )),
        Example("the API key nested in an object",
                _stack({"client": {"headers": {"x-api-key": _KEY}}}, R(API_KEY, "key", {"value": _KEY})),
                {"proj-dev": "fail:client.headers.x-api-key"}),
        Example("the API key embedded in a URL",
                _stack({"url": f"https://api.example.com/v1?key={_KEY}"}, R(API_KEY, "key", {"value": _KEY})),
                {"proj-dev": "fail:url"}),
        Example("the secret string of a SecretVersion",
                _stack({"s": '{"value":"x"}' + _KEY}, R(SECRET_VERSION, "v", {"secretString": '{"value":"x"}' + _KEY})),
                {"proj-dev": "fail:s"}),
        Example("a PEM private key", _stack({"tlsKey": _PEM}), {"proj-dev": "fail:tlsKey"}),
        Example("an AWS access key pair", _stack({"creds": {"id": _AWS_ID, "secret": _AWS_SECRET}}),
                {"proj-dev": "fail:creds.secret"}),
        Example("an access key id alone is not a credential", _stack({"keyId": _AWS_ID}), {"proj-dev": "pass"}),
        Example("Azure: a storage connection string and a Key Vault secret's value exported",
                _stack({"storage": _AZ_CONNECTION, "openaiKey": _AZ_OPENAI_KEY, "vaultUri": "https://kv-ai.vault.azure.net/"},
                       R(CLASSIC_STORAGE_ACCOUNT, "st", {"primaryConnectionString": _AZ_CONNECTION}),
                       R(NATIVE_SECRET, "s", {"properties": {"value": _AZ_OPENAI_KEY}})),
                {"proj-dev": ("fail:storage", "fail:openaiKey", "pass")}),
        Example("unknown export during preview", _stack({"apiKey": UNKNOWN}, R(API_KEY, "key", {"value": UNKNOWN})),
                {"proj-dev": "unknown"}),
    ),
)
