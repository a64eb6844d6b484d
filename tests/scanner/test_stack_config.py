"""stack-config-no-plaintext-secrets on its three sources (issue 20 §1): a Pulumi.<stack>.yaml
file alone, a program directory's stack files, and the engine's ConfigureStack request."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from policypack.evaluate import evaluate
from policypack.inputs.stackconfig import from_configure_stack, read_stack_file
from policypack.model import Resource, Status
from policypack.registry import BY_NAME
from policypack.rules.stack_config_no_plaintext_secrets import NO_CONFIG
from policypack.tokens.aws import FUNCTION

from .conftest import keyguard

PROGRAM = Path(__file__).resolve().parents[1] / "programs" / "ai_config"
RULE = BY_NAME["stack-config-no-plaintext-secrets"]
KEY = "sk-proj-" + ("Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z" * 3)[:74] + "T3BlbkFJ" + ("Qr3sTu6vWx9yZa2bCd5eFg8hIj1kLm4n" * 3)[:74]


def _config_findings(*argv):
    result = keyguard("scan", *argv, "--format", "json")
    assert result.code in (0, 1), result.err
    report = json.loads(result.out)
    return result.code, sorted((f["urn"].rsplit("::", 1)[-1], f["message"].split(" and is not")[0])
                               for f in report["findings"] if f["policy"] == RULE.name)


DEV = [("Pulumi.dev.yaml", "Pulumi.dev.yaml: config 'ai-config:openaiApiKey' looks like an OpenAI project key"),
       ("Pulumi.dev.yaml", "Pulumi.dev.yaml: config 'ai-config:vectorStore.apiKey' is held under a "
                           "credential-like name")]


def test_a_stack_file_alone_names_the_file_and_the_keys_never_the_values():
    code, found = _config_findings(PROGRAM / "Pulumi.dev.yaml")
    assert (code, found) == (1, DEV)
    out = keyguard("scan", PROGRAM / "Pulumi.dev.yaml", "--format", "json").out
    assert KEY not in out and "not-random-but-named" not in out


def test_secure_values_pass():
    assert _config_findings(PROGRAM / "Pulumi.prod.yaml") == (0, [])


def test_a_program_directory_judges_every_stack_file_or_the_one_named():
    # (The program's secret has no CMK and no rotation: other policies fail it in every run.)
    assert _config_findings(PROGRAM)[1] == DEV
    assert _config_findings(PROGRAM, "--stack", "prod")[1] == []
    assert _config_findings(PROGRAM, "--stack", "dev")[1] == DEV


def test_the_remediation_says_how_for_a_key_and_for_a_nested_path():
    cfg = read_stack_file(str(PROGRAM / "Pulumi.dev.yaml"))
    messages = sorted(r.message for r in evaluate([cfg], [RULE]) if r.status is Status.FAIL)
    assert "`pulumi config set --secret ai-config:openaiApiKey`" in messages[0]
    assert "`pulumi config set --secret --path 'ai-config:vectorStore.apiKey'`" in messages[1]


def test_a_bad_stack_file_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "Pulumi.dev.yaml"
    bad.write_text("config: [unclosed\n")
    result = keyguard("scan", bad)
    assert result.code == 2 and len(result.err_lines) == 1 and "not valid YAML" in result.err
    bad.write_text("config:\n  - a list\n")
    result = keyguard("scan", bad)
    assert result.code == 2 and result.err.strip().endswith("config must be a mapping")


def test_without_configuration_the_rule_is_not_applicable_once():
    # `pulumi policy analyze` sends no ConfigureStack and stack exports hold no config.
    results = evaluate([Resource(FUNCTION, "fn", "urn:fn", {})], [RULE])
    assert [(r.status, r.message) for r in results] == [(Status.NOT_APPLICABLE, NO_CONFIG)]


def _request(config, secret_keys=()):
    return SimpleNamespace(project="ai", stack="dev", config=config, config_secret_keys=list(secret_keys))


def test_configure_stack_plaintext_fails_and_secret_keys_pass():
    cfg = from_configure_stack(_request({"ai:openaiApiKey": KEY, "ai:hfToken": "hf_" + "x" * 34,
                                         "ai:db": json.dumps({"password": "named-so-secret"}),
                                         "aws:region": "us-east-1"}, ["ai:hfToken"]))
    results = evaluate([cfg], [RULE])
    assert sorted((r.status.value, r.path) for r in results) == [("fail", "ai:db.password"),
                                                                 ("fail", "ai:openaiApiKey")]
    assert all(r.urn == "urn:pulumi:dev::ai::keyguard:config:StackConfig::ConfigureStack" for r in results)


def test_a_secret_config_value_copied_into_a_lambda_variable_is_a_leak():
    # The engine hands the pack the values of secret keys; a plain copy of one is a leak.
    token = "Zq8Lr2Vx5Ny1Tb7Wm3Kc9Hd4"
    cfg = from_configure_stack(_request({"ai:partnerToken": token}, ["ai:partnerToken"]))
    fn = Resource(FUNCTION, "fn", "urn:fn", {"environment": {"variables": {"UPSTREAM": token}}})
    results = evaluate([cfg, fn], [BY_NAME["lambda-environment-no-secrets"], RULE])
    assert sorted((r.policy, r.status.value, r.path) for r in results) == [
        ("lambda-environment-no-secrets", "fail", "environment.variables.UPSTREAM"),
        (RULE.name, "pass", "config")]
    assert token not in " ".join(r.message for r in results)


def test_the_routing_servicer_judges_what_configure_stack_carries():
    # The engine harness speaks the engine's gRPC protocol to a real pack process; the real
    # CLI's requests are pinned in tests/e2e (docs/testing.md).
    from tests.engine.harness import PackProcess, Res
    from pulumi.runtime.proto import analyzer_pb2 as pb

    fn = Res("aws:lambda/function:Function", "fn", {"environment": {"variables": {"MODEL": "gpt-4o-mini"}}})
    with PackProcess() as pack:
        pack.handshake()
        pack.stub.ConfigureStack(pb.AnalyzerStackConfigureRequest(
            stack="dev", project="ai", organization="organization", dry_run=True,
            config={"ai:openaiApiKey": KEY, "ai:hfToken": "hf_" + "Qx" * 17, "aws:region": "us-east-1"},
            config_secret_keys=["ai:hfToken"]), timeout=pack.timeout)
        pack.plugin_info()
        pack.analyzer_info()
        pack.configure()
        got = pack.analyze_stack([fn]).of(RULE.name)
    assert [(d.level, d.urn) for d in got] == [
        ("mandatory", "urn:pulumi:dev::ai::keyguard:config:StackConfig::ConfigureStack")]
    assert "'ai:openaiApiKey'" in got[0].message and KEY not in got[0].message

    with PackProcess() as pack:  # policy analyze: no ConfigureStack
        pack.boot(operation="analyze")
        answer = pack.analyze_stack([fn])
    assert answer.of(RULE.name) == [] and answer.not_applicable_to(RULE.name)


CONFIG_READS = Path(__file__).resolve().parents[1] / "programs" / "config_reads"


def test_a_credential_read_plainly_from_config_into_a_resource_is_an_advisory_note():
    # The program side (a program run only): require("openaiApiKey") flows into a Lambda variable.
    result = keyguard("scan", CONFIG_READS, "--stack", "dev", "--format", "json")
    report = json.loads(result.out)
    assert sorted((f["policy"], f["urn"].rsplit("::", 1)[-1]) for f in report["findings"]) == [
        # The Lambda variable now equals the SecureString parameter's value: a leak of that secret.
        ("lambda-environment-no-secrets", "chat"),
        ("ssm-parameter-kms-cmk", "openai-key"),
        (RULE.name, "Pulumi.dev.yaml")]
    notes = [n["message"] for n in report["notes"] if n["kind"] == "config-read-plain"]
    assert notes == [f"{CONFIG_READS}: config 'config-reads:openaiApiKey' is named like a credential but read with "
                     "Config.get/require, not get_secret/require_secret, and flows into aws:lambda/function:Function "
                     "chat: it is stored there in plaintext, in the state too; read it with "
                     "config.require_secret('openaiApiKey')"]
    assert "openai-key-from-config-1234" not in result.out
    # Only the Lambda function is named (the parameter's value is an input the SDK marks secret);
    # the model name is read plainly too, but it names no credential.
    assert "'config-reads:model'" not in result.out
