"""`pulumi preview` and `pulumi up` with the pack, through the real engine.

The programs are Pulumi YAML (run by pulumi-language-yaml, built by `make pulumi`), because the
Python language host cannot be built here (see e2e_engine). Resources are created by the TEST
STAND-IN AWS provider in tests/provider (like moto: never calls AWS), which the engine loads
from PATH as pulumi-resource-aws. Nothing else is faked: the engine calls the provider's Check,
sends the pack the checked inputs, enforces the levels, applies remediations, writes the state
with the stack's secrets provider.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from .e2e_engine import Violation, json_events, printed_violations, violations_of

pytestmark = pytest.mark.e2e


def _config(d: Path, cfg: dict) -> str:
    f = d / "policy-config.json"
    f.write_text(json.dumps(cfg))
    return str(f)


def _scan(path: Path):
    from policypack.cli import run

    out, err = io.StringIO(), io.StringIO()
    code = run(["scan", str(path), "--format", "json"], stdout=out, stderr=err)
    assert code in (0, 1), err.getvalue()
    return code, json.loads(out.getvalue())


def _export(engine, d: Path, *flags: str) -> dict:
    r = engine.run("stack", "export", *flags, cwd=d)
    assert r.code == 0, str(r)
    return json.loads(r.out)


def _resource(export: dict, rtype: str) -> dict:
    return next(r for r in export["deployment"]["resources"] if r["type"] == rtype)


# A KMS key that breaks two remediating policies and a secret without a CMK.
BROKEN = """resources:
  key:
    type: aws:kms:Key
    properties:
      description: e2e
      enableKeyRotation: false
      deletionWindowInDays: 7
  secret:
    type: aws:secretsmanager:Secret
    properties:
      recoveryWindowInDays: 30
"""


def test_preview_blocks_and_event_log_scans_like_the_cli_printed(engine, yaml_host):
    d = engine.yaml_program("broken", BROKEN)
    r = engine.run("preview", "--policy-pack", engine.pack, "--event-log", d / "events.jsonl", cwd=d)
    assert r.code != 0, str(r)
    printed = printed_violations(r.out)
    assert {p for p, level, _ in printed if level == "mandatory"} >= {
        "kms-key-rotation-enabled", "secretsmanager-secret-kms-cmk"}, str(r)
    assert ("kms-key-deletion-window", "advisory", "key") in printed, str(r)  # the advisory one is shown

    events = json_events((d / "events.jsonl").read_text())
    logged = violations_of(events)
    assert {(v.policy, v.level, v.urn.rsplit("::", 1)[-1]) for v in logged} == printed
    code, report = _scan(d / "events.jsonl")
    assert code == 1
    assert {Violation(f["policy"], f["urn"], f["enforcement"]) for f in report["findings"]
            if f["status"] == "fail"} == logged


def test_lowered_level_lets_the_update_through(engine, yaml_host):
    d = engine.yaml_program("lowered", BROKEN)
    cfg = _config(d, {"kms-key-rotation-enabled": "advisory", "secretsmanager-secret-kms-cmk": "advisory",
                      "secretsmanager-secret-rotation-enabled": "advisory"})
    r = engine.run("up", "--yes", "--policy-pack", engine.pack, "--policy-pack-config", cfg, cwd=d)
    assert r.code == 0, str(r)
    printed = printed_violations(r.out)
    assert ("kms-key-rotation-enabled", "advisory", "key") in printed, str(r)
    assert not any(level == "mandatory" for _, level, _ in printed), str(r)
    assert _resource(_export(engine, d), "aws:kms/key:Key")["inputs"]["enableKeyRotation"] is False


def test_remediate_changes_the_inputs_in_the_state(engine, yaml_host):
    d = engine.yaml_program("remediated", BROKEN)
    cfg = _config(d, {"kms-key-rotation-enabled": "remediate", "kms-key-deletion-window": "remediate",
                      "secretsmanager-secret-kms-cmk": "advisory",
                      "secretsmanager-secret-rotation-enabled": "advisory"})
    r = engine.run("up", "--yes", "--policy-pack", engine.pack, "--policy-pack-config", cfg,
                   "--event-log", d / "events.jsonl", cwd=d)
    assert r.code == 0, str(r)
    assert "[remediate]  kms-key-rotation-enabled" in r.out and "[remediate]  kms-key-deletion-window" in r.out, str(r)
    rem = [e["policyRemediationEvent"] for e in json_events((d / "events.jsonl").read_text())
           if "policyRemediationEvent" in e]
    assert {x["policyName"] for x in rem} == {"kms-key-rotation-enabled", "kms-key-deletion-window"}
    key = _resource(_export(engine, d), "aws:kms/key:Key")
    for props in (key["inputs"], key["outputs"]):
        assert props["enableKeyRotation"] is True and props["deletionWindowInDays"] >= 30, key


def test_unknown_inputs_get_no_mandatory_violation_in_preview(engine, yaml_host):
    """A new stack: the secret's kmsKeyId and the role policy's document depend on outputs
    that do not exist yet; the rules that read them may not fail at mandatory level."""
    d = engine.yaml_program("unknowns", """resources:
  key:
    type: aws:kms:Key
    properties:
      description: e2e
      enableKeyRotation: true
      deletionWindowInDays: 30
  secret:
    type: aws:secretsmanager:Secret
    properties:
      kmsKeyId: ${key.arn}
      recoveryWindowInDays: 30
  role:
    type: aws:iam:Role
    properties:
      assumeRolePolicy:
        fn::toJSON:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Action: sts:AssumeRole
              Principal:
                Service: lambda.amazonaws.com
  reader:
    type: aws:iam:RolePolicy
    properties:
      role: ${role.name}
      policy:
        fn::toJSON:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Action: secretsmanager:GetSecretValue
              Resource: ${secret.arn}
""")
    cfg = _config(d, {"secretsmanager-secret-rotation-enabled": "advisory"})
    r = engine.run("preview", "--policy-pack", engine.pack, "--policy-pack-config", cfg,
                   "--event-log", d / "events.jsonl", cwd=d)
    events = json_events((d / "events.jsonl").read_text())
    logged = violations_of(events)
    assert r.code == 0, str(r)
    assert not [v for v in logged if v.level == "mandatory"], str(r)
    # What the unknown kmsKeyId gives instead: the SDK's advisory "can't run policy ... during preview".
    cmk = [e["policyEvent"] for e in events
           if e.get("policyEvent", {}).get("policyName") == "secretsmanager-secret-kms-cmk"]
    assert cmk and all(p["enforcementLevel"] == "advisory" and p["message"].startswith("can't run policy")
                       for p in cmk), cmk


KEY_IN_STATE = """resources:
  key:
    type: aws:kms:Key
    properties:
      description: e2e
      enableKeyRotation: true
      deletionWindowInDays: 30
  apiKey:
    type: aws:apigateway:ApiKey
    properties:
      description: generated by the provider
  plan:
    type: aws:apigateway:UsagePlan
    properties:
      throttleSettings: {rateLimit: 10, burstLimit: 20}
      quotaSettings: {limit: 10000, period: DAY}
  planKey:
    type: aws:apigateway:UsagePlanKey
    properties:
      keyId: ${apiKey.id}
      keyType: API_KEY
      usagePlanId: ${plan.id}
    options:
      additionalSecretOutputs: [value]
  secret:
    type: aws:secretsmanager:Secret
    properties:
      kmsKeyId: ${key.arn}
      recoveryWindowInDays: 30
  version:
    type: aws:secretsmanager:SecretVersion
    properties:
      secretId: ${secret.id}
      secretString: ${apiKey.value}
"""


def test_up_keeps_the_api_key_ciphertext_everywhere_in_the_state(engine, yaml_host):
    d = engine.yaml_program("keystate", KEY_IN_STATE)
    cfg = _config(d, {"secretsmanager-secret-rotation-enabled": "advisory"})
    r = engine.run("up", "--yes", "--policy-pack", engine.pack, "--policy-pack-config", cfg, cwd=d)
    assert r.code == 0, str(r)
    shown = _export(engine, d, "--show-secrets")
    value = json.loads(_resource(shown, "aws:apigateway/apiKey:ApiKey")["outputs"]["value"]["plaintext"])
    assert value
    state = _export(engine, d)
    assert value not in json.dumps(state)  # nowhere in plaintext: ApiKey, UsagePlanKey, SecretVersion
    for rtype, prop in [("aws:apigateway/apiKey:ApiKey", "value"),
                        ("aws:apigateway/usagePlanKey:UsagePlanKey", "value"),
                        ("aws:secretsmanager/secretVersion:SecretVersion", "secretString")]:
        assert "ciphertext" in _resource(state, rtype)["outputs"][prop], rtype

    r = engine.run("policy", "analyze", "--policy-pack", engine.pack, "--policy-pack-config", cfg, "--json", cwd=d)
    assert r.code == 0, str(r)
    assert not [v for v in violations_of(json_events(r.out)) if v.level == "mandatory"], str(r)


def test_usage_plan_key_value_without_additional_secret_outputs_is_blocked(engine, yaml_host):
    """The provider does not mark UsagePlanKey.value secret; without additionalSecretOutputs the
    key would sit in the state in plaintext, and the update must not go through."""
    body = KEY_IN_STATE.replace("    options:\n      additionalSecretOutputs: [value]\n", "")
    assert body != KEY_IN_STATE
    d = engine.yaml_program("plainkey", body)
    cfg = _config(d, {"secretsmanager-secret-rotation-enabled": "advisory"})
    r = engine.run("up", "--yes", "--policy-pack", engine.pack, "--policy-pack-config", cfg,
                   "--event-log", d / "events.jsonl", cwd=d)
    logged = violations_of(json_events((d / "events.jsonl").read_text()))
    assert r.code != 0, str(r)
    assert {v.policy for v in logged if v.level == "mandatory"} == {"state-secret-outputs-encrypted"}, str(r)
