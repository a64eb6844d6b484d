"""rotate_secret end to end through moto: Secrets Manager invokes the function, whose
invocation the fixture routes in-process to the handler (moto itself is left unchanged)."""
import io
import json
import zipfile
from unittest import mock

import pytest
from moto.awslambda.models import LambdaBackend
from moto.secretsmanager.models import SecretsManagerBackend

from .world import CURRENT, PENDING, PREVIOUS, ROOT, handler_module, permissions


@pytest.fixture
def rotation_lambda(world):
    iam = world.session_client("iam")
    role = iam.create_role(RoleName="keyguard-rotation", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                "Principal": {"Service": "lambda.amazonaws.com"}}]}))
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as zf:  # the directory infra/rotation/ is the Lambda code
        for path in sorted((ROOT / "infra" / "rotation").glob("*.py")):
            zf.write(path, path.name)
    arn = world.session_client("lambda").create_function(
        FunctionName="keyguard-rotation", Runtime="python3.12", Role=role["Role"]["Arn"],
        Handler="handler.handler", Code={"ZipFile": code.getvalue()},
        Environment={"Variables": {"DISABLE_PREVIOUS_IMMEDIATELY": "false"}})["FunctionArn"]
    invocations = []

    def invoke(self, function_name, qualifier, body, headers, response_headers):
        assert function_name == arn
        event = json.loads(body)
        invocations.append(event["Step"])
        world.faults.arm()  # records the handler's calls, and only those
        try:
            handler_module.handler(event, None)
        finally:
            world.faults.disarm()
        return b"null"

    moto_rotate = SecretsManagerBackend.rotate_secret

    def rotate_secret(self, secret_id, client_request_token=None, rotation_lambda_arn=None, **kwargs):
        # moto forgets the function when RotateSecret names none; AWS keeps the configured one.
        configured = self.secrets[secret_id].rotation_lambda_arn if secret_id in self.secrets else None
        return moto_rotate(self, secret_id, client_request_token, rotation_lambda_arn or configured or None, **kwargs)

    with mock.patch.object(LambdaBackend, "invoke", invoke), \
            mock.patch.object(SecretsManagerBackend, "rotate_secret", rotate_secret):
        yield arn, invocations


def test_three_rotations_through_rotate_secret(world, rotation_lambda):
    arn, invocations = rotation_lambda
    world.backend_secret.rotation_requested = False  # start from a secret without rotation
    generations = [world.key_of(CURRENT)]
    world.sm.rotate_secret(SecretId=world.arn, RotationLambdaARN=arn,
                           RotationRules={"AutomaticallyAfterDays": 30})
    generations.append(world.key_of(CURRENT))
    for _ in range(2):
        world.sm.rotate_secret(SecretId=world.arn)
        generations.append(world.key_of(CURRENT))
        world.check_invariants()
    assert invocations == list(handler_module.STEPS) * 3
    assert len(set(generations)) == 4
    keys = world.keys()
    assert [keys[k]["enabled"] for k in generations] == [False, False, True, True]
    assert world.key_of(PREVIOUS) == generations[2] and world.holder(PENDING) is None
    assert world.sm.describe_secret(SecretId=world.arn)["RotationEnabled"] is True
    # Every call the deployed handler made is one the role is sized for.
    assert {permissions.action_for(*call) for call in world.faults.calls} <= permissions.REQUIRED_ACTIONS
