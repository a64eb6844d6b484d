"""The four steps on moto: generations of keys, idempotent reruns, refused events, switches."""
import json

import pytest

from .world import CURRENT, PENDING, PREVIOUS, handler_module

RotationError = handler_module.RotationError


def test_two_rotations_keep_the_previous_key_and_disable_the_first(world):
    first = world.key_of(CURRENT)
    world.rotate()
    second = world.key_of(CURRENT)
    world.rotate()
    third = world.key_of(CURRENT)
    keys = world.keys()
    assert len({first, second, third}) == 3
    assert world.key_of(PREVIOUS) == second
    assert keys[third]["enabled"] and keys[second]["enabled"]
    assert not keys[first]["enabled"], "the Pulumi-made key, two generations back, stays enabled"
    assert {second, third} <= world.attached()
    assert world.holder(PENDING) is None
    current = world.value(world.holder(CURRENT))
    assert set(current) == {"apiKeyId", "value", "usagePlanId", "createdAt"}
    assert current["usagePlanId"] == world.plan_id and "T" in current["createdAt"]
    assert keys[third]["tags"][handler_module.TAG_VERSION] == world.holder(CURRENT)
    world.check_invariants()


@pytest.mark.parametrize("step", handler_module.STEPS)
def test_rerunning_each_step_changes_nothing_more(world, step):
    world.rotate()
    token = world.start()
    steps = handler_module.STEPS
    for earlier in steps[: steps.index(step) + 1]:
        world.step(earlier, token)
    before = world.snapshot()
    world.step(step, token)
    assert world.snapshot() == before
    for later in steps[steps.index(step) + 1:]:
        world.step(later, token)
    after = world.snapshot()
    for every in steps:  # the finished version is AWSCURRENT: every step is now a no-op
        world.step(every, token)
    assert world.snapshot() == after
    world.check_invariants()


def _refused(world, event_change, message, step="createSecret"):
    token = world.start()
    before = world.snapshot()
    event = {"Step": step, "SecretId": world.arn, "ClientRequestToken": token, **event_change}
    with pytest.raises(RotationError, match=message):
        handler_module.handler(event, None)
    assert world.snapshot() == before


def test_unknown_step_is_refused(world):
    _refused(world, {"Step": "rotateEverything"}, "unknown rotation step")


def test_token_of_no_version_is_refused(world):
    _refused(world, {"ClientRequestToken": "not-a-version-of-this-secret"}, "not a version")


@pytest.mark.parametrize("step", handler_module.STEPS)
def test_token_not_pending_is_refused(world, step):
    old = world.holder(CURRENT)
    world.rotate()
    world.rotate()  # `old` is now unlabelled
    _refused(world, {"ClientRequestToken": old}, "not staged AWSPENDING", step)


def test_rollback_keeps_both_keys_and_the_next_rotation_retires_the_unlabelled_one(world):
    world.rotate()
    current, previous = world.holder(CURRENT), world.holder(PREVIOUS)
    rolled_back_from = world.key_of(CURRENT)
    world.sm.update_secret_version_stage(SecretId=world.arn, VersionStage=CURRENT,
                                         MoveToVersionId=previous, RemoveFromVersionId=current)
    assert world.holder(PREVIOUS) == current
    world.check_invariants()  # both keys still enabled, the rolled-back one current
    world.rotate()
    assert world.keys()[world.value(previous)["apiKeyId"]]["enabled"]  # now AWSPREVIOUS
    assert not world.keys()[rolled_back_from]["enabled"]
    world.check_invariants()


def test_rotation_disabled_is_refused(world):
    world.enable_rotation(False)
    _refused(world, {}, "rotation is not enabled")


def test_later_steps_before_create_are_refused(world):
    token = world.start()
    before = world.snapshot()
    for step in ("setSecret", "testSecret"):
        with pytest.raises(RotationError, match="no AWSPENDING value"):
            world.step(step, token)
    assert world.snapshot() == before


def test_test_step_rejects_a_disabled_or_different_key(world):
    token = world.start()
    world.step("createSecret", token)
    key = world.value(token)["apiKeyId"]
    world.apigw.update_api_key(apiKey=key, patchOperations=[{"op": "replace", "path": "/enabled", "value": "false"}])
    with pytest.raises(RotationError, match="disabled"):
        world.step("testSecret", token)
    world.apigw.update_api_key(apiKey=key, patchOperations=[{"op": "replace", "path": "/enabled", "value": "true"}])
    world.backend_secret.versions[token]["secret_string"] = json.dumps({**world.value(token), "value": "x" * 40})
    with pytest.raises(RotationError, match="value differs"):
        world.step("testSecret", token)
    assert world.holder(CURRENT) != token


def test_disable_previous_immediately(world, monkeypatch):
    monkeypatch.setenv("DISABLE_PREVIOUS_IMMEDIATELY", "true")
    first = world.key_of(CURRENT)
    world.rotate()
    keys = world.keys()
    assert not keys[first]["enabled"]
    assert keys[world.key_of(CURRENT)]["enabled"]
    world.check_invariants()


@pytest.mark.parametrize("delete", [False, True])
def test_disabled_keys_are_deleted_only_when_switched_on(world, monkeypatch, delete):
    if delete:
        monkeypatch.setenv("DELETE_DISABLED_KEYS", "true")
    first = world.key_of(CURRENT)
    world.rotate()
    world.rotate()
    assert world.keys()[first]["enabled"] is False  # disabled, never deleted in the same run
    world.rotate()
    assert (first not in world.keys()) is delete
    world.check_invariants()


def test_logs_are_json_with_ids_and_never_a_key_value(world, capsys):
    capsys.readouterr()
    token = world.rotate()
    lines = capsys.readouterr().out.splitlines()
    records = [json.loads(line) for line in lines]
    assert {r.get("step") for r in records} >= set(handler_module.STEPS)
    assert all(r["secretArn"] == world.arn and r["versionId"] == token for r in records)
    with pytest.raises(RotationError):
        world.step("setSecret", token=world.start())  # a failure is logged too
    failure = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert failure["level"] == "error" and failure["step"] == "setSecret" and failure["error"] == "RotationError"
    for key in world.keys().values():
        assert key["value"] not in "\n".join(lines)
