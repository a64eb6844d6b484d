"""The AI app written the way keyguard refuses, each mistake once, in both providers.

Each comment names the policy the line breaks; tests/scanner/test_azure_examples.py holds the
exact set of findings this program must produce.
"""
import pulumi
import pulumi_azure as azure
import pulumi_azure_native as native

client = native.authorization.get_client_config_output()
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"  # Owner (built-in)

rg = native.resources.ResourceGroup("rg-ai")

# azure-keyvault-recoverable (no purge protection), -public-network-disabled (defaults: public, Allow),
# -rbac-authorization (access policies by default).
vault = native.keyvault.Vault(
    "kv-open",
    resource_group_name=rg.name,
    properties=native.keyvault.VaultPropertiesArgs(
        tenant_id=client.tenant_id,
        sku=native.keyvault.SkuArgs(family="A", name="standard"),
        access_policies=[native.keyvault.AccessPolicyEntryArgs(
            tenant_id=client.tenant_id, object_id=client.object_id,
            permissions=native.keyvault.PermissionsArgs(secrets=["get", "list", "set"]))],
    ),
)

# azure-keyvault-secret-expiration: never expires.
native.keyvault.Secret(
    "partner-api-key",
    resource_group_name=rg.name,
    vault_name=vault.name,
    properties=native.keyvault.SecretPropertiesArgs(value=pulumi.Output.secret("see-the-runbook"),
                                                    content_type="api-key"),
)

# azure-keyvault-key-rotation: a key that is never rotated.
native.keyvault.Key(
    "cmk",
    resource_group_name=rg.name,
    vault_name=vault.name,
    properties=native.keyvault.KeyPropertiesArgs(kty="RSA", key_size=2048),
)

# azure-cognitive-account-local-auth-disabled: keys accepted (the default).
native.cognitiveservices.Account(
    "openai",
    resource_group_name=rg.name,
    kind="OpenAI",
    sku=native.cognitiveservices.SkuArgs(name="S0"),
    properties=native.cognitiveservices.AccountPropertiesArgs(custom_sub_domain_name="keyguard-open-ai"),
)

# azure-role-assignment-secrets-scoped: Owner on the whole subscription.
native.authorization.RoleAssignment(
    "deployer-owner",
    principal_id=client.object_id,
    principal_type="ServicePrincipal",
    role_definition_id=client.subscription_id.apply(
        lambda s: f"/subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{OWNER}"),
    scope=client.subscription_id.apply(lambda s: f"/subscriptions/{s}"),
)

# The classic provider: an account that accepts keys, a storage account whose connection
# string goes into a function app's settings and out as a stack export, and a secret
# reader granted on the whole resource group.
classic_rg = azure.core.ResourceGroup("rg-ai-classic", location="westeurope")
classic_openai = azure.cognitive.Account(
    "openai-classic",
    resource_group_name=classic_rg.name,
    location=classic_rg.location,
    kind="OpenAI",
    sku_name="S0",
)
storage = azure.storage.Account(
    "stai",
    resource_group_name=classic_rg.name,
    location=classic_rg.location,
    account_tier="Standard",
    account_replication_type="LRS",
)
plan = azure.appservice.ServicePlan("plan", resource_group_name=classic_rg.name, location=classic_rg.location,
                                    os_type="Linux", sku_name="Y1")
# azure-app-settings-no-secrets: the storage connection string and the Azure OpenAI key in app settings.
azure.appservice.LinuxFunctionApp(
    "worker",
    resource_group_name=classic_rg.name,
    location=classic_rg.location,
    service_plan_id=plan.id,
    storage_account_name=storage.name,
    storage_uses_managed_identity=True,
    site_config=azure.appservice.LinuxFunctionAppSiteConfigArgs(),
    app_settings={
        "AzureWebJobsStorage": storage.primary_connection_string,
        "AZURE_OPENAI_API_KEY": classic_openai.primary_access_key,
        "AZURE_OPENAI_ENDPOINT": "https://keyguard-open-ai.openai.azure.com/",
    },
)
azure.authorization.Assignment(
    "readers-on-group",
    principal_id=client.object_id,
    role_definition_name="Key Vault Secrets User",
    scope=classic_rg.id,
)

# stack-exports-no-secrets: the storage connection string handed to whoever reads the outputs.
pulumi.export("storageConnection", storage.primary_connection_string)
pulumi.export("vaultName", vault.name)
