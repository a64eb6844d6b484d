"""The handler's boto3 calls, recorded on moto, against infra/rotation/permissions.py: every
call maps to a listed action and every listed operation is exercised, so the role the stack
builds from REQUIRED_ACTIONS is neither short nor wider than the code."""
from .world import handler_module, permissions


def test_recorded_calls_are_exactly_the_required_actions(world, monkeypatch):
    monkeypatch.setenv("DELETE_DISABLED_KEYS", "true")
    world.faults.arm()
    for _ in range(3):  # the third rotation deletes the first key
        token = world.rotate()
    for step in handler_module.STEPS:  # reruns take the already-current path
        world.step(step, token)
    token = world.start()
    for step in handler_module.STEPS:
        world.step(step, token)
        world.step(step, token)  # reruns: ConflictException on attach, reuse on create
    world.faults.disarm()
    recorded = set(world.faults.calls)
    assert recorded == set(permissions.OPERATION_ACTIONS), recorded ^ set(permissions.OPERATION_ACTIONS)
    assert {permissions.action_for(*call) for call in recorded} == permissions.REQUIRED_ACTIONS
    assert not permissions.REQUIRED_ACTIONS & permissions.IMPLIED_ACTIONS
