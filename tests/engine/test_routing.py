"""When the pack starts on keyguard's servicer, and when it refuses to start.

The routing servicer reads pulumi-policy internals, so for any pulumi-policy other than
the pinned one, or one that lacks any attribute it reads (name-mangled instance state
included), the pack refuses to start with one line rather than fall back to
pulumi-policy's own servicer, which would judge less. Each case checks what
`install_servicer` (what `serve` runs) leaves for PolicyPack, or the line it refuses with.
"""
from __future__ import annotations

import concurrent.futures
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from pulumi_policy import policy as sdk

from policypack import crossguard, routing, serving

ROOT = Path(__file__).resolve().parents[2]
STOCK = sdk._PolicyAnalyzerServicer
REFUSAL = r"keyguard needs pulumi-policy 1\.21\.0, found {found}: install the pack's requirements\.txt"
MISSING = (r"the installed pulumi-policy 1\.21\.0 lacks the servicer internals keyguard 1\.21\.0 relies on: "
           r"reinstall the pack's requirements\.txt")


@pytest.fixture
def installed(monkeypatch):
    """The servicer class that install_servicer leaves where PolicyPack looks for it."""
    # Put the stock class and module back after each test, whatever install_servicer did.
    monkeypatch.setattr(sdk, "_PolicyAnalyzerServicer", STOCK)
    monkeypatch.setattr(sdk, "futures", sdk.futures)

    def run():
        serving.install_servicer()
        return sdk._PolicyAnalyzerServicer
    return run


def _is_routing(cls) -> bool:
    return cls is not STOCK and issubclass(cls, STOCK) and cls.__name__ == "RoutingServicer"


def test_pin_is_the_one_in_requirements_and_pyproject():
    req = re.search(r"^pulumi-policy==(\S+)$", (ROOT / "requirements.txt").read_text(), re.M)
    assert req and req.group(1) == routing.PINNED_PULUMI_POLICY == "1.21.0"
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert f"pulumi-policy=={routing.PINNED_PULUMI_POLICY}" in deps


def test_pinned_version_routes(installed):
    assert routing.installed_version() == routing.PINNED_PULUMI_POLICY
    assert routing.supported() and routing.unsupported_reason() is None
    assert _is_routing(installed())


class _Started(Exception):
    """Stops serve() where PolicyPack would start its server and block forever."""


def test_the_server_pool_is_capped_at_two_threads(installed, monkeypatch):
    """serve() hands PolicyPack's gRPC server a pool of SERVER_WORKERS threads, not the four
    pulumi-policy asks for (why: serving.SERVER_WORKERS); the pool still runs work, and a
    second install leaves the capped module as it is."""
    pools = []

    def server(pool, **_):
        pools.append(pool)
        raise _Started
    monkeypatch.setattr(sdk.grpc, "server", server)
    with pytest.raises(_Started):
        serving.serve()
    assert _is_routing(sdk._PolicyAnalyzerServicer)
    (pool,) = pools
    assert serving.SERVER_WORKERS == 2 and pool._max_workers == 2
    assert pool.submit(sum, [1, 2]).result(timeout=10) == 3
    pool.shutdown()
    capped = sdk.futures
    installed()
    assert sdk.futures is capped
    assert capped.ThreadPoolExecutor(max_workers=1)._max_workers == 1
    assert capped.as_completed is concurrent.futures.as_completed


def test_another_version_is_refused(installed, monkeypatch):
    monkeypatch.setattr(routing, "installed_version", lambda: "1.22.0")
    with pytest.raises(serving.CannotServe, match="^" + REFUSAL.format(found=r"1\.22\.0") + "$"):
        installed()
    assert sdk._PolicyAnalyzerServicer is STOCK


def test_version_read_from_package_metadata(installed, monkeypatch):
    import importlib.metadata

    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version",
                        lambda name: "1.20.0" if name == "pulumi-policy" else real(name))
    with pytest.raises(serving.CannotServe, match="^" + REFUSAL.format(found=r"1\.20\.0") + "$"):
        installed()


@pytest.mark.parametrize("name", routing.SDK_METHODS)
def test_missing_method_is_refused(installed, monkeypatch, name):
    monkeypatch.delattr(STOCK, name)
    with pytest.raises(serving.CannotServe, match="^" + MISSING + "$"):
        installed()


@pytest.mark.parametrize("name", routing.SDK_STATE)
def test_missing_name_mangled_state_is_refused(installed, monkeypatch, name):
    """A pulumi-policy that renames a private attribute set in __init__ (as a
    release may, since it is private) cannot host the routing servicer."""
    real_init = STOCK.__init__

    def init_without(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        delattr(self, name)
    monkeypatch.setattr(STOCK, "__init__", init_without)
    with pytest.raises(serving.CannotServe, match="^" + MISSING + "$"):
        installed()


def test_missing_servicer_is_refused(installed, monkeypatch):
    monkeypatch.delattr(sdk, "_PolicyAnalyzerServicer")
    assert not routing.supported()
    with pytest.raises(serving.CannotServe, match="^" + MISSING + "$"):
        installed()


def test_stock_servicer_built_as_policy_pack_builds_it_has_every_attribute():
    """The probe is not vacuous: the pinned servicer, built from the pack's policies,
    has each attribute that routing reads."""
    from pulumi_policy import EnforcementLevel

    servicer = STOCK("keyguard", "0.0.1", crossguard.build_policies(), EnforcementLevel.ADVISORY)
    for name in routing.SDK_METHODS + routing.SDK_STATE:
        assert hasattr(servicer, name), name


def test_the_pack_process_refuses_with_one_line_and_exit_1():
    """As the engine starts the pack (`python -m pulumi.policy`, which runs __main__.py), with a
    pulumi-policy that is not the pinned one: one line on stderr, nothing on stdout (the engine
    reads the port there), exit 1."""
    code = ("import importlib.metadata as m; real = m.version; "
            "m.version = lambda n: '9.9.9' if n == 'pulumi-policy' else real(n); "
            "import runpy; runpy.run_path('__main__.py', run_name='__main__')")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert out.stdout == ""
    assert re.fullmatch("keyguard: cannot start the policy pack: " + REFUSAL.format(found=r"9\.9\.9") + "\n",
                        out.stderr), out.stderr


def test_requests_are_routed_by_type_from_routes_built_once(monkeypatch):
    """Which rules judge a resource type is worked out once per type: later requests of the
    type ask no rule again, a type no rule declares runs none, and AnalyzeStack's route holds
    exactly the stack rules and the resource rules with a stack phase."""
    from pulumi_policy import EnforcementLevel

    from policypack.registry import RULES
    from policypack.rules.base import Rule

    from tests.engine.harness import Res

    servicer = routing.servicer_class()("keyguard", "0.0.1", crossguard.build_policies(), EnforcementLevel.ADVISORY)
    asked = []
    real = Rule.applies_to
    monkeypatch.setattr(Rule, "applies_to", lambda self, t: (asked.append(t), real(self, t))[1])
    key = Res("aws:kms/key:Key", "k", {"enableKeyRotation": False}).analyze_request()
    first = servicer.Analyze(key, None)
    n = len(asked)
    assert n == sum(1 for r in RULES if r.kind == "resource")
    again = servicer.Analyze(key, None)
    assert len(asked) == n and again == first
    assert {d.policyName for d in first.diagnostics} >= {"kms-key-rotation-enabled"}
    odd = servicer.Analyze(Res("aws:s3/bucket:Bucket", "b", {}).analyze_request(), None)
    assert list(odd.diagnostics) == [] and servicer._route("resource", "aws:s3/bucket:Bucket") == []
    stack_route = {rule.name for _, rule, _ in servicer._route("stack", "")}
    assert stack_route == {r.name for r in RULES if r.kind == "stack" or r.stack_check is not None}
