"""gcp-secretmanager-secret-cmek: Secret Manager secrets are encrypted with a customer-managed key."""
from __future__ import annotations

from typing import Any, List, Mapping, Union

from ..examples import GCP_KMS_KEY, GCP_KMS_KEY_EU, Example, R
from ..model import UNKNOWN
from ..property_check import PropertyCheck
from ..tokens.gcp import REGIONAL_SECRET, SECRET
from .base import Rule


def _key_set(encryption: Any) -> bool:
    return isinstance(encryption, Mapping) and isinstance(encryption.get("kmsKeyName"), str) \
        and bool(encryption["kmsKeyName"].strip())


def judge_replication(value: Any, _config: Mapping[str, Any]) -> Union[bool, str]:
    """Automatic replication needs its one key; user-managed replication needs a key on every replica
    (a replica without one is encrypted with a Google-managed key)."""
    if not isinstance(value, Mapping):
        return "is not an object"
    if "kmsKeyName" in value:  # a RegionalSecret's customerManagedEncryption
        return True if _key_set(value) else "names no kmsKeyName"
    auto, user = value.get("auto"), value.get("userManaged")
    if auto is not None:
        return True if _key_set(auto.get("customerManagedEncryption") if isinstance(auto, Mapping) else None) \
            else "uses automatic replication without auto.customerManagedEncryption.kmsKeyName"
    replicas = user.get("replicas") if isinstance(user, Mapping) else None
    if isinstance(replicas, list) and replicas:
        bare: List[str] = [str(i) for i, r in enumerate(replicas)
                           if not (isinstance(r, Mapping) and _key_set(r.get("customerManagedEncryption")))]
        if not bare:
            return True
        return f"has user-managed replicas without customerManagedEncryption.kmsKeyName (replicas {', '.join(bare)})"
    return "names no customer-managed key"


check_secret_cmek = PropertyCheck(
    paths={SECRET: "replication", REGIONAL_SECRET: "customerManagedEncryption"},
    judge=judge_replication,
    problem="names no customer-managed key",
    absent_problem="the secret is encrypted with a Google-managed key",
)


def _secret(replication: Any, name: str = "s") -> R:
    return R(SECRET, name, {"secretId": name, "replication": replication})


RULE = Rule(
    name="gcp-secretmanager-secret-cmek",
    title="Secret Manager secrets use a customer-managed key",
    description="A Secret Manager secret's payload is encrypted with a Cloud KMS key the project controls "
                "(CMEK): automatic replication names one key, user-managed replication names a key on every "
                "replica, a regional secret names its key. With a Google-managed key, disabling or destroying "
                "the key (crypto-shredding) and key-level access logs and IAM are not available.",
    severity="medium",
    enforcement="advisory",
    kind="resource",
    check=check_secret_cmek,
    resource_types=check_secret_cmek.resource_types,
    remediation="Set replication.auto.customer_managed_encryption.kms_key_name (or "
                "customer_managed_encryption.kms_key_name on every replica under replication.user_managed, or "
                "customer_managed_encryption.kms_key_name on a gcp.secretmanager.RegionalSecret) to a "
                "gcp.kms.CryptoKey's id, and grant the Secret Manager service agent "
                "roles/cloudkms.cryptoKeyEncrypterDecrypter on that key.",
    url="https://cloud.google.com/secret-manager/docs/cmek",
    controls={"nist-800-53-r5": ["SC-12", "SC-28(1)"], "pci-dss-v4.0.1": ["3.6.1"], "pci-dss-v4.0": ["3.6.1"]},
    examples=(
        Example("automatic replication under a CMEK",
                [_secret({"auto": {"customerManagedEncryption": {"kmsKeyName": GCP_KMS_KEY}}})], {"s": "pass"}),
        Example("automatic replication, Google-managed key", [_secret({"auto": {}})], {"s": "fail:replication"},
                controls=("nist-800-53-r5:SC-12", "nist-800-53-r5:SC-28(1)", "pci-dss-v4.0.1:3.6.1", "pci-dss-v4.0:3.6.1")),
        Example("user-managed replicas, each under a CMEK",
                [_secret({"userManaged": {"replicas": [
                    {"location": "us-central1", "customerManagedEncryption": {"kmsKeyName": GCP_KMS_KEY}},
                    {"location": "europe-west1", "customerManagedEncryption": {"kmsKeyName": GCP_KMS_KEY_EU}}]}})],
                {"s": "pass"}),
        Example("one user-managed replica without a key fails",
                [_secret({"userManaged": {"replicas": [
                    {"location": "us-central1", "customerManagedEncryption": {"kmsKeyName": GCP_KMS_KEY}},
                    {"location": "europe-west1"}]}})],
                {"s": "fail:replication"}),
        Example("no replication written", [R(SECRET, "s", {"secretId": "s"})], {"s": "fail:replication"}),
        Example("regional secrets with and without their key",
                [R(REGIONAL_SECRET, "cmek", {"location": "us-central1",
                                             "customerManagedEncryption": {"kmsKeyName": GCP_KMS_KEY}}),
                 R(REGIONAL_SECRET, "google", {"location": "us-central1"})],
                {"cmek": "pass", "google": "fail:customerManagedEncryption"}),
        Example("key computed from a CryptoKey (preview)",
                [_secret({"auto": {"customerManagedEncryption": {"kmsKeyName": UNKNOWN}}})], {"s": "unknown"}),
    ),
)
