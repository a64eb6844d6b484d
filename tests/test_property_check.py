"""The declarative one-property check: every branch a rule built on it relies on."""
from __future__ import annotations

import pytest

from policypack.model import UNKNOWN, Status
from policypack.property_check import PropertyCheck, equals

from tests.builders import resource

NATIVE, CLASSIC = "azure-native:keyvault:Vault", "azure:keyvault/keyVault:KeyVault"


def _one(check: PropertyCheck, rtype: str, props: dict, config: dict | None = None):
    outcomes = list(check(resource(rtype, "v", props), config or {}))
    assert len(outcomes) == 1
    return outcomes[0]


PURGE = PropertyCheck(
    paths={NATIVE: "properties.enablePurgeProtection", CLASSIC: "purgeProtectionEnabled"},
    judge=equals(True), problem="is not true, so a deleted vault can be purged at once",
)


def test_each_provider_is_read_at_its_own_path():
    assert _one(PURGE, NATIVE, {"properties": {"enablePurgeProtection": True}}).status is Status.PASS
    assert _one(PURGE, CLASSIC, {"purgeProtectionEnabled": True}).status is Status.PASS
    # The other provider's spelling does not count.
    out = _one(PURGE, CLASSIC, {"properties": {"enablePurgeProtection": True}})
    assert (out.status, out.path) == (Status.FAIL, "purgeProtectionEnabled")
    assert PURGE.resource_types == frozenset({NATIVE, CLASSIC})


def test_failure_names_resource_and_path_never_the_value():
    out = _one(PURGE, NATIVE, {"properties": {"enablePurgeProtection": "sk-live-value-should-not-echo"}})
    assert out.status is Status.FAIL
    assert out.message == "v: properties.enablePurgeProtection is not true, so a deleted vault can be purged at once"
    assert "sk-live" not in out.message


def test_absent_property_follows_the_declared_default():
    assert _one(PURGE, NATIVE, {}).message == ("v: properties.enablePurgeProtection is not set: is not true, so a "
                                               "deleted vault can be purged at once")
    lenient = PropertyCheck(paths={NATIVE: "a"}, judge=equals(True), problem="p", absent="pass")
    assert _one(lenient, NATIVE, {}).status is Status.PASS
    na = PropertyCheck(paths={NATIVE: "a"}, judge=equals(True), problem="p", absent="not_applicable")
    assert _one(na, NATIVE, {}).status is Status.NOT_APPLICABLE
    said = PropertyCheck(paths={NATIVE: "a"}, judge=equals(True), problem="p", absent_problem="no default")
    assert _one(said, NATIVE, {}).message == "v: a is not set: no default"


@pytest.mark.parametrize("props", [{"properties": UNKNOWN}, {"properties": {"enablePurgeProtection": UNKNOWN}}])
def test_unknown_is_undecided_not_a_failure(props):
    out = _one(PURGE, NATIVE, props)
    assert (out.status, out.path) == (Status.UNKNOWN, "properties.enablePurgeProtection")


def test_unknown_inside_a_value_is_undecided():
    check = PropertyCheck(paths={NATIVE: "rules"}, judge=lambda v, c: len(v) > 0, problem="is empty")
    assert _one(check, NATIVE, {"rules": [{"x": UNKNOWN}]}).status is Status.UNKNOWN


def test_judgement_reads_config_and_may_give_its_own_reason():
    def within(value, config):
        return True if value <= config["maxDays"] else f"is above maxDays ({config['maxDays']})"
    check = PropertyCheck(paths={NATIVE: "days"}, judge=within, problem="unused")
    assert _one(check, NATIVE, {"days": 30}, {"maxDays": 90}).status is Status.PASS
    assert _one(check, NATIVE, {"days": 120}, {"maxDays": 90}).message == "v: days is above maxDays (90)"


def test_applies_gives_not_applicable_with_its_reason():
    check = PropertyCheck(paths={NATIVE: "a"}, judge=equals(True), problem="p",
                          applies=lambda r: "an asymmetric key" if r.props.get("kind") == "rsa" else None)
    out = _one(check, NATIVE, {"kind": "rsa"})
    assert (out.status, out.message) == (Status.NOT_APPLICABLE, "an asymmetric key")
    assert _one(check, NATIVE, {"kind": "aes", "a": True}).status is Status.PASS


def test_applies_unknown_during_preview_gives_unknown_even_when_the_property_is_unset():
    check = PropertyCheck(paths={NATIVE: "a"}, judge=equals(True), problem="p",
                          applies=lambda r: UNKNOWN if r.props.get("kind") is UNKNOWN else None)
    out = _one(check, NATIVE, {"kind": UNKNOWN})
    assert (out.status, out.path) == (Status.UNKNOWN, "a")
    assert _one(check, NATIVE, {"kind": "aes"}).status is Status.FAIL


def test_other_types_get_no_outcome():
    assert list(PURGE(resource("aws:kms/key:Key", "v", {}), {})) == []


def test_equals_compares_enum_strings_without_case_and_booleans_strictly():
    assert equals("Disabled")("disabled", {}) is True
    assert equals(True)(1, {}) is False
    assert equals(0)(0, {}) is True


def test_bad_declarations_are_refused():
    with pytest.raises(ValueError):
        PropertyCheck(paths={NATIVE: "a"}, judge=equals(True), problem="p", absent="maybe")
    with pytest.raises(ValueError):
        PropertyCheck(paths={}, judge=equals(True), problem="p")


RBAC = PropertyCheck(
    paths={CLASSIC: ("rbacAuthorizationEnabled", "enableRbacAuthorization")},
    judge=equals(True), problem="is not true",
)


def test_alternative_spellings_judge_the_first_one_set():
    assert _one(RBAC, CLASSIC, {"enableRbacAuthorization": True}).status is Status.PASS
    out = _one(RBAC, CLASSIC, {"rbacAuthorizationEnabled": False, "enableRbacAuthorization": True})
    assert (out.status, out.path) == (Status.FAIL, "rbacAuthorizationEnabled")
    # Neither set: the failure names the first (current) spelling.
    out = _one(RBAC, CLASSIC, {})
    assert (out.status, out.path) == (Status.FAIL, "rbacAuthorizationEnabled")
    # An unknown earlier spelling may be the one that counts: undecided, never judged on the later one.
    out = _one(RBAC, CLASSIC, {"rbacAuthorizationEnabled": UNKNOWN, "enableRbacAuthorization": False})
    assert (out.status, out.path) == (Status.UNKNOWN, "rbacAuthorizationEnabled")


def test_all_of_runs_each_check_on_the_types_it_names():
    from policypack.property_check import AllOf

    native = PropertyCheck(paths={NATIVE: "properties.disableLocalAuth"}, judge=equals(True), problem="p")
    classic = PropertyCheck(paths={CLASSIC: "localAuthEnabled"}, judge=equals(False), problem="p")
    both = AllOf(native, classic)
    assert both.resource_types == frozenset({NATIVE, CLASSIC})
    assert [o.status for o in both(resource(CLASSIC, "v", {"localAuthEnabled": False}), {})] == [Status.PASS]
    assert [o.status for o in both(resource(NATIVE, "v", {"properties": {"disableLocalAuth": False}}), {})] == [Status.FAIL]
    two = AllOf(PURGE, PropertyCheck(paths={NATIVE: "properties.enableSoftDelete"}, judge=equals(True),
                                     problem="p", absent="pass"))
    assert [o.path for o in two(resource(NATIVE, "v", {}), {})] == ["properties.enablePurgeProtection",
                                                           "properties.enableSoftDelete"]
    with pytest.raises(ValueError):
        AllOf()
