"""The fault matrix: every AWS call of every step fails once (an error before the call, a
timeout before it, or a timeout after AWS did the work); Secrets Manager retries the step;
the rotation then goes on. The invariants hold after the failure, after the retry, at the end,
and after one more rotation."""
from botocore.exceptions import ClientError, ReadTimeoutError

from .world import CURRENT, PENDING, PREVIOUS, Faults, handler_module

STEPS = handler_module.STEPS


def _run_case(world, target, nth, kind):
    first = world.key_of(CURRENT)
    world.rotate()
    second = world.key_of(CURRENT)
    token = world.start()
    for step in STEPS:
        if step != target:
            world.step(step, token)
            continue
        world.faults.arm(nth, kind)
        try:
            world.step(step, token)
            raise AssertionError("the injected fault did not surface")
        except (ClientError, ReadTimeoutError):
            pass
        finally:
            world.faults.disarm()
        assert world.faults.fired
        world.check_invariants()
        world.step(step, token)  # Secrets Manager's retry
        world.check_invariants()
    keys = world.keys()
    assert world.holder(CURRENT) == token and world.holder(PENDING) is None
    assert world.key_of(PREVIOUS) == second and keys[second]["enabled"]
    assert not keys[first]["enabled"]
    world.check_invariants()
    world.rotate()
    world.check_invariants()
    assert not world.keys()[second]["enabled"]


def test_fault_matrix(fresh_world, capsys):
    with fresh_world() as world:
        world.rotate()  # the matrix faults the second rotation, which retires a key
        counts = world.calls_per_step()
    cases = [(step, nth, kind) for step in STEPS for nth in range(1, counts[step] + 1) for kind in Faults.KINDS]
    failures = []
    for case in cases:
        with fresh_world() as world:
            try:
                _run_case(world, *case)
            except Exception as exc:  # noqa: BLE001 - every failing case is reported below
                failures.append((case, repr(exc)))
    capsys.readouterr()  # the handler's logs
    with capsys.disabled():
        print(f"\nfault matrix: {len(cases)} cases ({counts}), {len(cases) - len(failures)} passed")
    assert sum(counts.values()) >= 20
    assert not failures, failures[:5]
