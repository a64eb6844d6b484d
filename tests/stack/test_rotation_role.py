"""The stack's rotation role against what the rotation function calls.

tests/rotation/test_permissions.py proves that the boto3 calls recorded on moto
map exactly onto infra/rotation/permissions.py; this closes the chain by
proving the role the stack builds grants exactly those actions (plus the KMS
use Secrets Manager makes on the function's behalf, and its own logs), on the
resources the rotation needs, with key deletion left off as the stack runs it.
"""
import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _load(name):
    spec = importlib.util.spec_from_file_location(f"keyguard_infra_{name}", ROOT / "infra" / name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


permissions = _load("rotation/permissions.py")
handler = _load("rotation/handler.py")
stack_policies = _load("stack_policies.py")

LOGS = {"logs:CreateLogStream", "logs:PutLogEvents"}
# Deletion is off unless DELETE_DISABLED_KEYS is set, and the stack does not set it.
DELETE = {"apigateway:DELETE"}


def _one(resources, type_, name):
    return next(r for r in resources if r.type == type_ and r.name == name)


def _rotation_statements(resources):
    policy = _one(resources, "aws:iam/rolePolicy:RolePolicy", "rotation-policy")
    return json.loads(policy.props["policy"])["Statement"]


def _actions(statements):
    out = set()
    for s in statements:
        assert s["Effect"] == "Allow"
        out.update([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    return out


def test_role_grants_exactly_what_the_handler_calls(stack_resources):
    granted = _actions(_rotation_statements(stack_resources))
    needed = (permissions.REQUIRED_ACTIONS - DELETE) | permissions.IMPLIED_ACTIONS | LOGS
    assert granted == needed, granted ^ needed


def test_function_runs_with_deletion_off_and_no_switches(stack_resources):
    fn = _one(stack_resources, "aws:lambda/function:Function", "rotation-function")
    variables = (fn.props.get("environment") or {}).get("variables") or {}
    assert "DELETE_DISABLED_KEYS" not in variables and "DISABLE_PREVIOUS_IMMEDIATELY" not in variables
    assert fn.props["handler"] == "handler.handler"


def test_key_reads_are_limited_to_keys_tagged_with_this_secret(stack_resources):
    secret = _one(stack_resources, "aws:secretsmanager/secret:Secret", "api-key-secret")
    assert stack_policies.KEY_TAG == handler.TAG_SECRET
    key = _one(stack_resources, "aws:apigateway/apiKey:ApiKey", "api-key")
    assert key.props["tags"] == {handler.TAG_SECRET: secret.props["arn"]}
    reads = [s for s in _rotation_statements(stack_resources)
             if s["Action"] == "apigateway:GET" and any(r.endswith("::/apikeys") for r in s["Resource"])]
    assert len(reads) == 1
    assert reads[0]["Condition"] == {"StringEquals": {f"aws:ResourceTag/{handler.TAG_SECRET}": secret.props["arn"]}}
