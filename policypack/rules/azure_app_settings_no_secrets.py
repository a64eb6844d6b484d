"""azure-app-settings-no-secrets: App Service and Container Apps settings carry no secrets."""
from __future__ import annotations

import re
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Tuple

from ..azure.examples import (KV_REFERENCE, OPENAI_KEY, SAS_URL, SECRET_URI, STORAGE_CONNECTION, STORAGE_KEY,
                              VAULT_URI)
from ..examples import SHA256, UUID, Example, R
from ..model import UNKNOWN, Outcome, Resource, Stack, passed
from ..secrets import stack_secrets
from ..secrets.index import SCAN_LIMIT_SCHEMA
from ..secrets.judging import judge_value, name_value_map
from ..tokens import azure as az
from .base import Rule

ADVICE = ("put the secret in Key Vault and reference it (@Microsoft.KeyVault(SecretUri=...) in App Service, a "
          "secretRef in Container Apps) instead")

# A Key Vault reference is resolved by App Service at run time: the setting holds its address only.
_KV_REFERENCE = re.compile(r"\s*@Microsoft\.KeyVault\(.*\)\s*", re.IGNORECASE | re.DOTALL)


def _without_references(settings: Any) -> Any:
    if not isinstance(settings, Mapping):
        return settings
    return {k: v for k, v in settings.items() if not (isinstance(v, str) and _KV_REFERENCE.fullmatch(v))}


def _container_env(template: Any, containers_key: str, env_key: str, prop: str
                   ) -> Iterator[Tuple[str, str, Any]]:
    """Each container's environment (name -> value; entries that name a secret hold no value)."""
    containers = template.get(containers_key) if isinstance(template, Mapping) else template
    if containers is UNKNOWN:
        yield prop, f"{prop}.{containers_key}", UNKNOWN
        return
    for i, c in enumerate(containers if isinstance(containers, list) else []):
        path = f"{prop}.{containers_key}[{i}].{env_key}"
        yield prop, path, UNKNOWN if c is UNKNOWN else name_value_map(c.get(env_key) if isinstance(c, Mapping)
                                                                      else None)


def settings_of(res: Resource) -> Iterator[Tuple[str, str, Any]]:
    """(top-level property, path, {setting name: value}) for each group of settings a resource holds."""
    props = res.props
    if res.type in (az.NATIVE_WEB_APP, az.NATIVE_WEB_APP_SLOT):
        site = props.get("siteConfig")
        if site is UNKNOWN:
            yield "siteConfig", "siteConfig", UNKNOWN
            return
        site = site if isinstance(site, Mapping) else {}
        yield "siteConfig", "siteConfig.appSettings", _without_references(name_value_map(site.get("appSettings")))
        yield "siteConfig", "siteConfig.connectionStrings", _without_references(
            name_value_map(site.get("connectionStrings"), "connectionString"))
    elif res.type in (az.NATIVE_APP_SETTINGS, az.NATIVE_APP_SETTINGS_SLOT):
        yield "properties", "properties", _without_references(props.get("properties"))
    elif res.type in (az.NATIVE_CONNECTION_STRINGS, az.NATIVE_CONNECTION_STRINGS_SLOT):
        strings = props.get("properties")
        if isinstance(strings, Mapping):
            strings = {k: v.get("value") if isinstance(v, Mapping) else v for k, v in strings.items()}
        yield "properties", "properties", _without_references(strings)
    elif res.type == az.NATIVE_CONTAINER_APP:
        yield from _container_env(props.get("template"), "containers", "env", "template")
        yield from _container_env(props.get("template"), "initContainers", "env", "template")
    elif res.type == az.CLASSIC_CONTAINER_APP:
        yield from _container_env(props.get("template"), "containers", "envs", "template")
        yield from _container_env(props.get("template"), "initContainers", "envs", "template")
    else:  # the classic App Service apps
        yield "appSettings", "appSettings", _without_references(props.get("appSettings"))
        yield "connectionStrings", "connectionStrings", _without_references(
            name_value_map(props.get("connectionStrings")))


JUDGED = (az.NATIVE_WEB_APP, az.NATIVE_WEB_APP_SLOT, az.NATIVE_APP_SETTINGS, az.NATIVE_APP_SETTINGS_SLOT,
          az.NATIVE_CONNECTION_STRINGS, az.NATIVE_CONNECTION_STRINGS_SLOT, az.NATIVE_CONTAINER_APP,
          az.CLASSIC_CONTAINER_APP, *az.CLASSIC_APPS)


def check_app_settings(stack: Stack, config: Mapping[str, Any]) -> Iterable[Outcome]:
    index = stack_secrets(stack)
    for res in stack.of_type(*JUDGED):
        groups = [(prop, path, value) for prop, path, value in settings_of(res) if value is not None]
        judged: List[Outcome] = []
        for prop, path, value in groups:
            judged.extend(judge_value(stack, index, res, prop, value or None, path, "setting", ADVICE, config))
        # One pass per resource when nothing is wrong (a resource without settings too), one
        # outcome per leaking setting otherwise.
        problems = [o for o in judged if o.status.value != "pass"]
        yield from problems or judged[:1] or [passed(urn=res.urn)]


def _site(app_settings: List[Dict[str, Any]], connection_strings: Any = None) -> Dict[str, Any]:
    config: Dict[str, Any] = {"appSettings": app_settings}
    if connection_strings is not None:
        config["connectionStrings"] = connection_strings
    return {"resourceGroupName": "rg-ai", "serverFarmId": "plan", "siteConfig": config}


def _nv(**pairs: Any) -> List[Dict[str, Any]]:
    return [{"name": k, "value": v} for k, v in pairs.items()]


def _container_app(env: Any, secrets: Any = None) -> Dict[str, Any]:
    configuration: Dict[str, Any] = {"secrets": secrets or []}
    return {"resourceGroupName": "rg-ai", "configuration": configuration,
            "template": {"containers": [{"name": "api", "image": "api:1", "env": env}]}}


_ENDPOINT = "https://ai-app.openai.azure.com/"
_SQL_PASSWORD = "Vq8-Lm2#Tz5"  # short: found as the server's password inside the string

RULE = Rule(
    name="azure-app-settings-no-secrets",
    title="App Service and Container Apps settings carry no secrets",
    description="No App Service or Function app setting or connection string (azure-native WebApp site config, "
                "WebAppApplicationSettings, WebAppConnectionStrings; classic Linux/Windows Web and Function apps "
                "and their slots) and no Container Apps environment variable may carry secret material: a value of "
                "a secret-bearing attribute of the stack, a well-known credential format (storage connection "
                "strings, SAS tokens, shared access keys, Entra ID client secrets), or a random-looking value under "
                "a secret-like name. A Key Vault reference or a secretRef holds no secret and passes. Anyone with "
                "Website Contributor or the app's configuration reader reads settings in plaintext.",
    severity="critical",
    enforcement="mandatory",
    kind="stack",
    check=check_app_settings,
    config_schema=SCAN_LIMIT_SCHEMA,
    resource_types=frozenset(JUDGED),
    remediation="Store the secret in Key Vault (azure_native.keyvault.Secret or azure.keyvault.Secret), give the "
                "app a managed identity with Key Vault Secrets User on the vault, and set the app setting to "
                "'@Microsoft.KeyVault(SecretUri=...)'; in Container Apps put a configuration.secrets entry with "
                "key_vault_url and identity, and name it in the env entry's secret_ref (classic: secret_name).",
    url="https://learn.microsoft.com/azure/app-service/app-service-key-vault-references",
    controls={"nist-800-53-r5": ["IA-5(7)", "SC-28"], "pci-dss-v4.0.1": ["8.6.2", "8.3.2"], "pci-dss-v4.0": ["8.6.2", "8.3.2"]},
    examples=(
        Example("Key Vault references and plain settings", [
            R(az.NATIVE_WEB_APP, "native", _site(_nv(AZURE_OPENAI_API_KEY=KV_REFERENCE, AZURE_OPENAI_ENDPOINT=_ENDPOINT,
                                                     KEY_VAULT_URI=VAULT_URI))),
            R(az.CLASSIC_LINUX_WEB_APP, "classic", {"appSettings": {
                "AZURE_OPENAI_API_KEY": "@Microsoft.KeyVault(VaultName=kv-ai;SecretName=openai-key)",
                "SECRET_URI": SECRET_URI, "REQUEST_ID": UUID, "MODEL_SHA256": SHA256}})],
            {"native": "pass", "classic": "pass"}),
        Example("a secretRef in a Container App", [
            R(az.NATIVE_CONTAINER_APP, "native", _container_app(
                [{"name": "AZURE_OPENAI_API_KEY", "secretRef": "openai-key"}, {"name": "ENDPOINT", "value": _ENDPOINT}],
                [{"name": "openai-key", "keyVaultUrl": SECRET_URI, "identity": "system"}])),
            R(az.CLASSIC_CONTAINER_APP, "classic", {"template": {"containers": [{"name": "api", "image": "api:1", "envs": [
                {"name": "AZURE_OPENAI_API_KEY", "secretName": "openai-key"}]}]}})],
            {"native": "pass", "classic": "pass"}),
        Example("an Azure OpenAI key in a Web App setting, both providers", [
            R(az.NATIVE_WEB_APP, "native", _site(_nv(AZURE_OPENAI_API_KEY=OPENAI_KEY))),
            R(az.CLASSIC_WINDOWS_FUNCTION_APP, "classic", {"appSettings": {"AZURE_OPENAI_API_KEY": OPENAI_KEY}})],
            {"native": "fail:siteConfig.appSettings.AZURE_OPENAI_API_KEY",
             "classic": "fail:appSettings.AZURE_OPENAI_API_KEY"},
                controls=("nist-800-53-r5:IA-5(7)", "nist-800-53-r5:SC-28", "pci-dss-v4.0.1:8.6.2", "pci-dss-v4.0.1:8.3.2", "pci-dss-v4.0:8.6.2", "pci-dss-v4.0:8.3.2")),
        Example("a storage connection string and a SAS URL under plain names", [
            R(az.NATIVE_APP_SETTINGS, "settings", {"name": "app", "resourceGroupName": "rg-ai", "properties": {
                "WEBJOBS_STORAGE": STORAGE_CONNECTION, "DATA_URL": SAS_URL, "ENDPOINT": _ENDPOINT}}),
            R(az.CLASSIC_LINUX_WEB_APP, "strings", {"connectionStrings": [
                {"name": "storage", "type": "Custom", "value": STORAGE_CONNECTION}]})],
            {"settings": ("fail:properties.WEBJOBS_STORAGE", "fail:properties.DATA_URL"),
             "strings": "fail:connectionStrings.storage"}),
        Example("a storage key of the stack copied into a Container App's env", [
            R(az.CLASSIC_STORAGE_ACCOUNT, "st", {"primaryAccessKey": STORAGE_KEY}),
            R(az.NATIVE_CONTAINER_APP, "app", _container_app([{"name": "BLOB", "value": STORAGE_KEY}]))],
            {"app": "fail:template.containers[0].env.BLOB"}),
        Example("the SQL server's password inside a connection string", [
            R(az.NATIVE_SQL_SERVER, "sql", {"administratorLogin": "app", "administratorLoginPassword": _SQL_PASSWORD}),
            R(az.NATIVE_WEB_APP, "app", _site(_nv(ENDPOINT=_ENDPOINT), [
                {"name": "db", "type": "SQLAzure", "connectionString":
                    f"Server=tcp:sql.database.windows.net;Initial Catalog=app;User ID=app;Password={_SQL_PASSWORD};"},
                {"name": "aad", "type": "SQLAzure", "connectionString":
                    "Server=tcp:sql.database.windows.net;Initial Catalog=app;Authentication=Active Directory Default;"}]))],
            {"app": "fail:siteConfig.connectionStrings.db"}),
        Example("computed from a secret-bearing resource (preview)", [
            R(az.CLASSIC_STORAGE_ACCOUNT, "st", {"primaryAccessKey": UNKNOWN}),
            R(az.CLASSIC_LINUX_FUNCTION_APP, "fn", {"appSettings": {"STORAGE": UNKNOWN}},
              property_dependencies={"appSettings": [f"{az.CLASSIC_STORAGE_ACCOUNT}::st"]})],
            {"fn": "unknown"}),
        Example("unknown site config (preview)", [R(az.NATIVE_WEB_APP, "app", {"siteConfig": UNKNOWN})],
                {"app": "unknown"}),
        Example("no settings at all", [R(az.NATIVE_WEB_APP, "app", {"resourceGroupName": "rg-ai"}),
                                       R(az.CLASSIC_LINUX_WEB_APP, "classic", {})],
                {"app": "pass", "classic": "pass"}),
    ),
)
