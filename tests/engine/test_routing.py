"""When the pack runs on keyguard's routing servicer, and when on pulumi-policy's own.

The routing servicer reads pulumi-policy internals, so it must step aside for any
pulumi-policy other than the pinned one, and for one that lacks any attribute it
reads, name-mangled instance state included; KEYGUARD_ROUTING=0 also turns it off.
Each case checks what `install_servicer` (what `serve` runs) leaves for PolicyPack.
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from pulumi_policy import policy as sdk

from policypack import crossguard, routing

ROOT = Path(__file__).resolve().parents[2]
STOCK = sdk._PolicyAnalyzerServicer


@pytest.fixture
def installed(monkeypatch):
    """The servicer class that install_servicer leaves where PolicyPack looks for it."""
    monkeypatch.delenv("KEYGUARD_ROUTING", raising=False)
    # Put the stock class back after each test, whatever install_servicer did.
    monkeypatch.setattr(sdk, "_PolicyAnalyzerServicer", STOCK)

    def run():
        crossguard.install_servicer()
        return sdk._PolicyAnalyzerServicer
    return run


def _is_routing(cls) -> bool:
    return cls is not STOCK and issubclass(cls, STOCK) and cls.__name__ == "RoutingServicer"


def test_pin_is_the_one_in_requirements_and_pyproject():
    req = re.search(r"^pulumi-policy==(\S+)$", (ROOT / "requirements.txt").read_text(), re.M)
    assert req and req.group(1) == routing.PINNED_PULUMI_POLICY
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert f"pulumi-policy=={routing.PINNED_PULUMI_POLICY}" in deps


def test_pinned_version_routes(installed):
    assert routing.installed_version() == routing.PINNED_PULUMI_POLICY
    assert routing.supported()
    assert _is_routing(installed())


def test_routing_can_be_turned_off(installed, monkeypatch):
    monkeypatch.setenv("KEYGUARD_ROUTING", "0")
    assert not routing.supported()
    assert installed() is STOCK


def test_another_version_falls_back(installed, monkeypatch):
    monkeypatch.setattr(routing, "installed_version", lambda: "1.22.0")
    assert not routing.supported()
    assert installed() is STOCK


def test_version_read_from_package_metadata(installed, monkeypatch):
    import importlib.metadata

    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version",
                        lambda name: "1.20.0" if name == "pulumi-policy" else real(name))
    assert installed() is STOCK


@pytest.mark.parametrize("name", routing.SDK_METHODS)
def test_missing_method_falls_back(installed, monkeypatch, name):
    monkeypatch.delattr(STOCK, name)
    assert installed() is STOCK


@pytest.mark.parametrize("name", routing.SDK_STATE)
def test_missing_name_mangled_state_falls_back(installed, monkeypatch, name):
    """A pulumi-policy that renames a private attribute set in __init__ (as a
    release may, since it is private) leaves the routing servicer out."""
    real_init = STOCK.__init__

    def init_without(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        delattr(self, name)
    monkeypatch.setattr(STOCK, "__init__", init_without)
    assert installed() is STOCK


def test_missing_servicer_falls_back(installed, monkeypatch):
    monkeypatch.delattr(sdk, "_PolicyAnalyzerServicer")
    assert not routing.supported()


def test_stock_servicer_built_as_policy_pack_builds_it_has_every_attribute():
    """The probe is not vacuous: the pinned servicer, built from the pack's policies,
    has each attribute that routing reads."""
    from pulumi_policy import EnforcementLevel

    servicer = STOCK("keyguard", "0.0.1", crossguard.build_policies(), EnforcementLevel.ADVISORY)
    for name in routing.SDK_METHODS + routing.SDK_STATE:
        assert hasattr(servicer, name), name
