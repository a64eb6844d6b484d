"""Example values the Azure rules share: a made-up subscription, tenant, vault and keys.

None is a real credential; the secret-looking ones exist so that the secret-material rules
have something to find (an Azure OpenAI key is 32 hex digits, a storage account key 88
base64 characters).
"""
from __future__ import annotations

SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
RESOURCE_GROUP = "rg-ai"
SUBSCRIPTION_SCOPE = f"/subscriptions/{SUBSCRIPTION}"
GROUP_SCOPE = f"{SUBSCRIPTION_SCOPE}/resourceGroups/{RESOURCE_GROUP}"
VAULT_ID = f"{GROUP_SCOPE}/providers/Microsoft.KeyVault/vaults/kv-ai"
VAULT_URI = "https://kv-ai.vault.azure.net/"
SECRET_URI = "https://kv-ai.vault.azure.net/secrets/openai-key"
KV_REFERENCE = f"@Microsoft.KeyVault(SecretUri={SECRET_URI})"
OPENAI_KEY = "3f9c2a7b8e1d4c6f9a0b2e5d7c8f1a3b"
STORAGE_KEY = "Xq3t9Lk2Vb7Pz4Rn8Ws1Yd6Fh0Jm5Cg2Ta9Ue4Io7Pl3Kj8Hg1Fd6Sa0Zx5Cv2Bn9Mq4Wr7Ey3Tu8Io1Pa6Sd5Fg=="
STORAGE_CONNECTION = (f"DefaultEndpointsProtocol=https;AccountName=stai;AccountKey={STORAGE_KEY};"
                      "EndpointSuffix=core.windows.net")
SAS_URL = ("https://stai.blob.core.windows.net/data?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2027-01-01T00:00:00Z"
           "&spr=https&sig=Zm9vYmFyYmF6cXV4cXV1eHh5ejEyMzQ1Njc4OTBhYmNkZWY%3D")
PRINCIPAL_ID = "9a3c4e5f-6b7d-4e8f-9a0b-1c2d3e4f5a6b"


def role_definition(guid: str) -> str:
    """A built-in role's definition id as azure-native programs write it."""
    return f"{SUBSCRIPTION_SCOPE}/providers/Microsoft.Authorization/roleDefinitions/{guid}"
