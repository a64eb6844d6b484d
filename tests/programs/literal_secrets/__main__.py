"""Databases whose master passwords come from different places: written in the program (the
defect), managed by RDS, read from encrypted and plain stack configuration, and copied from
another resource's output."""
import json

import pulumi
import pulumi_aws as aws

cfg = pulumi.Config()
key = aws.kms.Key("data", enable_key_rotation=True, deletion_window_in_days=30)
common = dict(engine="postgres", instance_class="db.t4g.micro", allocated_storage=20, username="app",
              storage_encrypted=True, kms_key_id=key.arn, skip_final_snapshot=True)

aws.rds.Instance("orders", password="Orders-2024-Passw0rd", **common)           # the defect
aws.rds.Instance("billing", manage_master_user_password=True, **common)         # managed by RDS
aws.rds.Instance("reporting", password=cfg.require_secret("reportingPassword"), **common)  # encrypted config
aws.rds.Instance("analytics", password=cfg.require("analyticsPassword"), **common)  # plain config

aws.rds.Cluster("events", engine="aurora-postgresql", master_username="app",
                master_password="events-cluster-secret-1", skip_final_snapshot=True)  # the defect

credentials = aws.secretsmanager.Secret("orders-credentials", kms_key_id=key.arn, recovery_window_in_days=7)
aws.secretsmanager.SecretVersion("orders-credentials", secret_id=credentials.id,   # the defect
                                 secret_string=json.dumps({"username": "app", "password": "Orders-2024-Passw0rd"}))
access = aws.iam.AccessKey("ci", user="ci")
aws.secretsmanager.SecretVersion("ci-credentials", secret_id=credentials.id,       # copied from an output
                                 secret_string=access.secret)
aws.secretsmanager.SecretVersion("placeholder", secret_id=credentials.id, secret_string="{}")  # nothing secret

# A placeholder until the real key is configured: no secret in it.
aws.ssm.Parameter("openai-key", type="SecureString", key_id=key.arn, value=cfg.get("openaiKey") or "CHANGEME")
