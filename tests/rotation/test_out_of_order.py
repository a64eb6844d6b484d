"""Events that arrive out of order (issue 13, items 14 to 16): the function refuses what it
cannot finish, and recognises a rotation that has already taken effect."""
import json

import pytest

from .world import CURRENT, PREVIOUS, handler_module

RotationError = handler_module.RotationError


def _set_value(world, version, value):
    world.backend_secret.versions[version]["secret_string"] = json.dumps(value)


def test_finish_secret_for_a_pending_version_without_a_value_is_refused(world):
    # Item 14: a manual invoke, createSecret never ran. Moving AWSCURRENT there would leave
    # clients with nothing to read, and the previous key disabled.
    token = world.start()
    before = world.snapshot()
    with pytest.raises(RotationError, match="no AWSPENDING value"):
        world.step("finishSecret", token)
    assert world.snapshot() == before
    world.check_invariants()


@pytest.mark.parametrize("step", ["setSecret", "testSecret", "finishSecret"])
@pytest.mark.parametrize("field", ["value", "createdAt", "apiKeyId"])
def test_every_unfinished_step_refuses_a_malformed_pending_value(world, step, field):
    token = world.start()
    world.step("createSecret", token)
    pending = world.value(token)
    _set_value(world, token, {k: v for k, v in pending.items() if k != field})
    before = world.snapshot()
    with pytest.raises(RotationError, match=f"well-formed {field}"):
        world.step(step, token)
    assert world.snapshot() == before
    assert world.holder(CURRENT) != token


@pytest.mark.parametrize("field", ["value", "createdAt"])
def test_create_secret_refuses_a_current_version_missing_value_or_created_at_and_changes_nothing(world, field):
    # Item 15: as it already refused a current version without apiKeyId or usagePlanId.
    world.rotate()  # so that there is an older key a rotation would otherwise retire
    current = world.holder(CURRENT)
    _set_value(world, current, {k: v for k, v in world.value(current).items() if k != field})
    token = world.start()
    before = world.snapshot()
    with pytest.raises(RotationError, match=f"well-formed {field}"):
        world.step("createSecret", token)
    assert world.snapshot() == before


def test_create_secret_refuses_a_created_at_that_is_not_a_time(world):
    current = world.holder(CURRENT)
    _set_value(world, current, {**world.value(current), "createdAt": "yesterday"})
    token = world.start()
    before = world.snapshot()
    with pytest.raises(RotationError, match="well-formed createdAt"):
        world.step("createSecret", token)
    assert world.snapshot() == before


def test_late_finish_secret_retry_after_a_later_rotation_finished_succeeds_and_changes_nothing(world):
    # Item 16: rotation A's finishSecret took effect, rotation B started and finished, and
    # then A's retry arrives. Refusing it makes Secrets Manager report a rotation that took
    # effect as failed; acting on it would undo B.
    a = world.rotate()
    b = world.rotate()
    assert world.holder(PREVIOUS) == a
    before = world.snapshot()
    world.step("finishSecret", a)
    assert world.snapshot() == before
    assert world.holder(CURRENT) == b
    world.check_invariants()


def test_late_finish_secret_retry_after_its_first_attempt_failed_at_each_call(fresh_world):
    # Every way the first finishSecret can fail once (the call done, its answer lost); then a
    # second rotation finishes, and the first one's retry arrives.
    with fresh_world() as world:
        calls = world.calls_per_step()["finishSecret"]
    for nth in range(1, calls + 1):
        with fresh_world() as world:
            a = world.start()
            for step in handler_module.STEPS[:-1]:
                world.step(step, a)
            world.faults.arm(nth, "timeout-after")
            with pytest.raises(Exception):
                world.step("finishSecret", a)
            world.faults.disarm()
            b = world.rotate()
            before = world.snapshot()
            if PREVIOUS in world.stages()[a]:  # a's move took effect before b's
                world.step("finishSecret", a)
            else:
                with pytest.raises(RotationError):
                    world.step("finishSecret", a)
            assert world.snapshot() == before, f"call {nth}"
            assert world.holder(CURRENT) == b
            world.check_invariants()


def test_a_version_that_was_never_current_is_still_refused_late(world):
    # Only AWSPREVIOUS proves a version was current: an abandoned one stays refused.
    a = world.start()
    world.step("createSecret", a)
    world.rotate()  # takes AWSPENDING away from `a`, which never became current
    assert world.stages()[a] == set()
    with pytest.raises(RotationError, match="not staged AWSPENDING"):
        world.step("finishSecret", a)
