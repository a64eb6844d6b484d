"""Each row breaks one guardrail in a patched copy of the stack; exactly the matching policies must fail.

A row is (description, patches, expected failing policies). A patch is
(file, old text, new text) and must match exactly once, so a row cannot go
stale silently when the program changes.
"""
import pytest

from policypack.evaluate import evaluate
from policypack.inputs.program import run_program
from policypack.model import Status
from policypack.registry import RULES

MAIN = "infra/__main__.py"
# Calling this instead of a resource class leaves the resource out of the program.
DROP = "(lambda *args, **kwargs: None)("

IAM_ADMIN = (MAIN, 'pulumi.export("secretArn", secret.arn)',
             'aws.iam.RolePolicy("admin", role=reader_role.id, policy=json.dumps({"Version": "2012-10-17", '
             '"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))\n'
             'pulumi.export("secretArn", secret.arn)')

ROWS = [
    ("secret without kms_key_id", [(MAIN, "kms_key_id=key.arn, ", "")],
     {"secretsmanager-secret-kms-cmk"}),
    ("no SecretRotation", [(MAIN, "aws.secretsmanager.SecretRotation(", DROP)],
     {"secretsmanager-secret-rotation-enabled"}),
    ("rotation every 365 days", [("Pulumi.yaml", "default: 30\n    description: Days between rotations",
                                  "default: 365\n    description: Days between rotations")],
     {"secretsmanager-rotation-period"}),
    ("key rotation off", [(MAIN, "enable_key_rotation=True", "enable_key_rotation=False")],
     {"kms-key-rotation-enabled"}),
    # "*" expands to every action, so every identity rule that judges unscoped actions fires
    # too: service wildcard ("*" itself), secret reads, writes, escalation, exfiltration and
    # credential-returning actions, all on "*". Only no-not-action stays quiet (no NotAction).
    ("inline policy allowing * on *", [IAM_ADMIN],
     {"iam-policy-no-admin-wildcard", "iam-policy-no-service-wildcard", "iam-policy-sensitive-actions-scoped",
      "iam-policy-resource-scoped", "iam-policy-no-privilege-escalation", "iam-policy-no-data-exfiltration",
      "iam-policy-no-credentials-exposure"}),
    ("API key value exported", [(MAIN, 'pulumi.export("restApiId", api.id)',
                                 'pulumi.export("restApiId", api.id)\npulumi.export("apiKey", api_key.value)')],
     {"stack-exports-no-secrets"}),
    ("literal API key value", [(MAIN, '"api-key", description=', '"api-key", value="k7Q2xLp9Rt4Vw8Yz1Bc3Dd5Fg6Hj0Km2", description=')],
     {"apigateway-api-key-generated"}),
    ("API key in the function's environment", [(MAIN, 'role=rotation_role.arn, timeout=30,', 'role=rotation_role.arn, timeout=30, environment='
                                                  'aws.lambda_.FunctionEnvironmentArgs(variables={"API_KEY": api_key.value}),')],
     {"lambda-environment-no-secrets"}),
    ("no invoke Permission for Secrets Manager",
     [(MAIN, "invoke_permission = aws.lambda_.Permission(", "invoke_permission = secret_version\n_dropped = " + DROP)],
     {"secretsmanager-rotation-lambda-invocable"}),
    ("no UsagePlanKey", [(MAIN, "plan_key = aws.apigateway.UsagePlanKey(", "plan_key = " + DROP)],
     {"apigateway-api-key-usage-plan"}),
    ("recovery window 0", [("Pulumi.yaml", "default: 30\n    description: Days a deleted secret",
                            "default: 0\n    description: Days a deleted secret")],
     {"secretsmanager-secret-recovery-window"}),
    ("key deletion window 7", [(MAIN, "deletion_window_in_days=30", "deletion_window_in_days=7")],
     {"kms-key-deletion-window"}),
    ("UsagePlanKey value not marked secret",
     [(MAIN, 'usage_plan_id=plan.id,\n    # Its `value` output is the API key, which the provider does not mark secret.\n'
             '    opts=pulumi.ResourceOptions(additional_secret_outputs=["value"]))', "usage_plan_id=plan.id)")],
     {"state-secret-outputs-encrypted"}),
    ("API key in a stage variable", [(MAIN, 'stage_name="v1")', 'stage_name="v1", variables={"apiKey": api_key.value})')],
     {"apigateway-stage-variables-no-secrets"}),
    ("API key in a String SSM parameter",
     [(MAIN, 'pulumi.export("secretArn", secret.arn)',
       'aws.ssm.Parameter("key-copy", type="String", value=api_key.value)\npulumi.export("secretArn", secret.arn)')],
     {"ssm-parameter-secure-string"}),
]


def failing(resources):
    return {r.policy for r in evaluate(resources, RULES) if r.status is Status.FAIL}


@pytest.mark.parametrize("description,patches,expected", ROWS, ids=[r[0] for r in ROWS])
def test_mutation_is_caught_by_exactly_its_policies(tmp_path, patched_copy, description, patches, expected):
    resources = run_program(str(patched_copy(tmp_path, patches)))
    assert failing(resources) == expected


def test_config_reaches_the_program(tmp_path, patched_copy):
    """The same break through stack config instead of a patch: run_program passes config to the program."""
    resources = run_program(str(patched_copy(tmp_path, [])), config={"rotationDays": "120"})
    assert failing(resources) == {"secretsmanager-rotation-period"}
