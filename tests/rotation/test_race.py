"""Two rotations racing. While rotation A runs a step, Secrets Manager starts rotation B
(B's version takes AWSPENDING) just before each AWS call A's step makes; then A and B go on
in either order, failed steps retried once as Secrets Manager would. No step may leave two
AWSCURRENT versions, a disabled or detached current key, or an enabled key of a dead version."""
from botocore.exceptions import ClientError

from .world import CURRENT, PENDING, handler_module

STEPS = handler_module.STEPS


def _attempt(world, step, token):
    """One step as Secrets Manager runs it: refused, or done (after one retry if it failed)."""
    for _ in range(2):
        try:
            world.step(step, token)
        except handler_module.RotationError:
            return False
        except ClientError:
            continue
        if world.stages()[token] & {PENDING, CURRENT}:
            world.check_invariants()
        # else an in-flight step of an overtaken rotation: the key it made is orphaned by
        # Secrets Manager starting the other rotation, and that one's createSecret retires it.
        return True
    raise AssertionError(f"{step} failed twice")


def _race(world, target, nth, b_first):
    first = world.holder(CURRENT)
    a, b = world.start(), None

    def start_b():
        nonlocal b
        b = world.start()

    steps = iter(STEPS)
    for step in steps:
        if step == target:
            world.faults.arm(nth, action=start_b)
            try:
                _attempt(world, step, a)
            finally:
                world.faults.disarm()
            assert world.faults.fired
            break
        _attempt(world, step, a)
    rest_a = list(steps)
    order = [(s, b) for s in STEPS] + [(s, a) for s in rest_a]
    if not b_first:
        order = order[len(STEPS):] + order[:len(STEPS)]
    for step, token in order:
        _attempt(world, step, token)
    current = world.holder(CURRENT)
    assert current in (a, b) or current == first
    assert world.holder(PENDING) in (None, a, b)
    world.rotate()  # and the next rotation cleans up whatever the race left
    world.check_invariants()


def test_two_rotations_racing_never_leave_two_currents_or_lose_the_current(fresh_world, capsys):
    with fresh_world() as world:
        counts = world.calls_per_step()
    cases = [(step, nth, b_first) for step in STEPS for nth in range(1, counts[step] + 1)
             for b_first in (True, False)]
    for case in cases:
        with fresh_world() as world:
            _race(world, *case)
    capsys.readouterr()
    with capsys.disabled():
        print(f"\nracing rotations: {len(cases)} interleavings ({counts}), all passed")
    assert len(cases) >= 40
