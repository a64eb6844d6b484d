"""The secret-material detector: formats, embedding, names, and what it must leave alone."""
import json
import os
import subprocess
import sys

import pytest

from policypack.model import UNKNOWN, Resource, Stack
from policypack.secrets import SecretIndex, credential_shape, find, is_public_shape, looks_random, secret_like_name

KEY = "kG7xP2mQ9vR4tY8wZ1aB3cD5eF6gH0jKlMnOpQr0"
DB_PASSWORD = "s3cr3t-Pw"  # short: found exactly, inside JSON or as a URL's password, never as a substring
AWS_ID = "AKIA" + "IOSFODNN7EXAMPLE"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY"
PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----"
JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
       "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")


def _stack(*extra):
    return Stack((
        Resource("aws:apigateway/apiKey:ApiKey", "key", "urn:key", {"value": KEY}),
        Resource("aws:rds/instance:Instance", "db", "urn:db", {"password": DB_PASSWORD}),
        Resource("aws:secretsmanager/secretVersion:SecretVersion", "v", "urn:v",
                 {"secretString": json.dumps({"apiKeyId": "a1b2c3", "password": "Nested-Secret-42x"})}),
        *extra,
    ))


FORMATS = [
    ("AWS key pair", f"{AWS_ID} {AWS_SECRET}", "an AWS access key pair"),
    ("PEM private key", PEM, "a Private Key"),
    ("GitHub token", "ghp_" + "r8Xk2LmQ9vT4yW7zB1nC3dF5gH6jK0pS2uV4", "a GitHub Token"),
    ("Slack bot token", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "a Slack Token"),
    ("Stripe live key", "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc", "a Stripe Access Key"),
    ("JWT", JWT, "a JSON Web Token"),
    ("URL with a password", "postgres://app:Pa55w0rd-x@db.internal:5432/app", "a Basic Auth Credentials"),
]

NOT_CREDENTIALS = [
    ("ARN", "arn:aws:secretsmanager:us-east-1:111122223333:secret:api-key-AbCdEf"),
    ("UUID", "123e4567-e89b-12d3-a456-426614174000"),
    ("sha256 hex", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
    ("sha1 hex", "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"),
    ("URL without credentials", "https://api.example.com/v1/chat?model=gpt-4o"),
    ("access key id alone", AWS_ID),
    ("prose", "the rotation function reads the key from Secrets Manager"),
]


@pytest.mark.parametrize("label,text,expected", FORMATS, ids=[f[0] for f in FORMATS])
def test_credential_formats(label, text, expected):
    assert credential_shape(text) == expected


@pytest.mark.parametrize("label,text", NOT_CREDENTIALS, ids=[n[0] for n in NOT_CREDENTIALS])
def test_not_credentials(label, text):
    assert credential_shape(text) is None
    if label not in ("access key id alone", "prose"):
        # Public shapes are never "random-looking", whatever name they sit under.
        assert not looks_random(text)


@pytest.mark.parametrize("text,public", [
    ("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", True),
    ("123e4567-e89b-12d3-a456-426614174000", True),
    ("https://example.com/path?page=2", True),
    ("https://example.com/path?api_key=Zq8Lr2Vx5Ny1Tb7Wm3Kc9Hd4", False),
    ("https://user:pw@example.com/", False),
    (KEY, False),
])
def test_public_shapes(text, public):
    assert is_public_shape(text) is public


@pytest.mark.parametrize("name,secret_like", [
    ("API_KEY", True), ("apiKey", True), ("x-api-key", True), ("DB_PASSWORD", True), ("clientSecret", True),
    ("OPENAI_API_KEY", True), ("token", True),
    ("API_KEY_SECRET_ARN", False), ("apiKeyId", False), ("SECRET_NAME", False), ("TOKEN_URL", False),
    ("monkey", False), ("MODEL", False), ("value", False),
])
def test_secret_like_names(name, secret_like):
    assert secret_like_name(name) is secret_like


# (label, value, expected paths that match, expected reason fragment)
EMBEDDED = [
    ("exact", KEY, [""], "equals ApiKey.value"),
    ("inside a URL query", f"https://api.example.com/v1?key={KEY}", [""], "embeds ApiKey.value"),
    ("percent-encoded in a URL", "https://x.example.com/?k=" + KEY.replace("Q", "%51"), [""], "embeds ApiKey.value"),
    ("inside JSON", json.dumps({"headers": {"x-api-key": KEY}}), [""], "embeds ApiKey.value"),
    ("short password as a URL's password", f"mysql://app:{DB_PASSWORD}@db:3306/x", [""], "embeds Instance.password"),
    ("short password inside JSON", json.dumps({"pw": DB_PASSWORD}), [""], "embeds Instance.password"),
    ("field of a JSON secret string", "Nested-Secret-42x", [""], "equals SecretVersion.secretString.password"),
    ("nested structure", {"a": [{"b": KEY}]}, ["a[0].b"], "equals ApiKey.value"),
]


@pytest.mark.parametrize("label,value,paths,reason", EMBEDDED, ids=[e[0] for e in EMBEDDED])
def test_stack_values_found(label, value, paths, reason):
    matches, unknown = find(value, SecretIndex(_stack()))
    assert [m.path for m in matches] == paths
    assert reason in matches[0].reason
    assert unknown == []
    for m in matches:
        assert KEY not in m.reason and DB_PASSWORD not in m.reason


def test_short_password_is_not_matched_as_a_substring():
    matches, _ = find(f"prefix{DB_PASSWORD}suffix", SecretIndex(_stack()))
    assert matches == []


def test_non_secret_json_fields_of_a_secret_are_not_indexed():
    # The secret string's apiKeyId is an identifier, not a secret.
    matches, _ = find("a1b2c3", SecretIndex(_stack()))
    assert matches == []


def test_ssm_string_value_is_not_a_secret_but_securestring_is():
    plain = Resource("aws:ssm/parameter:Parameter", "p", "urn:p", {"type": "String", "value": "plain-config-value-1"})
    secure = Resource("aws:ssm/parameter:Parameter", "s", "urn:s", {"type": "SecureString", "value": "secure-value-123"})
    index = SecretIndex(_stack(plain, secure))
    assert find("plain-config-value-1", index)[0] == []
    assert [m.reason for m in find("secure-value-123", index)[0]] == ["equals Parameter.value of urn:s"]


def test_exclude_urn_skips_the_resource_itself():
    assert find(KEY, SecretIndex(_stack()), exclude_urn="urn:key")[0] == []


def test_32_hex_digits_under_a_key_name_count_but_a_sha256_does_not():
    index = SecretIndex(Stack(()))
    assert [m.path for m in find({"VENDOR_API_KEY": "3f2a9c0d81b47e65a0c4d2e9b1f87a36"}, index)[0]] == ["VENDOR_API_KEY"]
    assert find({"VENDOR_API_KEY": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}, index)[0] == []


def test_random_value_under_secret_like_name_only():
    index = SecretIndex(Stack(()))
    assert [m.path for m in find({"PARTNER_TOKEN": "Zq8Lr2Vx5Ny1Tb7Wm3Kc9Hd4"}, index)[0]] == ["PARTNER_TOKEN"]
    assert find({"BUILD": "Zq8Lr2Vx5Ny1Tb7Wm3Kc9Hd4"}, index)[0] == []
    assert find({"PARTNER_TOKEN": "not-so-random"}, index)[0] == []
    assert find({"API_TOKEN": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}, index)[0] == []


def test_json_string_fields_are_judged_by_their_names():
    index = SecretIndex(Stack(()))
    matches, _ = find({"CONFIG": json.dumps({"clientSecret": "Zq8Lr2Vx5Ny1Tb7Wm3Kc9Hd4"})}, index)
    assert [m.path for m in matches] == ["CONFIG"]
    assert "clientSecret" in matches[0].reason


def test_aws_pair_across_sibling_fields():
    matches, _ = find({"a": AWS_ID, "b": AWS_SECRET}, SecretIndex(Stack(())), "creds")
    assert [(m.path, m.reason) for m in matches] == [("creds", "together look like an AWS access key pair")]


def test_unknowns_are_reported_not_judged():
    matches, unknown = find({"a": UNKNOWN, "b": "ok"}, SecretIndex(_stack()), "env")
    assert matches == [] and unknown == ["env.a"]


def test_detect_secrets_is_loaded_only_when_a_format_check_needs_it(tmp_path):
    # With no cache of the plugins' patterns yet (tests/secrets/test_plugin_screen.py has the rest).
    env = {**os.environ, "KEYGUARD_CACHE_DIR": str(tmp_path)}
    code = ("import sys; import policypack.secrets as s; "
            "from policypack.registry import RULES; "
            "a = 'detect_secrets' in sys.modules; s.credential_shape('short'); b = 'detect_secrets' in sys.modules; "
            "s.credential_shape('x' * 40); c = 'detect_secrets' in sys.modules; print(a, b, c)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert out.split() == ["False", "False", "True"]


def test_outputs_encrypted_in_an_export_count_as_listed():
    from policypack.model import SECRET_SIG, SIG_KEY
    from policypack.secrets import listed_secret_outputs

    raw = {"value": {SIG_KEY: SECRET_SIG, "ciphertext": "v1:abc"}, "keyId": "k1"}
    assert listed_secret_outputs(raw, ["other"]) == ("other", "value")
    assert listed_secret_outputs({"value": "plain"}, None) == ()
