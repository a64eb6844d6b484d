"""Azure programs under mocks: ids as Resource Manager builds them, getClientConfig answered, and
key-listing functions answered with values of the real formats (policypack/inputs/_mock_azure.py)."""
from pathlib import Path

from policypack.inputs.program import run_program
from policypack.registry import RULES
from policypack.evaluate import evaluate

PROGRAM = Path(__file__).resolve().parents[1] / "programs" / "azure_keys"


def test_ids_keys_and_findings_of_an_azure_program():
    resources = run_program(str(PROGRAM))
    by_name = {r.name: r for r in resources}
    rg, vault, grant = by_name["rg"], by_name["kv"], by_name["reader"]
    sub = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590"
    assert rg.id.startswith(f"{sub}/resourceGroups/rg")
    assert vault.id.startswith(f"{rg.id}/providers/Microsoft.KeyVault/vaults/kv")
    # The assignment's scope is the vault's id, and its own id sits under that scope.
    assert grant.props["scope"] == vault.id
    assert grant.id.startswith(f"{vault.id}/providers/Microsoft.Authorization/roleAssignments/")
    assert vault.props["properties"]["tenantId"] == "72f988bf-86f1-41af-91ab-2d7cd011db47"
    assert by_name["azure-keys-dev"].props["vaultId"] == vault.id  # the export carries the modelled id

    results = evaluate(resources, RULES)
    failing = {(r.policy, r.urn.rsplit("::", 1)[-1], r.path) for r in results if r.status.value == "fail"}
    # The generated storage key has the real format, so the connection string built from it is found.
    assert ("azure-app-settings-no-secrets", "fn", "siteConfig.appSettings.AzureWebJobsStorage") in failing
    # The role is read by bare GUID and judged at the vault's scope: it passes.
    assert not any(p == "azure-role-assignment-secrets-scoped" for p, _, _ in failing)
    assert ("azure-keyvault-rbac-authorization", "kv", "properties.enableRbacAuthorization") in failing


def test_a_user_assigned_identity_list_comes_back_as_the_map_azure_returns():
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "policypack" / "inputs" / "_mock_azure.py"
    spec = importlib.util.spec_from_file_location("_mock_azure_under_test", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    state = {"identity": {"type": "UserAssigned", "userAssignedIdentities": ["/subscriptions/s/id1"]}, "x": 1}
    assert mod.native_state(state) == {"identity": {"type": "UserAssigned",
                                                    "userAssignedIdentities": {"/subscriptions/s/id1": {}}}, "x": 1}
    assert state["identity"]["userAssignedIdentities"] == ["/subscriptions/s/id1"]  # the recorded inputs stay
    assert mod.call("azure-native:cognitiveservices:listAccountKeys", {})["key1"] != \
        mod.call("azure-native:cognitiveservices:listAccountKeys", {})["key1"]
    assert mod.call("azure-native:web:listWebAppPublishingCredentials", {}) is None  # left to the generic answer


def test_an_unmodelled_function_answers_object_fields_unknown_and_finds_acronym_members():
    """azure-native getPublicIPAddress: its result class is found although `IP` is no snake-cased
    word, and its dnsSettings is an object of unknown fields, so `result.dns_settings.fqdn` reads
    as unknown instead of failing on None (pulumi/examples azure-py-loadbalancer-vm)."""
    import importlib.util
    import sys

    path = Path(__file__).resolve().parents[2] / "policypack" / "inputs" / "_mockvalues.py"
    spec = importlib.util.spec_from_file_location("_keyguard_mock_mockvalues_under_test", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    cls = mod.function_result_class("azure-native:network:getPublicIPAddress")
    assert cls is not None and cls.__name__ == "GetPublicIPAddressResult"
    dns = mod.unknown_of(mod._declared(cls, resource=False)["dnsSettings"])
    assert dns["fqdn"] == mod.UNKNOWN_TEXT
    assert mod.unknown_of(str) == mod.UNKNOWN_TEXT and mod.unknown_of(int) is None
