"""examples/azure: the compliant program passes with nothing undecided, the non-compliant one
fails with exactly the findings its comments name (programs under mocks, `keyguard scan DIR`)."""
import json
from pathlib import Path

from .conftest import keyguard

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "azure"

# (policy, resource name, enforcement, message fragment) for every failure, and nothing else.
NONCOMPLIANT = {
    ("azure-app-settings-no-secrets", "worker", "mandatory", "appSettings.AzureWebJobsStorage equals "
                                                              "Account.primaryConnectionString"),
    ("azure-app-settings-no-secrets", "worker", "mandatory", "appSettings.AZURE_OPENAI_API_KEY equals "
                                                              "Account.primaryAccessKey"),
    ("azure-cognitive-account-local-auth-disabled", "openai", "mandatory", "properties.disableLocalAuth"),
    ("azure-cognitive-account-local-auth-disabled", "openai-classic", "mandatory", "localAuthEnabled"),
    ("azure-keyvault-key-rotation", "cmk", "advisory", "properties.rotationPolicy"),
    ("azure-keyvault-public-network-disabled", "kv-open", "mandatory", "properties.publicNetworkAccess"),
    ("azure-keyvault-rbac-authorization", "kv-open", "mandatory", "properties.enableRbacAuthorization"),
    ("azure-keyvault-recoverable", "kv-open", "mandatory", "properties.enablePurgeProtection"),
    ("azure-keyvault-secret-expiration", "partner-api-key", "advisory", "properties.attributes.expires"),
    ("azure-role-assignment-secrets-scoped", "deployer-owner", "mandatory", "grants Owner"),
    ("azure-role-assignment-secrets-scoped", "readers-on-group", "mandatory", "grants Key Vault Secrets User"),
    ("stack-exports-no-secrets", "keyguard-azure-noncompliant-dev", "mandatory", "'storageConnection' equals "
                                                                                 "Account.primaryConnectionString"),
}


def _scan(*args):
    result = keyguard("scan", *args, "--format", "json")
    return result, json.loads(result.out) if result.out else None


def test_compliant_azure_program_passes_with_nothing_undecided():
    result, report = _scan(EXAMPLES / "compliant", "--stack", "dev")
    assert result.code == 0, result.err
    assert report["findings"] == []
    judged = {(r["policy"], r["urn"].rsplit("::", 1)[-1]) for r in report["results"] if r["status"] == "pass"}
    # Every Azure policy judged the resource it is about, in both providers where the program has both.
    for policy, name in [("azure-keyvault-recoverable", "kv-ai"), ("azure-keyvault-recoverable", "kv-classic"),
                         ("azure-keyvault-public-network-disabled", "kv-ai"),
                         ("azure-keyvault-public-network-disabled", "kv-classic"),
                         ("azure-keyvault-rbac-authorization", "kv-ai"), ("azure-keyvault-rbac-authorization", "kv-classic"),
                         ("azure-keyvault-secret-expiration", "partner-api-key"), ("azure-keyvault-key-rotation", "cmk"),
                         ("azure-cognitive-account-local-auth-disabled", "openai"),
                         ("azure-app-settings-no-secrets", "chat"),
                         ("azure-role-assignment-secrets-scoped", "chat-reads-secrets"),
                         ("azure-role-assignment-secrets-scoped", "ops-reads-classic-secrets")]:
        assert (policy, name) in judged


def test_noncompliant_azure_program_fails_with_exactly_the_expected_set():
    result, report = _scan(EXAMPLES / "noncompliant")
    assert result.code == 1, result.err
    findings = report["findings"]
    assert all(f["status"] == "fail" for f in findings), [f for f in findings if f["status"] != "fail"]
    got = [(f["policy"], f["urn"].rsplit("::", 1)[-1], f["enforcement"], f["message"]) for f in findings]
    assert len(got) == len(NONCOMPLIANT)
    for policy, name, level, fragment in NONCOMPLIANT:
        matching = [g for g in got if g[:3] == (policy, name, level) and fragment in g[3]]
        assert len(matching) == 1, (policy, name, fragment, got)
    # No value is ever echoed: the storage connection string and the key stay out of every message.
    assert all("AccountKey=" not in g[3] for g in got)
