"""gcp-kms-crypto-key-rotation: symmetric Cloud KMS keys rotate within maxDays."""
from __future__ import annotations

from typing import Any

from ..durations import judge_period
from ..examples import Example, R
from ..model import UNKNOWN, Resource
from ..property_check import PropertyCheck
from ..tokens.gcp import CRYPTO_KEY
from .base import Rule

_RING = "projects/acme-ai-prod/locations/us-central1/keyRings/secrets"


def _symmetric(res: Resource) -> Any:
    """Cloud KMS rotates only symmetric encryption keys (purpose ENCRYPT_DECRYPT, the default)
    automatically; signing, asymmetric, MAC and raw keys take no rotation period."""
    purpose = res.props.get("purpose")
    if purpose is UNKNOWN:
        return UNKNOWN
    if purpose is None or (isinstance(purpose, str) and purpose.upper() == "ENCRYPT_DECRYPT"):
        return None
    return f"{res.name}: a key with purpose other than ENCRYPT_DECRYPT has no automatic rotation"


check_key_rotation = PropertyCheck(
    paths={CRYPTO_KEY: "rotationPeriod"},
    judge=judge_period,
    problem="is not a rotation period within maxDays",
    absent_problem="the key is never rotated",
    applies=_symmetric,
)


def _key(name: str = "k", **props: Any) -> R:
    return R(CRYPTO_KEY, name, {"keyRing": _RING, **props})


RULE = Rule(
    name="gcp-kms-crypto-key-rotation",
    title="Cloud KMS symmetric keys rotate within maxDays",
    description="A Cloud KMS symmetric encryption key (purpose ENCRYPT_DECRYPT, the default) has a rotationPeriod "
                "of at most maxDays, so that a new primary version encrypts new data on a schedule. Keys of other "
                "purposes (asymmetric signing or decryption, MAC, raw encryption) cannot rotate automatically and "
                "are not applicable.",
    severity="medium",
    enforcement="advisory",
    kind="resource",
    check=check_key_rotation,
    resource_types=check_key_rotation.resource_types,
    remediation="Set rotation_period=\"7776000s\" (90 days, or fewer) on the gcp.kms.CryptoKey.",
    url="https://cloud.google.com/kms/docs/key-rotation",
    controls={"cis-gcp-v5.0.0": ["1.11"], "nist-800-53-r5": ["SC-12"], "pci-dss-v4.0.1": ["3.7.4"], "pci-dss-v4.0": ["3.7.4"]},
    config_schema={
        "maxDays": {"type": "integer", "default": 90, "minimum": 1,
                    "description": "The longest rotation period accepted, in days (CIS GCP 1.11: 90)."},
    },
    examples=(
        Example("rotates every 90 days", [_key(rotationPeriod="7776000s")], {"k": "pass"}),
        Example("rotates every 100000 seconds (just over a day)", [_key(rotationPeriod="100000s")], {"k": "pass"}),
        Example("never rotates", [_key()], {"k": "fail:rotationPeriod"},
                controls=("cis-gcp-v5.0.0:1.11", "nist-800-53-r5:SC-12", "pci-dss-v4.0.1:3.7.4", "pci-dss-v4.0:3.7.4")),
        Example("rotates yearly", [_key(rotationPeriod="31536000s")], {"k": "fail:rotationPeriod"}),
        Example("explicitly symmetric, no rotation", [_key(purpose="ENCRYPT_DECRYPT")], {"k": "fail:rotationPeriod"}),
        Example("asymmetric and MAC keys are not applicable",
                [_key("sign", purpose="ASYMMETRIC_SIGN", versionTemplate={"algorithm": "EC_SIGN_P256_SHA256"}),
                 _key("mac", purpose="MAC")],
                {"sign": "not_applicable", "mac": "not_applicable"}),
        Example("rotation period unknown during preview", [_key(rotationPeriod=UNKNOWN)], {"k": "unknown"}),
        Example("purpose unknown during preview", [_key(purpose=UNKNOWN)], {"k": "unknown"}),
    ),
)
