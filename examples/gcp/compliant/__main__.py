"""The seed's pattern on Google Cloud, done right: an API key restricted to the Gemini API, kept in
a Secret Manager secret under a customer-managed key that rotates, read by one Cloud Run service
through a secret reference, with the secret's accessor role granted on that one secret."""
import pulumi
import pulumi_gcp as gcp

LOCATION = "us-central1"
project = gcp.organizations.get_project()

# The key that encrypts the secret: symmetric, rotated every 90 days.
ring = gcp.kms.KeyRing("secrets", name="secrets", location=LOCATION)
key = gcp.kms.CryptoKey("secret-cmek", name="secret-cmek", key_ring=ring.id, rotation_period="7776000s")

# Secret Manager encrypts with that key through its service agent.
secretmanager_agent = f"serviceAccount:service-{project.number}@gcp-sa-secretmanager.iam.gserviceaccount.com"
key_user = gcp.kms.CryptoKeyIAMMember("secretmanager-uses-cmek", crypto_key_id=key.id,
                                      role="roles/cloudkms.cryptoKeyEncrypterDecrypter", member=secretmanager_agent)

# Rotation notices go to a topic whose subscriber adds a new version.
rotation_topic = gcp.pubsub.Topic("secret-rotation", name="secret-rotation")
topic_publisher = gcp.pubsub.TopicIAMMember("secretmanager-publishes", topic=rotation_topic.id,
                                            role="roles/pubsub.publisher", member=secretmanager_agent)

# The API key may call the Gemini API and nothing else.
api_key = gcp.projects.ApiKey("gemini", name="gemini", display_name="Gemini client",
                              restrictions=gcp.projects.ApiKeyRestrictionsArgs(
                                  api_targets=[gcp.projects.ApiKeyRestrictionsApiTargetArgs(
                                      service="generativelanguage.googleapis.com")]))

secret = gcp.secretmanager.Secret(
    "gemini-api-key", secret_id="gemini-api-key",
    replication=gcp.secretmanager.SecretReplicationArgs(auto=gcp.secretmanager.SecretReplicationAutoArgs(
        customer_managed_encryption=gcp.secretmanager.SecretReplicationAutoCustomerManagedEncryptionArgs(
            kms_key_name=key.id))),
    rotation=gcp.secretmanager.SecretRotationArgs(rotation_period="7776000s",
                                                  next_rotation_time="2027-01-01T00:00:00Z"),
    topics=[gcp.secretmanager.SecretTopicArgs(name=rotation_topic.id)],
    opts=pulumi.ResourceOptions(depends_on=[key_user, topic_publisher]))

version = gcp.secretmanager.SecretVersion("gemini-api-key-v1", secret=secret.id, secret_data=api_key.key_string)

# The service runs as its own account, which may read this one secret.
runner = gcp.serviceaccount.Account("chat-runner", account_id="chat-runner", display_name="chat service")
# At project level it gets only what carries no secret: writing its logs.
gcp.projects.IAMMember("chat-writes-logs", project=project.project_id, role="roles/logging.logWriter",
                       member=runner.member)
reader = gcp.secretmanager.SecretIamMember("chat-reads-gemini-key", secret_id=secret.id,
                                           role="roles/secretmanager.secretAccessor", member=runner.member)

service = gcp.cloudrunv2.Service(
    "chat", name="chat", location=LOCATION, deletion_protection=False,
    template=gcp.cloudrunv2.ServiceTemplateArgs(
        service_account=runner.email,
        containers=[gcp.cloudrunv2.ServiceTemplateContainerArgs(
            image="us-docker.pkg.dev/cloudrun/container/hello",
            envs=[
                gcp.cloudrunv2.ServiceTemplateContainerEnvArgs(name="GEMINI_MODEL", value="gemini-2.5-flash"),
                gcp.cloudrunv2.ServiceTemplateContainerEnvArgs(
                    name="GEMINI_API_KEY",
                    value_source=gcp.cloudrunv2.ServiceTemplateContainerEnvValueSourceArgs(
                        secret_key_ref=gcp.cloudrunv2.ServiceTemplateContainerEnvValueSourceSecretKeyRefArgs(
                            secret=secret.secret_id, version="latest"))),
            ])]),
    opts=pulumi.ResourceOptions(depends_on=[reader, version]))

pulumi.export("gemini_api_key_secret", secret.id)
pulumi.export("service_account", runner.email)
