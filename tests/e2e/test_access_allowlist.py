"""secretsmanager-secret-readers-allowlisted through the real engine: `pulumi preview --policy-pack`
of a YAML program that adds a reader role the config does not list is blocked (see test_preview_up
for the stand-in provider and the YAML language host)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from .e2e_engine import printed_violations

pytestmark = pytest.mark.e2e

POLICY = "secretsmanager-secret-readers-allowlisted"
TRUST = ('\'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},'
         '"Action":"sts:AssumeRole"}]}\'')


def _reader(name: str) -> str:
    # Named, so that preview knows the name the allowlist judges (an auto-name is unknown there).
    return f"""  {name}:
    type: aws:iam:Role
    properties:
      name: {name}
      assumeRolePolicy: {TRUST}
  {name}-read:
    type: aws:iam:RolePolicy
    properties:
      role: ${{{name}.id}}
      policy:
        fn::toJSON:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Action: secretsmanager:GetSecretValue
              Resource: ${{secret.arn}}
"""


BASE = """resources:
  secret:
    type: aws:secretsmanager:Secret
    properties:
      recoveryWindowInDays: 30
""" + _reader("reader")


def _config(d: Path) -> str:
    # Every other policy advisory, so only the allowlist can block.
    f = d / "policy-config.json"
    f.write_text(json.dumps({"all": "advisory",
                             POLICY: {"enforcementLevel": "mandatory", "readers": {"*": ["reader"]}}}))
    return str(f)


def test_preview_of_an_unlisted_reader_is_blocked(engine, yaml_host):
    d = engine.yaml_program("allowlist", BASE)
    cfg = _config(d)
    r = engine.run("up", "--yes", "--policy-pack", engine.pack, "--policy-pack-config", cfg, cwd=d)
    # The listed reader passes. While the secret's ARN is unknown (up's preview phase) the
    # policy can only say "can't run during preview", which is advisory by the SDK's design.
    assert r.code == 0, str(r)
    assert (POLICY, "mandatory", "secret") not in printed_violations(r.out), r.out
    (d / "Pulumi.yaml").write_text("name: allowlist\nruntime: yaml\n" + BASE + _reader("intruder"))
    r = engine.run("preview", "--policy-pack", engine.pack, "--policy-pack-config", cfg, cwd=d)
    assert r.code != 0, str(r)
    assert (POLICY, "mandatory", "secret") in printed_violations(r.out), r.out
    assert "role intruder can read it and is not in config readers" in r.out
