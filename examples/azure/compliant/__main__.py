"""An AI app on Azure that keeps every key where keyguard wants it.

- a Key Vault with RBAC authorization, purge protection and no public network access (both
  providers: azure-native and the classic `azure` provider);
- a partner's API key in the vault, expiring in 90 days;
- a customer-managed key that rotates every 90 days;
- an Azure OpenAI account that accepts no API keys (Entra ID only);
- a Web App that reads the partner key through a Key Vault reference, with its managed
  identity granted Key Vault Secrets User on the vault alone.
"""
import time

import pulumi
import pulumi_azure as azure
import pulumi_azure_native as native

config = pulumi.Config()
client = native.authorization.get_client_config_output()
SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6"  # Key Vault Secrets User (built-in)

rg = native.resources.ResourceGroup("rg-ai")

vault = native.keyvault.Vault(
    "kv-ai",
    resource_group_name=rg.name,
    properties=native.keyvault.VaultPropertiesArgs(
        tenant_id=client.tenant_id,
        sku=native.keyvault.SkuArgs(family="A", name="standard"),
        enable_rbac_authorization=True,
        enable_purge_protection=True,
        enable_soft_delete=True,
        soft_delete_retention_in_days=90,
        public_network_access="Disabled",
        network_acls=native.keyvault.NetworkRuleSetArgs(default_action="Deny", bypass="AzureServices"),
    ),
)

partner_key = native.keyvault.Secret(
    "partner-api-key",
    resource_group_name=rg.name,
    vault_name=vault.name,
    properties=native.keyvault.SecretPropertiesArgs(
        value=config.require_secret("partnerApiKey"),
        content_type="api-key",
        attributes=native.keyvault.SecretAttributesArgs(expires=int(time.time()) + 90 * 86400),
    ),
)

native.keyvault.Key(
    "cmk",
    resource_group_name=rg.name,
    vault_name=vault.name,
    properties=native.keyvault.KeyPropertiesArgs(
        kty="RSA",
        key_size=3072,
        rotation_policy=native.keyvault.RotationPolicyArgs(
            attributes=native.keyvault.KeyRotationPolicyAttributesArgs(expiry_time="P1Y"),
            lifetime_actions=[
                native.keyvault.LifetimeActionArgs(action=native.keyvault.ActionArgs(type="rotate"),
                                                   trigger=native.keyvault.TriggerArgs(time_after_create="P90D")),
                native.keyvault.LifetimeActionArgs(action=native.keyvault.ActionArgs(type="notify"),
                                                   trigger=native.keyvault.TriggerArgs(time_before_expiry="P30D")),
            ],
        ),
    ),
)

openai = native.cognitiveservices.Account(
    "openai",
    resource_group_name=rg.name,
    kind="OpenAI",
    sku=native.cognitiveservices.SkuArgs(name="S0"),
    properties=native.cognitiveservices.AccountPropertiesArgs(
        custom_sub_domain_name="keyguard-ai-app",
        disable_local_auth=True,
        public_network_access="Disabled",
    ),
)

plan = native.web.AppServicePlan(
    "plan", resource_group_name=rg.name, kind="linux", reserved=True,
    sku=native.web.SkuDescriptionArgs(name="P1v3", tier="PremiumV3"))

app = native.web.WebApp(
    "chat",
    resource_group_name=rg.name,
    server_farm_id=plan.id,
    https_only=True,
    identity=native.web.ManagedServiceIdentityArgs(type="SystemAssigned"),
    site_config=native.web.SiteConfigArgs(
        linux_fx_version="PYTHON|3.12",
        app_settings=[
            native.web.NameValuePairArgs(name="AZURE_OPENAI_ENDPOINT",
                                         value=pulumi.Output.concat("https://keyguard-ai-app.openai.azure.com/")),
            native.web.NameValuePairArgs(
                name="PARTNER_API_KEY",
                value=pulumi.Output.concat("@Microsoft.KeyVault(VaultName=", vault.name, ";SecretName=",
                                           partner_key.name, ")")),
        ],
    ),
)

native.authorization.RoleAssignment(
    "chat-reads-secrets",
    principal_id=app.identity.apply(lambda i: i.principal_id if i else None),
    principal_type="ServicePrincipal",
    role_definition_id=client.subscription_id.apply(
        lambda s: f"/subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{SECRETS_USER}"),
    scope=vault.id,
)

# The same vault and grant written with the classic provider.
classic_client = azure.core.get_client_config_output()
classic_rg = azure.core.ResourceGroup("rg-ai-classic", location="westeurope")
classic_vault = azure.keyvault.KeyVault(
    "kv-classic",
    resource_group_name=classic_rg.name,
    location=classic_rg.location,
    tenant_id=classic_client.tenant_id,
    sku_name="standard",
    rbac_authorization_enabled=True,
    purge_protection_enabled=True,
    public_network_access_enabled=False,
)
azure.authorization.Assignment(
    "ops-reads-classic-secrets",
    principal_id=classic_client.object_id,
    role_definition_name="Key Vault Secrets User",
    scope=classic_vault.id,
)

pulumi.export("vaultName", vault.name)
pulumi.export("appName", app.name)
pulumi.export("openaiEndpoint", "https://keyguard-ai-app.openai.azure.com/")
