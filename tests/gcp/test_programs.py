"""examples/gcp under mocks: the compliant program passes every policy, the non-compliant one fails
exactly the expected set (policy, resource, path), one finding per policy of the Google rules.

Each scan runs its program in a child process of its own (the runner's): Pulumi's mock runtime
runs one program per process.
"""
import json
from pathlib import Path

import pytest

from tests.scanner.conftest import keyguard

ROOT = Path(__file__).resolve().parents[2]

NONCOMPLIANT = {
    ("gcp-apikey-restricted", "gemini", "mandatory"),
    ("gcp-kms-crypto-key-not-public", "ring-open", "mandatory"),
    ("gcp-kms-crypto-key-rotation", "data-key", "advisory"),
    ("gcp-runtime-env-no-secrets", "chat", "mandatory"),
    ("gcp-secret-access-scoped", "chat-reads-all-secrets", "mandatory"),
    ("gcp-secretmanager-secret-cmek", "gemini-api-key", "advisory"),
    ("gcp-secretmanager-secret-not-public", "gemini-api-key-policy", "mandatory"),
    ("gcp-secretmanager-secret-rotation", "gemini-api-key", "advisory"),
    ("stack-exports-no-secrets", "keyguard-gcp-noncompliant-dev", "mandatory"),
}


def _scan(name):
    result = keyguard("scan", ROOT / "examples" / "gcp" / name, "--format", "json")
    assert result.code in (0, 1), result.err
    return result.code, json.loads(result.out)


@pytest.fixture(scope="module")
def compliant():
    return _scan("compliant")


@pytest.fixture(scope="module")
def noncompliant():
    return _scan("noncompliant")


def test_compliant_program_has_no_finding_at_all(compliant):
    code, report = compliant
    assert code == 0
    assert report["findings"] == []
    assert report["summary"]["counts"]["fail"] == 0 and report["summary"]["counts"]["unknown"] == 0
    # Every gcp policy judged something there and passed it: the program exercises all eight.
    passed = {r["policy"] for r in report["results"] if r["status"] == "pass"}
    assert {p for p in passed if p.startswith("gcp-")} == {r for r, _, _ in NONCOMPLIANT if r.startswith("gcp-")}


def test_noncompliant_program_fails_exactly_the_expected_set(noncompliant):
    code, report = noncompliant
    assert code == 1
    got = {(f["policy"], f["urn"].rsplit("::", 1)[-1], f["enforcement"]) for f in report["findings"]}
    assert got == NONCOMPLIANT
    assert all(f["status"] == "fail" for f in report["findings"])
    assert len(report["findings"]) == len(NONCOMPLIANT)


def test_the_leaked_key_is_named_by_path_never_by_value(noncompliant):
    _, report = noncompliant
    env = next(f for f in report["findings"] if f["policy"] == "gcp-runtime-env-no-secrets")
    assert "template.containers[0].envs.GEMINI_API_KEY" in env["message"] and "ApiKey.keyString" in env["message"]
    assert "AIza" not in json.dumps(report)


CLOUDSQL_URL_PROGRAM = '''
import pulumi
import pulumi_gcp as gcp

config = pulumi.Config()
instance = gcp.sql.DatabaseInstance("db", database_version="POSTGRES_16", region="europe-west1",
                                    settings=gcp.sql.DatabaseInstanceSettingsArgs(tier="db-f1-micro"))
gcp.sql.User("app", instance=instance.name, name="app", password=config.require_secret("db-password"))
url = pulumi.Output.concat("postgres://app:", config.require_secret("db-password"), "@/app?host=/cloudsql/",
                           instance.connection_name)
gcp.cloudrun.Service("svc", location="europe-west1", template=gcp.cloudrun.ServiceTemplateArgs(
    spec=gcp.cloudrun.ServiceTemplateSpecArgs(containers=[gcp.cloudrun.ServiceTemplateSpecContainerArgs(
        image="gcr.io/cloudrun/hello", envs=[gcp.cloudrun.ServiceTemplateSpecContainerEnvArgs(
            name="DATABASE_URL", value=url)])])))
'''


def test_a_database_url_with_the_password_in_cloud_run_env_is_caught(tmp_path):
    """pulumi/examples gcp-py-cloudrun-cloudsql's shape: the URL is known under mocks only because
    _mock_gcp derives the instance's connectionName (project:region:name) as Cloud SQL does."""
    (tmp_path / "Pulumi.yaml").write_text("name: cloudsql\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(CLOUDSQL_URL_PROGRAM)
    result = keyguard("scan", tmp_path, "--format", "json",
                      "--set", "gcp:project=demo-project", "--set", "cloudsql:db-password=Sup3r-Secret-9x")
    assert result.code == 1, result.err
    findings = json.loads(result.out)["findings"]
    assert [(f["policy"], f["urn"].rsplit("::", 1)[-1]) for f in findings] == [("gcp-runtime-env-no-secrets", "svc")]
    assert "template.spec.containers[0].envs.DATABASE_URL embeds User.password" in findings[0]["message"]


IAM_POLICY_PROGRAM = '''
import pulumi_gcp as gcp

public = gcp.organizations.get_iam_policy(bindings=[gcp.organizations.GetIAMPolicyBindingArgs(
    role="roles/secretmanager.secretAccessor", members=["allUsers"])])
gcp.secretmanager.SecretIamPolicy("open", secret_id="projects/demo/secrets/s", policy_data=public.policy_data)
sa = gcp.serviceaccount.Account("sa", account_id="sa")
scoped = gcp.organizations.get_iam_policy_output(bindings=[gcp.organizations.GetIAMPolicyBindingArgs(
    role="roles/secretmanager.secretAccessor", members=[sa.member],
    condition=gcp.organizations.GetIAMPolicyBindingConditionArgs(
        title="one secret", expression='resource.name.startsWith("projects/1/secrets/s")'))])
gcp.projects.IAMPolicy("project", project="demo", policy_data=scoped.policy_data)
'''


def test_policy_documents_from_get_iam_policy_are_judged(tmp_path):
    """organizations.getIAMPolicy is answered under mocks (a pure function of its bindings), so
    IamPolicy resources built from it are judged instead of being unknown."""
    (tmp_path / "Pulumi.yaml").write_text("name: iampolicy\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(IAM_POLICY_PROGRAM)
    result = keyguard("scan", tmp_path, "--format", "json")
    assert result.code == 1, result.err
    report = json.loads(result.out)
    got = {(r["policy"], r["urn"].rsplit("::", 1)[-1], r["status"]) for r in report["results"]
           if r["policy"].startswith("gcp-")}
    assert got == {("gcp-secretmanager-secret-not-public", "open", "fail"),
                   ("gcp-secret-access-scoped", "project", "pass")}
