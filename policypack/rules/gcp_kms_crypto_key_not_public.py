"""gcp-kms-crypto-key-not-public: no crypto key or key ring IAM grant to allUsers or allAuthenticatedUsers."""
from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

from ..examples import GCP_KMS_KEY, GCP_SA_EMAIL, Example, R
from ..iam.gcp_bindings import judge_public
from ..model import UNKNOWN, Outcome, Resource
from ..tokens.gcp import (CRYPTO_KEY_IAM_BINDING, CRYPTO_KEY_IAM_MEMBER, CRYPTO_KEY_IAM_POLICY, KEY_RING_IAM_BINDING,
                          KEY_RING_IAM_MEMBER, KEY_RING_IAM_POLICY)
from .base import Rule

DECRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
_RING = GCP_KMS_KEY.rsplit("/cryptoKeys/", 1)[0]
_SA = f"serviceAccount:{GCP_SA_EMAIL}"


def check_key_not_public(res: Resource, _config: Mapping[str, Any]) -> Iterable[Outcome]:
    what = "use of the key ring's keys" if res.type in (KEY_RING_IAM_MEMBER, KEY_RING_IAM_BINDING,
                                                        KEY_RING_IAM_POLICY) else "use of the key"
    yield from judge_public(res, what)


RULE = Rule(
    name="gcp-kms-crypto-key-not-public",
    title="Cloud KMS keys are not public",
    description="No IAM grant on a Cloud KMS crypto key or key ring (CryptoKeyIAMMember/Binding/Policy, "
                "KeyRingIAMMember/Binding/Policy) names allUsers or allAuthenticatedUsers, unless a condition ties "
                "it to an access level: anyone could decrypt, sign or administer with the key.",
    severity="critical",
    enforcement="mandatory",
    kind="resource",
    check=check_key_not_public,
    resource_types=frozenset({CRYPTO_KEY_IAM_MEMBER, CRYPTO_KEY_IAM_BINDING, CRYPTO_KEY_IAM_POLICY,
                              KEY_RING_IAM_MEMBER, KEY_RING_IAM_BINDING, KEY_RING_IAM_POLICY}),
    remediation="Remove allUsers and allAuthenticatedUsers from member/members (or policy_data's bindings) of the "
                "gcp.kms.CryptoKeyIAM*/KeyRingIAM* resource; grant the role to the service accounts that use the key.",
    url="https://cloud.google.com/kms/docs/iam",
    controls={"cis-gcp-v5.0.0": ["1.10"], "nist-800-53-r5": ["AC-3", "SC-12"], "pci-dss-v4.0.1": ["3.6.1"], "pci-dss-v4.0": ["3.6.1"]},
    examples=(
        Example("one service account", [R(CRYPTO_KEY_IAM_MEMBER, "m", {"cryptoKeyId": GCP_KMS_KEY, "role": DECRYPTER,
                                                                       "member": _SA})], {"m": "pass"}),
        Example("allUsers on a key", [R(CRYPTO_KEY_IAM_MEMBER, "m", {"cryptoKeyId": GCP_KMS_KEY, "role": DECRYPTER,
                                                                    "member": "allUsers"})], {"m": "fail:member"},
                controls=("cis-gcp-v5.0.0:1.10", "nist-800-53-r5:AC-3", "nist-800-53-r5:SC-12", "pci-dss-v4.0.1:3.6.1", "pci-dss-v4.0:3.6.1")),
        Example("allAuthenticatedUsers on a key ring",
                [R(KEY_RING_IAM_BINDING, "b", {"keyRingId": _RING, "role": "roles/cloudkms.viewer",
                                               "members": ["allAuthenticatedUsers"]})], {"b": "fail:members[0]"}),
        Example("key policy documents, public and not",
                [R(CRYPTO_KEY_IAM_POLICY, "pub", {"cryptoKeyId": GCP_KMS_KEY, "policyData": json.dumps(
                    {"bindings": [{"role": DECRYPTER, "members": [_SA, "allUsers"]}]})}),
                 R(KEY_RING_IAM_POLICY, "priv", {"keyRingId": _RING, "policyData": json.dumps(
                     {"bindings": [{"role": DECRYPTER, "members": [_SA]}]})})],
                {"pub": "fail:policyData.bindings[0].members[1]", "priv": "pass"}),
        Example("restricted to an access level",
                [R(KEY_RING_IAM_MEMBER, "m", {"keyRingId": _RING, "role": DECRYPTER, "member": "allAuthenticatedUsers",
                                              "condition": {"title": "corp", "expression":
                                                  "'accessPolicies/9/accessLevels/corp' in request.auth.access_levels"}})],
                {"m": "pass"}),
        Example("members computed during preview",
                [R(CRYPTO_KEY_IAM_BINDING, "b", {"cryptoKeyId": GCP_KMS_KEY, "role": DECRYPTER, "members": UNKNOWN})],
                {"b": "unknown"}),
    ),
)
