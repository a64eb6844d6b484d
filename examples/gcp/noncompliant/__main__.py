"""The seed's pattern on Google Cloud as it is often written: each line below breaks one of
keyguard's Google Cloud policies (named in the comment), so a scan fails exactly these."""
import json

import pulumi
import pulumi_gcp as gcp

LOCATION = "us-central1"

# gcp-kms-crypto-key-rotation: no rotation_period.
ring = gcp.kms.KeyRing("secrets", name="secrets", location=LOCATION)
key = gcp.kms.CryptoKey("data-key", name="data-key", key_ring=ring.id)
# gcp-kms-crypto-key-not-public: everyone with a Google account may use the ring's keys.
gcp.kms.KeyRingIAMMember("ring-open", key_ring_id=ring.id, role="roles/cloudkms.cryptoKeyEncrypterDecrypter",
                         member="allAuthenticatedUsers")

# gcp-apikey-restricted: no restrictions at all.
api_key = gcp.projects.ApiKey("gemini", name="gemini", display_name="Gemini client")

# gcp-secretmanager-secret-cmek and gcp-secretmanager-secret-rotation: Google-managed key, no rotation.
secret = gcp.secretmanager.Secret("gemini-api-key", secret_id="gemini-api-key",
                                  replication=gcp.secretmanager.SecretReplicationArgs(
                                      auto=gcp.secretmanager.SecretReplicationAutoArgs()))
gcp.secretmanager.SecretVersion("gemini-api-key-v1", secret=secret.id, secret_data=api_key.key_string)
# gcp-secretmanager-secret-not-public: a policy document that lets anyone read the payload.
gcp.secretmanager.SecretIamPolicy("gemini-api-key-policy", secret_id=secret.id, policy_data=json.dumps({
    "bindings": [{"role": "roles/secretmanager.secretAccessor", "members": ["allUsers"]}]}))

# gcp-secret-access-scoped: the service account may read every secret of the project.
runner = gcp.serviceaccount.Account("chat-runner", account_id="chat-runner", display_name="chat service")
gcp.projects.IAMMember("chat-reads-all-secrets", project="keyguard-mock-project",
                       role="roles/secretmanager.secretAccessor", member=runner.member)

# gcp-runtime-env-no-secrets: the key itself in a plain environment variable.
gcp.cloudrunv2.Service(
    "chat", name="chat", location=LOCATION, deletion_protection=False,
    template=gcp.cloudrunv2.ServiceTemplateArgs(
        service_account=runner.email,
        containers=[gcp.cloudrunv2.ServiceTemplateContainerArgs(
            image="us-docker.pkg.dev/cloudrun/container/hello",
            envs=[gcp.cloudrunv2.ServiceTemplateContainerEnvArgs(name="GEMINI_API_KEY", value=api_key.key_string)])]))

# stack-exports-no-secrets: the key string in a stack output (secret-wrapped or not, every reader of
# the stack's outputs gets it).
pulumi.export("gemini_api_key", api_key.key_string)
