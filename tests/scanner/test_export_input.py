import json

import pytest

from policypack.config import resolve
from policypack.evaluate import evaluate
from policypack.inputs import export
from policypack.registry import RULES
from policypack.model import UNKNOWN, STACK_TYPE

from .conftest import EXPORT, keyguard


def _doc():
    return json.loads(EXPORT.read_text())


def _by_name():
    return {r.name: r for r in export.read(_doc(), "x")}


def test_secrets_decoded_or_unknown():
    res = _by_name()
    root = res["ai-api-prod"]
    assert root.type == STACK_TYPE
    assert root.props["debug_api_key"] == "Xq7vR2mT9pL4wK8sN3bJ6hF1dG5cZ0aYeUiOoPqW"  # plaintext secret, decoded
    assert root.props["db_password"] is UNKNOWN  # ciphertext cannot be read
    assert res["myApiSecretVersion"].props["secretString"] is UNKNOWN


def test_links_and_listed_secret_outputs():
    res = _by_name()
    version = res["myApiSecretVersion"]
    secret_urn = res["myApiSecret"].urn
    assert version.parent == res["ai-api-prod"].urn
    assert version.depends_on("secretId") == (secret_urn,)
    assert set(version.dependencies) == {secret_urn, res["myApiKey"].urn}
    assert version.id.endswith("|terraform-20261120091253")
    # An output encrypted in the state counts as listed even when the resource did not declare it.
    assert version.additional_secret_outputs == ("secretString",)
    assert res["myApiKey"].additional_secret_outputs == ("value",)


def test_providers_left_out_and_inputs_view():
    assert not any(r.type.startswith("pulumi:providers:") for r in export.read(_doc(), "x"))
    key = _by_name()["myApiKey"]
    assert "value" not in key.inputs  # the generated key is an output, not an input
    assert "value" in key.props


def test_scan_reports_exactly_the_seed_problems():
    r = keyguard("scan", EXPORT, "--format", "json")
    assert r.code == 1 and r.err == ""
    report = json.loads(r.out)
    got = {(f["policy"], f["status"], f["urn"].rsplit("::", 1)[-1]) for f in report["findings"]}
    assert got == {
        ("secretsmanager-secret-kms-cmk", "fail", "myApiSecret"),
        ("secretsmanager-secret-rotation-enabled", "fail", "myApiSecret"),
        ("stack-exports-no-secrets", "fail", "ai-api-prod"),
        ("stack-exports-no-secrets", "unknown", "ai-api-prod"),
        ("apigateway-api-key-usage-plan", "fail", "myApiKey"),
    }
    leak = next(f for f in report["findings"] if f["status"] == "fail" and f["policy"] == "stack-exports-no-secrets")
    assert "debug_api_key" in leak["message"]
    assert "Xq7vR2mT9pL4wK8sN3bJ6hF1dG5cZ0aYeUiOoPqW" not in r.out  # never echo a secret


def test_bad_export_shapes(tmp_path):
    for body, needle in (({"version": 3, "deployment": {"resources": {}}}, "deployment.resources must be a list"),
                         ({"version": 9, "deployment": {}}, "unsupported stack export version"),
                         ({"version": 3, "deployment": {"resources": [{"urn": "nope", "type": "t"}]}}, "urn"),
                         ({"version": 3, "deployment": {"resources": [
                             {"urn": "urn:pulumi:s::p::t::n", "type": "t", "outputs": []}]}}, "outputs")):
        f = tmp_path / "e.json"
        f.write_text(json.dumps(body))
        r = keyguard("scan", f)
        assert r.code == 2 and len(r.err_lines) == 1 and needle in r.err, (body, r.err)


def _with_usage_plan_key(value, declared):
    doc = _doc()
    res = doc["deployment"]["resources"]
    urn = "urn:pulumi:prod::ai-api::aws:apigateway/usagePlanKey:UsagePlanKey::planKey"
    entry = {"urn": urn, "custom": True, "id": "k3y1d2x9p0", "type": "aws:apigateway/usagePlanKey:UsagePlanKey",
             "inputs": {"keyId": "k3y1d2x9p0", "keyType": "API_KEY", "usagePlanId": "pl4n"},
             "outputs": {"id": "k3y1d2x9p0", "keyId": "k3y1d2x9p0", "keyType": "API_KEY", "usagePlanId": "pl4n",
                         "name": "myApiKey-5c1e2a7", "value": value},
             "parent": res[0]["urn"], "dependencies": [res[3]["urn"]],
             "propertyDependencies": {"keyId": [res[3]["urn"]]}}
    if declared:
        entry["additionalSecretOutputs"] = ["value"]
    res.append(entry)
    return [r for r in evaluate(export.read(doc, "x"), RULES, settings=resolve(RULES))
            if r.policy == "state-secret-outputs-encrypted"]


def test_state_secret_outputs_judged_from_the_state():
    sig = "4dabf18193072939515e22adb298388d"
    encrypted = {sig: "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:abc:def"}
    plain = "Xq7vR2mT9pL4wK8sN3bJ6hF1dG5cZ0aYeUiOoPqW"
    # Encrypted in the state: as good as listed, even if the program never declared it.
    assert [r.status.value for r in _with_usage_plan_key(encrypted, declared=False)] == ["pass"]
    assert [r.status.value for r in _with_usage_plan_key(plain, declared=True)] == ["pass"]
    # The API key in plaintext state, unlisted: the finding this policy exists for.
    assert [r.status.value for r in _with_usage_plan_key(plain, declared=False)] == ["fail"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_exports_written_with_a_bom_read_like_utf8(tmp_path, encoding):
    # `pulumi stack export > f.json` in Windows PowerShell 5 writes UTF-16 with a BOM.
    f = tmp_path / "export.json"
    f.write_text(EXPORT.read_text(encoding="utf-8"), encoding=encoding)
    plain = keyguard("scan", EXPORT, "--format", "json")
    bom = keyguard("scan", f, "--format", "json")
    assert bom.code == plain.code == 1, bom.err
    assert json.loads(bom.out)["findings"] == json.loads(plain.out)["findings"]
