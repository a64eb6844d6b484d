"""The pattern of pulumi/examples azure-py-functions: a storage key from an invoke, in app settings."""
import pulumi
from pulumi_azure_native import authorization, keyvault, resources, storage, web

rg = resources.ResourceGroup("rg")
account = storage.StorageAccount("sa", resource_group_name=rg.name, kind="StorageV2",
                                 sku=storage.SkuArgs(name="Standard_LRS"))
keys = storage.list_storage_account_keys_output(resource_group_name=rg.name, account_name=account.name)
connection = pulumi.Output.concat("DefaultEndpointsProtocol=https;AccountName=", account.name, ";AccountKey=",
                                  keys.keys[0].value)
web.WebApp("fn", resource_group_name=rg.name, kind="functionapp",
           site_config=web.SiteConfigArgs(app_settings=[
               web.NameValuePairArgs(name="AzureWebJobsStorage", value=connection),
               web.NameValuePairArgs(name="FUNCTIONS_WORKER_RUNTIME", value="python")]))
client = authorization.get_client_config_output()
vault = keyvault.Vault("kv", resource_group_name=rg.name, properties=keyvault.VaultPropertiesArgs(
    tenant_id=client.tenant_id, sku=keyvault.SkuArgs(family="A", name="standard")))
authorization.RoleAssignment("reader", principal_id=client.object_id, scope=vault.id,
                             role_definition_id="4633458b-17de-408a-b874-0445c86b69e6")
pulumi.export("vaultId", vault.id)
