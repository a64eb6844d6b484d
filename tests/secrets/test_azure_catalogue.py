"""The Azure block of the secret catalogue against the installed SDKs (pulumi-azure 6.40.1,
pulumi-azure-native 3.29.0), and the Azure credential formats against made-up values."""
import importlib
import inspect
import re

import pytest

from policypack.azure.examples import KV_REFERENCE, OPENAI_KEY, SAS_URL, STORAGE_CONNECTION
from policypack.secrets import UNMARKED_SECRET_OUTPUTS
from policypack.secrets.catalogue import AZURE_SECRET_ATTRIBUTES
from policypack.secrets.formats import credential_shape, looks_random

import pulumi_azure  # noqa: E402,F401  (dev extras: missing is an install error)
import pulumi_azure_native  # noqa: E402,F401


def _snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _classic(token):
    if token == "pulumi:providers:azure":
        return importlib.import_module("pulumi_azure.provider").Provider
    module, cls = token.split(":", 1)[1].split(":")
    return getattr(importlib.import_module(f"pulumi_azure.{module.split('/')[0]}"), cls)


def _marked(cls):
    src = inspect.getsource(cls)
    return {n for g in re.findall(r"additional_secret_outputs=\[([^\]]*)\]", src) for n in re.findall(r'"([^"]+)"', g)}


CLASSIC = [(t, p) for t, props in AZURE_SECRET_ATTRIBUTES.items() if t.startswith(("azure:", "pulumi:providers:azure"))
           and t != "pulumi:providers:azure-native" for p in props]


@pytest.mark.parametrize("token,prop", CLASSIC, ids=[f"{t}.{p}" for t, p in CLASSIC])
def test_classic_entry_is_an_output_marked_secret_or_listed_unmarked(token, prop):
    cls = _classic(token)
    assert hasattr(cls, _snake(prop)), f"{token} has no output {prop}"
    unmarked = {p for p, _ in UNMARKED_SECRET_OUTPUTS.get(token, ())}
    assert (prop in _marked(cls)) != (prop in unmarked), (
        f"{token}.{prop}: listed unmarked must mean pulumi-azure does not mark it, and the reverse")


def test_native_entries_name_real_input_paths():
    from pulumi_azure_native import keyvault, provider

    assert "value" in inspect.signature(keyvault.SecretPropertiesArgs.__init__).parameters
    assert "properties" in inspect.signature(keyvault.Secret._internal_init).parameters
    params = inspect.signature(provider.Provider._internal_init).parameters
    assert {"client_secret", "client_certificate_password"} <= set(params)
    assert AZURE_SECRET_ATTRIBUTES["azure-native:keyvault:Secret"] == ("properties.value",)


NATIVE = [(t, p) for t, props in AZURE_SECRET_ATTRIBUTES.items() if t.startswith("azure-native:") for p in props]


@pytest.mark.parametrize("token,prop", NATIVE, ids=[f"{t}.{p}" for t, p in NATIVE])
def test_native_entry_is_an_input_of_the_resource(token, prop):
    """azure-native: the first segment is an argument of the resource, the rest a field of its Args type."""
    module, cls = token.split(":")[1:]
    resource = getattr(importlib.import_module(f"pulumi_azure_native.{module}"), cls)
    first, *rest = prop.split(".")
    params = inspect.signature(resource._internal_init).parameters
    assert _snake(first) in params, f"{token} has no input {first}"
    if rest:
        annotation = str(params[_snake(first)].annotation)
        args_name = re.search(r"'(\w+Args)'", annotation).group(1)
        args = getattr(importlib.import_module(f"pulumi_azure_native.{module}"), args_name)
        assert _snake(rest[0]) in inspect.signature(args.__init__).parameters


@pytest.mark.parametrize("text,shape", [
    (STORAGE_CONNECTION, "Azure Storage Account access key"),
    (SAS_URL, "an Azure SAS token"),
    ("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey="
     "Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2Yz3AbC=", "an Azure shared access key"),
    ("abc8Q~" + "Xy7Zk2Lm9Vb4Nq1Wr8Ts3Yp6Gh0Jd5Fc2A", "a Microsoft Entra ID client secret"),
    ("Server=tcp:sql1.database.windows.net;initial catalog=db;user ID=admin;password=Tr0ub4dor-x;Pooling=true",
     "a database connection string with a password"),
])
def test_azure_formats_are_named(text, shape):
    assert shape in (credential_shape(text) or "")


@pytest.mark.parametrize("text", [
    KV_REFERENCE,
    "https://stai.blob.core.windows.net/data",  # a blob URL without a signature
    "sv=2022-11-02",  # a version alone
    "sig=short",
    "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root",  # the key's name, not the key
    "https://ai-app.openai.azure.com/",
    "Server=tcp:x;Database=db;User ID=a;Password={your_password};",  # a placeholder
    "Data Source=x;Authentication=Active Directory Managed Identity;",  # no password at all
    "password=Tr0ub4dor-x",  # a password field alone is not a connection string
])
def test_azure_look_alikes_are_not_credentials(text):
    assert credential_shape(text) is None


def test_an_azure_openai_key_is_random_looking_so_a_secret_like_name_flags_it():
    assert looks_random(OPENAI_KEY)


def test_a_setting_named_in_capitalised_words_is_shown_not_hidden():
    from policypack.secrets.index import CREDENTIAL_KEY, _key

    for name in ("AzureWebJobsStorage", "WEBSITE_RUN_FROM_PACKAGE", "storageAccountName"):
        assert _key(name) == name
    assert _key("kG7xP2mQ9vR4tY8wZ1aB3cD5") == CREDENTIAL_KEY  # a key used as a name stays hidden


def test_every_output_pulumi_azure_marks_secret_is_catalogued():
    """As for pulumi-aws: each output the classic provider marks secret is secret material the
    catalogue lists, or is excluded with a reason; a release that marks a new one fails here."""
    from policypack.secrets.catalogue import NOT_SECRET_MATERIAL
    from tests.secrets.test_catalogue import _every_marked_secret_output

    marked = _every_marked_secret_output("azure")
    assert len(marked) > 400  # the scan of the SDK found them (432 in pulumi-azure 6.40.1)
    missing = sorted(f"{t}.{p}" for t, p in marked if not p.endswith("Wo")
                     and p not in AZURE_SECRET_ATTRIBUTES.get(t, ()) and (t, p) not in NOT_SECRET_MATERIAL)
    assert missing == [], "add these to the Azure catalogue (or, with a reason, to NOT_SECRET_MATERIAL)"


def test_azure_not_secret_material_entries_are_still_marked_by_pulumi_azure():
    from policypack.secrets.catalogue import NOT_SECRET_MATERIAL
    from tests.secrets.test_catalogue import _every_marked_secret_output

    azure = {(t, p) for t, p in NOT_SECRET_MATERIAL if t.startswith("azure:") or t == "pulumi:providers:azure"}
    assert azure, "the Azure exclusions are read"
    assert sorted(f"{t}.{p}" for t, p in azure - _every_marked_secret_output("azure")) == []
