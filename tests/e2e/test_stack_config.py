"""stack-config-no-plaintext-secrets through the real engine (issue 20 §1): a plaintext key in
the stack's config blocks `pulumi preview --policy-pack`; set with `--secret`, it passes. The
gRPC log (PULUMI_DEBUG_GRPC) pins what ConfigureStack carries (docs/testing.md)."""
from __future__ import annotations

import json

import pytest

from .e2e_engine import printed_violations, violations_of

pytestmark = pytest.mark.e2e

POLICY = "stack-config-no-plaintext-secrets"
KEY = "sk-proj-" + ("Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z" * 3)[:74] + "T3BlbkFJ" + ("Qr3sTu6vWx9yZa2bCd5eFg8hIj1kLm4n" * 3)[:74]
HF = "hf_" + "QxTvLmRpWzKsNbYdFgHjCeVaUoIiPlMnBq"


def _configure_stack_requests(log):
    return [json.loads(line)["request"] for line in log.read_text().splitlines()
            if '"/pulumirpc.Analyzer/ConfigureStack"' in line and '"response_completed"' in line]


def test_plaintext_config_blocks_preview_and_secret_config_passes(engine, yaml_host, tmp_path):
    d = engine.yaml_program("aiconfig", "outputs:\n  model: gpt-4o-mini\n")
    for args in (("openaiApiKey", KEY), ("--secret", "hfToken", HF), ("--path", "db.password", "hunter2hunter2"),
                 ("model", "gpt-4o-mini")):
        r = engine.run("config", "set", *args, cwd=d)
        assert r.code == 0, str(r)

    log = tmp_path / "grpc.jsonl"
    engine.env["PULUMI_DEBUG_GRPC"] = str(log)
    try:
        r = engine.run("preview", "--policy-pack", engine.pack, cwd=d)
    finally:
        del engine.env["PULUMI_DEBUG_GRPC"]
    assert r.code != 0, str(r)
    assert [(p, level) for p, level, _ in printed_violations(r.out) if p == POLICY] == [(POLICY, "mandatory")], str(r)
    assert "config 'aiconfig:openaiApiKey' looks like an OpenAI project key" in r.out
    assert "config 'aiconfig:db.password' is held under a credential-like name" in r.out
    assert KEY not in r.out and "hunter2hunter2" not in r.out

    # What ConfigureStack carries in preview (3.274.1): every key namespaced, values as strings
    # (an object as JSON), the secret's value decrypted, and which keys were secret.
    (req,) = _configure_stack_requests(log)
    assert req["dryRun"] is True and req["configSecretKeys"] == ["aiconfig:hfToken"]
    assert req["config"] == {"aiconfig:openaiApiKey": KEY, "aiconfig:hfToken": HF, "aiconfig:model": "gpt-4o-mini",
                             "aiconfig:db": json.dumps({"password": "hunter2hunter2"}, separators=(",", ":"))}

    for args in (("--secret", "openaiApiKey", KEY), ("--secret", "--path", "db.password", "hunter2hunter2")):
        r = engine.run("config", "set", *args, cwd=d)
        assert r.code == 0, str(r)
    r = engine.run("preview", "--policy-pack", engine.pack, cwd=d)
    assert r.code == 0 and POLICY not in r.out, str(r)

    engine.env["PULUMI_DEBUG_GRPC"] = str(log)
    try:
        r = engine.run("up", "--yes", "--policy-pack", engine.pack, cwd=d)
    finally:
        del engine.env["PULUMI_DEBUG_GRPC"]
    assert r.code == 0 and POLICY not in r.out, str(r)
    up = _configure_stack_requests(log)[-1]
    # In up, dryRun is absent (false); a secret nested path makes its whole object secret.
    assert "dryRun" not in up
    assert sorted(up["configSecretKeys"]) == ["aiconfig:db", "aiconfig:hfToken", "aiconfig:openaiApiKey"]

    # policy analyze sends no ConfigureStack: a plaintext key set again is not seen there (the
    # policy is not applicable), where preview would block it.
    r = engine.run("config", "set", "openaiApiKey", KEY, cwd=d)
    assert r.code == 0, str(r)
    r, events = engine.analyze(d, "dev")
    assert POLICY not in {v.policy for v in violations_of(events)}, str(r)
    r = engine.run("preview", "--policy-pack", engine.pack, cwd=d)
    assert r.code != 0 and POLICY in r.out, str(r)
