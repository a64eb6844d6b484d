"""Programs as people write them, run under mocks by `keyguard scan DIR` (issue 11).

Each program under tests/programs/ was written here for one idiom of real Pulumi
programs; each test states every finding (fail or unknown) its scan reports, exactly.
No mandatory failure below comes from a value the runner made up: each is a real
defect written into the program on purpose, and a value the mocks cannot know is
reported as unknown.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from policypack.inputs.program import ProgramOptions, run

from .conftest import keyguard

PROGRAMS = Path(__file__).resolve().parents[1] / "programs"


def _report(path, *args):
    result = keyguard("scan", path, "--format", "json", *args)
    assert result.code in (0, 1), result.err
    return result.code, json.loads(result.out)


def _findings(report):
    return sorted((f["status"], f["enforcement"], f["policy"], f["urn"].rsplit("::", 1)[-1])
                  for f in report["findings"])


def _by_name(resources):
    return {r.name: r for r in resources}


def test_resource_objects_passed_as_arguments_register_and_pass():
    # role=role, function=fn, rest_api=api: the idiom that used to hang the recording monitor.
    code, report = _report(PROGRAMS / "resource_args")
    assert (code, _findings(report)) == (0, [])
    resources = run(str(PROGRAMS / "resource_args")).resources
    assert len(resources) == 13  # the stack and the 12 resources the program declares
    res = _by_name(r for r in resources if r.type != "aws:dynamodb/table:Table")
    role = res["handler-role"]
    # A resource passed as an argument arrives as its id, and the dependency is kept.
    assert res["handler-table-access"].props["role"] == role.id
    assert res["handler-table-access"].depends_on("role") == (role.urn,)
    assert res["api-invoke"].props["function"] == res["handler"].id
    assert res["items"].props["restApi"] == res["api"].id


def test_get_policy_document_is_computed_from_its_arguments():
    code, report = _report(PROGRAMS / "policy_document")
    # Every failure is the override document's `Debug` statement (Action * on *).
    assert (code, _findings(report)) == (1, [
        ("fail", "advisory", "iam-policy-no-credentials-exposure", "worker-debug"),
        ("fail", "advisory", "iam-policy-no-data-exfiltration", "worker-debug"),
        ("fail", "advisory", "iam-policy-resource-scoped", "worker-debug"),
        ("fail", "mandatory", "iam-policy-no-admin-wildcard", "worker-debug"),
        ("fail", "mandatory", "iam-policy-no-privilege-escalation", "worker-debug"),
        ("fail", "mandatory", "iam-policy-no-service-wildcard", "worker-debug"),
        ("fail", "mandatory", "iam-policy-sensitive-actions-scoped", "worker-debug"),
    ])
    res = _by_name(run(str(PROGRAMS / "policy_document")).resources)
    merged = json.loads(res["worker-debug"].props["policy"])
    assert merged["Statement"] == [
        {"Sid": "Logs", "Effect": "Allow", "Action": ["logs:PutLogEvents", "logs:CreateLogStream"],
         "Resource": "arn:aws:logs:us-east-1:111122223333:log-group:/worker:*"},
        {"Sid": "Debug", "Effect": "Allow", "Action": "*", "Resource": "*"},
    ]
    trust = json.loads(res["worker"].props["assumeRolePolicy"])
    assert trust["Statement"] == [{
        "Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
        "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}]
    work = json.loads(res["worker-work"].props["policy"])  # the output form, from the topic's ARN
    assert [s["Resource"] for s in work["Statement"]] == [res["events"].props["arn"], res["jobs"].props["arn"]]


def test_stack_config_from_the_stack_file_with_an_encrypted_value():
    code, report = _report(PROGRAMS / "config_stack", "--stack", "dev")
    assert (code, _findings(report)) == (1, [
        ("fail", "mandatory", "secretsmanager-secret-rotation-enabled", "dev-upstream"),
        # The encrypted token cannot be read: keyguard cannot decide, and says so.
        ("unknown", "mandatory", "lambda-environment-no-secrets", "dev-legacy-caller"),
    ])
    res = _by_name(run(str(PROGRAMS / "config_stack"), ProgramOptions(stack="dev")).resources)
    assert res["dev-logs"].props["retentionInDays"] == 14  # the default in Pulumi.yaml
    assert res["dev-key"].props["description"] == "dev: ops"  # a structured value
    assert res["dev-upstream"].props["arn"].startswith("arn:aws:secretsmanager:eu-west-1:")  # aws:region


def test_set_overrides_the_stack_file():
    res = _by_name(run(str(PROGRAMS / "config_stack"),
                       ProgramOptions(stack="dev", values=(("environment", "qa"), ("logRetentionDays", "30")))
                       ).resources)
    assert res["qa-logs"].props["retentionInDays"] == 30


def test_missing_required_config_is_one_line_naming_the_key():
    result = keyguard("scan", PROGRAMS / "config_stack")
    assert result.code == 2 and result.out == ""
    assert result.err_lines == [
        f"keyguard: error: {PROGRAMS / 'config_stack'}: the program requires the configuration value "
        "'config-stack:environment' at __main__.py:9; pass --stack NAME to read it from Pulumi.NAME.yaml, "
        "or --set environment=VALUE"]


def test_stack_without_its_file_is_one_line():
    result = keyguard("scan", PROGRAMS / "config_stack", "--stack", "prod")
    assert result.code == 2
    assert result.err_lines == [f"keyguard: error: {PROGRAMS / 'config_stack'}: no Pulumi.prod.yaml for stack 'prod'"]


@pytest.mark.parametrize("flag", ["novalue", "=x"])
def test_set_needs_key_and_value(flag):
    result = keyguard("scan", PROGRAMS / "config_stack", "--set", flag)
    assert result.code == 2 and result.err_lines == [f"keyguard: error: --set needs KEY=VALUE, got {flag!r}"]


def test_components_own_children_are_judged_and_multi_language_ones_noted():
    code, report = _report(PROGRAMS / "components")
    assert (code, _findings(report)) == (1, [
        ("fail", "advisory", "iam-policy-no-data-exfiltration", "ops-policy"),
        ("fail", "advisory", "iam-policy-resource-scoped", "ops-policy"),
        ("fail", "mandatory", "iam-policy-no-service-wildcard", "ops-policy"),
    ])
    (note,) = report["notes"]
    assert note["kind"] == "multi-language-component"
    assert "eks:index:Cluster 'cluster'" in note["message"] and "pulumi preview --policy-pack" in note["message"]
    res = _by_name(run(str(PROGRAMS / "components")).resources)
    assert res["ops-policy"].parent == res["ops"].urn


def test_stack_reference_outputs_are_unknown_not_wrong():
    code, report = _report(PROGRAMS / "stack_reference")
    identity_rules = ["iam-policy-document-valid", "iam-policy-no-admin-wildcard", "iam-policy-no-credentials-exposure",
                      "iam-policy-no-data-exfiltration", "iam-policy-no-not-action",
                      "iam-policy-no-privilege-escalation", "iam-policy-no-service-wildcard",
                      "iam-policy-resource-scoped", "iam-policy-sensitive-actions-scoped"]
    levels = {r["policy"]: r["enforcement"] for r in json.loads(keyguard("rules", "--format", "json").out)}
    assert (code, _findings(report)) == (1, sorted(
        [("unknown", levels[p], p, "app-read-key") for p in identity_rules]
        + [("unknown", "mandatory", "secretsmanager-secret-kms-cmk", "app-settings"),
           ("fail", "mandatory", "secretsmanager-secret-rotation-enabled", "app-settings")]))


def test_apply_chains_on_unmodelled_outputs_stay_unknown():
    code, report = _report(PROGRAMS / "apply_chains")
    levels = {r["policy"]: r["enforcement"] for r in json.loads(keyguard("rules", "--format", "json").out)}
    iam = [p for p in levels if p.startswith("iam-policy-")]
    assert (code, _findings(report)) == (0, sorted(
        # The master user secret's ARN exists only after deployment: the document is unknown.
        [("unknown", levels[p], p, "fn-db-secret") for p in iam]
        # DATABASE_URL is computed from the database, which holds a password: undecided.
        + [("unknown", "mandatory", "lambda-environment-no-secrets", "fn")]))
    res = _by_name(run(str(PROGRAMS / "apply_chains")).resources)
    from policypack.model import UNKNOWN

    assert res["app-db"].props["availabilityZone"] is UNKNOWN  # get_availability_zones: unknown, not None
    assert res["app-db"].props["endpoint"] is UNKNOWN
    assert res["fn"].props["environment"]["variables"]["DATABASE_URL"] is UNKNOWN
    assert res["bastion"].props["ami"] is UNKNOWN  # get_ami's id: unknown, though the result object has a str
    assert res["bastion"].props["availabilityZone"] == "us-east-1a"  # aws:region defaults to the mocks' region
    policy = json.loads(res["fn-access"].props["policy"])
    assert policy["Statement"][0]["Resource"] == res["artifacts"].props["arn"] + "/*"


def test_literal_secrets_in_the_program_are_reported_and_config_values_are_not():
    code, report = _report(PROGRAMS / "literal_secrets", "--stack", "dev")
    assert (code, _findings(report)) == (1, [
        ("fail", "mandatory", "program-secret-inputs-not-literal", "events"),
        ("fail", "mandatory", "program-secret-inputs-not-literal", "orders"),
        ("fail", "mandatory", "program-secret-inputs-not-literal", "orders-credentials"),
        ("fail", "mandatory", "secretsmanager-secret-rotation-enabled", "orders-credentials"),
        # Issue 20: the stack file itself holds analyticsPassword in plaintext (not `secure:`).
        ("fail", "mandatory", "stack-config-no-plaintext-secrets", "Pulumi.dev.yaml"),
    ])
    paths = sorted(f["path"] for f in report["findings"] if f["policy"] == "program-secret-inputs-not-literal")
    assert paths == ["masterPassword", "password", "secretString"]


def test_a_password_given_with_set_is_configuration_not_a_literal():
    code, report = _report(PROGRAMS / "literal_secrets", "--stack", "dev", "--set",
                           "reportingPassword=Orders-2024-Passw0rd-x")
    assert ("fail", "mandatory", "program-secret-inputs-not-literal", "reporting") not in _findings(report)


def test_secrets_in_container_environments():
    code, report = _report(PROGRAMS / "containers")
    assert (code, _findings(report)) == (1, [
        ("fail", "mandatory", "ecs-task-definition-environment-no-secrets", "worker"),
        ("fail", "mandatory", "secretsmanager-secret-rotation-enabled", "upstream-token"),
    ])
    (leak,) = [f for f in report["findings"] if f["policy"] == "ecs-task-definition-environment-no-secrets"]
    assert leak["path"] == "containerDefinitions[0].environment.AWS_SECRET_ACCESS_KEY"


def test_exported_credentials_are_caught_by_their_provider_marked_secret_outputs():
    code, report = _report(PROGRAMS / "exported_secrets")
    assert (code, _findings(report)) == (1, [
        ("fail", "mandatory", "stack-exports-no-secrets", "exported-secrets-dev"),
        ("fail", "mandatory", "stack-exports-no-secrets", "exported-secrets-dev"),
        # The GraphQL URL is computed by AppSync: unknown before deployment.
        ("unknown", "mandatory", "stack-exports-no-secrets", "exported-secrets-dev"),
    ])
    assert sorted(f["path"] for f in report["findings"]) == ["clientApiKey", "graphqlUrl", "secretAccessKey"]
    res = _by_name(run(str(PROGRAMS / "exported_secrets")).resources)
    assert "key" in res["catalog-client"].additional_secret_outputs  # marked secret, as the provider does
