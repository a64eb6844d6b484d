"""stack-config-no-plaintext-secrets: stack configuration holds credentials only as Pulumi secrets."""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Tuple

from ..examples import API_KEY_VALUE, SECRET_ARN, Example, R
from ..model import UNKNOWN, Outcome, Resource, Stack, failed, not_applicable, passed, unknown
from ..secrets import find, secret_like_name, stack_secrets
from ..secrets.index import SCAN_LIMIT_SCHEMA, safe_path
from ..secrets.judging import scan_limit
from ..tokens.aws import API_KEY
from ..tokens.common import STACK_CONFIG
from .base import Rule

NO_CONFIG = ("no stack configuration to judge: none was given, and `pulumi policy analyze` and stack exports "
             "carry none (preview and up send it in ConfigureStack; `keyguard scan` reads Pulumi.<stack>.yaml)")
# Made up, of the shape of OpenAI's project keys: 74 characters, T3BlbkFJ, 74 characters.
_OPENAI = "sk-proj-" + ("Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z" * 3)[:74] + "T3BlbkFJ" + ("Qr3sTu6vWx9yZa2bCd5eFg8hIj1kLm4n" * 3)[:74]


def _advice(key: str, path: str) -> str:
    how = f"pulumi config set --secret {key}" if path == key else f"pulumi config set --secret --path '{path}'"
    return (f"set it with `{how}` (it is then stored encrypted), or keep it in a Pulumi ESC environment the "
            "stack imports")


def _leaves(value: Any, path: str) -> Iterable[Tuple[str, Any]]:
    """(path, leaf) of a config value, objects and lists walked without recursion."""
    todo = [(path, value)]
    while todo:
        p, v = todo.pop()
        if isinstance(v, Mapping):
            todo.extend((f"{p}.{k}", c) for k, c in reversed(list(v.items())))
        elif isinstance(v, list):
            todo.extend((f"{p}[{i}]", c) for i, c in reversed(list(enumerate(v))))
        else:
            yield p, v


def _named_credentials(key: str, value: Any) -> Iterable[str]:
    """Paths under a credential-like name holding a plaintext string, whatever the string:
    a key named `dbPassword` or `openaiApiKey` is a credential by its author's own word."""
    for path, leaf in _leaves(value, key):
        if isinstance(leaf, str) and leaf and secret_like_name(path.rsplit(":", 1)[-1]):
            yield path


def _judge(stack: Stack, index: Any, cfg: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
    values = cfg.props.get("config")
    raw_keys = cfg.props.get("secretKeys")
    where = cfg.name
    if values is UNKNOWN:
        yield unknown(f"{where}: the configuration is not known", urn=cfg.urn, path="config")
        return
    # Which keys are secret not known: a key that would fail may be a secret, so it is undecided.
    keys_undecided = raw_keys is UNKNOWN or isinstance(raw_keys, list) and any(k is UNKNOWN for k in raw_keys)
    secret_keys = {k for k in raw_keys if isinstance(k, str)} if isinstance(raw_keys, list) else set()
    if not isinstance(values, Mapping) or not values:
        yield passed(f"{where}: no plaintext configuration", urn=cfg.urn, path="config")
        return
    limit = scan_limit(config)
    judged = False
    for key, value in values.items():
        if key in secret_keys:
            continue
        matches, unknown_paths = find(value, index, key, exclude_urn=cfg.urn, limit=limit)
        bad = {m.path: m.reason for m in matches}
        for path in _named_credentials(key, value):
            bad.setdefault(safe_path(path) if path == key else path, "is held under a credential-like name")
        if bad and keys_undecided:
            judged = True
            yield unknown(f"{where}: whether config '{safe_path(key)}' is a secret is not known", urn=cfg.urn,
                          path=safe_path(key))
            continue
        for path, reason in bad.items():
            judged = True
            yield failed(f"{where}: config '{path}' {reason} and is not a secret; {_advice(key, path)}",
                         urn=cfg.urn, path=path)
        if not bad and unknown_paths:
            judged = True
            yield unknown(f"{where}: config '{unknown_paths[0]}' is not known", urn=cfg.urn, path=unknown_paths[0])
    if not judged:
        yield passed(f"{where}: no plaintext credential in the configuration", urn=cfg.urn, path="config")


def check_stack_config(stack: Stack, config: Mapping[str, Any]) -> Iterable[Outcome]:
    configs = list(stack.of_type(STACK_CONFIG))
    if not configs:
        yield not_applicable(NO_CONFIG)
        return
    index = stack_secrets(stack)
    for cfg in configs:
        yield from _judge(stack, index, cfg, config)


def _cfg(values: Mapping[str, Any], secret_keys: Iterable[str] = (), name: str = "Pulumi.dev.yaml") -> R:
    return R(STACK_CONFIG, name, {"config": dict(values), "secretKeys": sorted(secret_keys)})


RULE = Rule(
    name="stack-config-no-plaintext-secrets",
    title="Stack configuration holds credentials only as Pulumi secrets",
    description="No stack configuration value may carry secret material (a provider key format, a value of a "
                "secret-bearing attribute of the stack, a random-looking value under a secret-like name), nor "
                "may a key that names a credential (apiKey, token, password, secret, privateKey, "
                "connectionString, in any casing or separator) hold a plaintext value, unless the key is a "
                "Pulumi secret (`secure:` in Pulumi.<stack>.yaml; the engine's secret config keys). A plaintext "
                "value in a stack file is in git history the moment the file is committed.",
    severity="critical",
    enforcement="mandatory",
    kind="stack",
    check=check_stack_config,
    config_schema=SCAN_LIMIT_SCHEMA,
    resource_types=frozenset({STACK_CONFIG}),
    remediation="Run `pulumi config set --secret <key>` (the value is then stored encrypted as `secure:`), or "
                "move the value into a Pulumi ESC environment and import it in Pulumi.<stack>.yaml; rotate a "
                "key that was ever committed in plaintext.",
    url="https://www.pulumi.com/docs/iac/concepts/secrets/",
    controls={"nist-800-53-r5": ["IA-5(7)", "SC-28"], "pci-dss-v4.0.1": ["8.3.2"], "pci-dss-v4.0": ["8.3.2"]},
    examples=(
        Example("the key set with --secret, ordinary settings in plaintext",
                [_cfg({"aws:region": "us-east-1", "ai:model": "gpt-4o-mini", "ai:apiKeySecretArn": SECRET_ARN},
                      secret_keys=["ai:openaiApiKey"])],
                {"Pulumi.dev.yaml": "pass"}),
        Example("an OpenAI project key in plaintext",
                [_cfg({"aws:region": "us-east-1", "ai:openaiApiKey": _OPENAI})],
                {"Pulumi.dev.yaml": "fail:ai:openaiApiKey"},
                controls=("nist-800-53-r5:IA-5(7)", "nist-800-53-r5:SC-28", "pci-dss-v4.0.1:8.3.2", "pci-dss-v4.0:8.3.2")),
        Example("a credential-like key name holds plaintext, whatever the value",
                [_cfg({"db:password": "hunter2hunter2", "db:connectionString": "Server=db;Database=app"})],
                {"Pulumi.dev.yaml": ("fail:db:password", "fail:db:connectionString")}),
        Example("a nested object's token and the stack's API key under a neutral name",
                [_cfg({"app:upstream": {"url": "https://api.example.com", "auth": {"token": "not-a-format-but-named"}},
                       "app:warmup": API_KEY_VALUE}),
                 R(API_KEY, "key", {"value": API_KEY_VALUE})],
                {"Pulumi.dev.yaml": ("fail:app:upstream.auth.token", "fail:app:warmup")}),
        Example("a value not known (preview of an ESC-backed value)",
                [_cfg({"app:upstream": {"token": UNKNOWN}})],
                {"Pulumi.dev.yaml": "unknown"}),
    ),
)
