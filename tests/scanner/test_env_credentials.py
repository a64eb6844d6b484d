"""Credentials a program reads from its environment (issue 20 §5): `keyguard scan DIR` never
hands the program a real one; it gets a recognisable placeholder, whose flow the rules judge.
Ordinary variables pass through, and the account ones exist even where CI lacks them."""
from __future__ import annotations

import json
from pathlib import Path

from policypack.inputs.program import run
from policypack.secrets import credential_shape

from .conftest import keyguard

PROGRAM = Path(__file__).resolve().parents[1] / "programs" / "env_credentials"
REAL = "real-key-that-must-never-reach-the-program"


def test_placeholders_flow_where_the_program_puts_them(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", REAL)
    monkeypatch.delenv("USER", raising=False)
    result = keyguard("scan", PROGRAM, "--format", "json")
    assert result.code == 1, result.err
    report = json.loads(result.out)
    got = sorted((f["status"], f["policy"], f["urn"].rsplit("::", 1)[-1]) for f in report["findings"])
    assert got == [
        # The key read from the environment lands in a Lambda variable: found as the very value
        # the program also stored in its SecretVersion.
        ("fail", "lambda-environment-no-secrets", "chat"),
        # os.getenv("HF_TOKEN") lands in the model's container environment.
        ("fail", "sagemaker-model-environment-no-secrets", "llm"),
        # (The secret itself has no CMK and no rotation.)
        ("fail", "secretsmanager-secret-kms-cmk", "openai"),
        ("fail", "secretsmanager-secret-rotation-enabled", "openai"),
    ]
    # Stored in a SecretVersion it is no literal of the program (it was read at run time):
    # program-secret-inputs-not-literal, absent above, does not fail it.
    assert REAL not in result.out


def test_the_program_gets_placeholders_never_the_real_value(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", REAL)
    monkeypatch.delenv("USER", raising=False)
    res = {r.name: r for r in run(str(PROGRAM)).resources}
    env = res["chat"].props["environment"]["variables"]
    assert env["OPENAI_API_KEY"].startswith("kgenv_OPENAI_API_KEY_")
    assert credential_shape(env["OPENAI_API_KEY"]) == "a credential the program reads from its environment " \
                                                      "(keyguard's placeholder)"
    assert res["llm"].props["primaryContainer"]["environment"]["HF_TOKEN"].startswith("kgenv_HF_TOKEN_")
    assert isinstance(res["chat"].props["tags"]["owner"], str) and res["chat"].props["tags"]["owner"]
    assert REAL not in json.dumps([r.props for r in res.values()], default=str)
