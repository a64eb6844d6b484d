"""What rule examples are made of, and the example values several rules share.

An `Example` is a small stack (resources built with `R`) plus the exact outcomes a
rule must give each resource. Rules carry their examples; tests and the engine
harness run every one of them. The values below are AWS's documentation account and
made-up ids: none is a real credential, and the secret-looking ones exist so that
the secret-material rules have something to find.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

from .model import UNKNOWN, Resource
from .tokens.aws import KMS_KEY, POLICY, ROLE

ACCOUNT = "111122223333"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
OTHER_KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/0987dcba-09fe-87dc-65ba-ab0987654321"
SECRET_ARN = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:api-key-AbCdEf"
OTHER_SECRET_ARN = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:other-XyZ123"
FN_ARN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:rotate-api-key"
ROOT_PRINCIPAL = {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
# A generated-looking API key value, its id and a usage plan id, as an export shows them.
API_KEY_VALUE = "kG7xP2mQ9vR4tY8wZ1aB3cD5eF6gH0jKlMnOpQr0"
API_KEY_ID = "a1b2c3d4e5"
USAGE_PLAN_ID = "pl4n1d"
# Values that look random but are not secrets: the false-positive filters must let them pass.
UUID = "123e4567-e89b-12d3-a456-426614174000"
SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
SM_PRINCIPAL = "secretsmanager.amazonaws.com"


def doc(*statements: Mapping[str, Any], as_json: bool = True) -> Any:
    """An example policy document, as a JSON string (what programs usually pass) or a dict."""
    body = {"Version": "2012-10-17", "Statement": list(statements)}
    return json.dumps(body) if as_json else body


def allow(action: Any, resource: Any = "*", **extra: Any) -> Mapping[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


LAMBDA_TRUST = doc({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"})
# The statement AWS puts in a key policy by default: the account may use IAM for the key.
DEFAULT_KEY_STATEMENT = {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": ROOT_PRINCIPAL,
                         "Action": "kms:*", "Resource": "*"}


@dataclass(frozen=True)
class R:
    """A resource in an example: just enough to build a model Resource."""

    type: str
    name: str
    props: Mapping[str, Any] = field(default_factory=dict)
    id: Any = None
    property_dependencies: Mapping[str, Sequence[str]] = field(default_factory=dict)
    additional_secret_outputs: Sequence[str] = ()
    parent: Optional[str] = None

    def urn(self, stack: str = "dev", project: str = "example") -> str:
        return f"urn:pulumi:{stack}::{project}::{self.type}::{self.name}"

    def build(self) -> Resource:
        def urn_of(ref: str) -> str:
            # Examples name dependencies as "type::name" to stay readable.
            t, _, n = ref.rpartition("::")
            return R(t, n).urn()

        return Resource(
            type=self.type,
            name=self.name,
            urn=self.urn(),
            props=dict(self.props),
            id=self.id,
            parent=self.parent,
            dependencies=tuple(sorted({urn_of(d) for ds in self.property_dependencies.values() for d in ds})),
            property_dependencies={k: tuple(urn_of(d) for d in v) for k, v in self.property_dependencies.items()},
            additional_secret_outputs=tuple(self.additional_secret_outputs),
        )


STATUSES = ("fail", "unknown", "pass", "not_applicable")  # most severe first


def outcome_token(status: str, path: str = "") -> str:
    """How an example names one outcome: the status, and for a failure its property path."""
    return f"fail:{path}" if status == "fail" and path else status


@dataclass(frozen=True)
class Example:
    """A good or bad example: resources, config, and the exact outcomes expected.

    `expect` maps a resource name to the outcome the rule must give it, or to a
    tuple of outcomes when it gives several (one per inline policy, one per leaking
    variable). An outcome is "pass", "unknown", "not_applicable", "fail" (a failure
    with no property path) or "fail:<path>". The rule must give exactly these: an
    extra, missing or duplicate outcome fails the example, and so does any outcome
    for a resource absent from `expect`.

    `controls` names the framework controls (`<framework key>:<control id>`) whose
    failing case this example shows: every control a rule maps to needs one such
    failing example (tests/report/test_catalogue.py), so no control is claimed that
    the rule cannot be seen to fail.
    """

    description: str
    resources: Sequence[R]
    expect: Mapping[str, Union[str, Sequence[str]]]
    config: Mapping[str, Any] = field(default_factory=dict)
    controls: Sequence[str] = ()

    def __post_init__(self) -> None:
        for name, tokens in self.outcomes().items():
            for t in tokens:
                if t.partition(":")[0] not in STATUSES or (t.startswith("fail:") and not t[5:]):
                    raise ValueError(f"example {self.description!r}: {name}: bad outcome {t!r}")

    def outcomes(self) -> Dict[str, List[str]]:
        """Each resource's expected outcomes, sorted."""
        return {k: sorted([v] if isinstance(v, str) else v) for k, v in self.expect.items()}

    @property
    def statuses(self) -> Dict[str, str]:
        """Each resource's most severe expected status: what the engine shows of it."""
        return {k: min((t.partition(":")[0] for t in v), key=STATUSES.index) for k, v in self.outcomes().items()}

    @property
    def good(self) -> bool:
        return "fail" not in self.statuses.values()


# -- the identity-document table ----------------------------------------------------------
# One table of documents that every identity-policy rule judges; each of those rules names
# the documents it fails, so the table shows side by side where the rules draw their lines.
_VIA_SECRETS_MANAGER = {"StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}}
IDENTITY_DOCUMENTS: Dict[str, Any] = {
    "admin": doc(allow("*")),
    "admin_single": {"Effect": "Allow", "Action": "*:*", "Resource": "*"},
    "kms_star_on_key": doc(allow("kms:*", KEY_ARN)),
    "sm_get_star": doc(allow("secretsmanager:Get*")),
    "sm_get_one": doc(allow("secretsmanager:GetSecretValue", SECRET_ARN)),
    "decrypt_via": doc(allow("kms:Decrypt", "*", Condition=_VIA_SECRETS_MANAGER)),
    "decrypt_all_keys": doc(allow(["kms:Decrypt", "kms:DescribeKey"], f"arn:aws:kms:*:{ACCOUNT}:key/*")),
    "pass_lambda": doc(allow(["iam:Pass*", "lambda:CreateFunction", "lambda:InvokeFunction"])),
    "logs_star": doc(allow("logs:CreateLogGroup")),
    "s3_read_all": doc(allow("s3:GetObject", "arn:aws:s3:::*")),
    "access_key": doc(allow("iam:CreateAccessKey")),
    "not_action": doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}),
    "describe_only": doc(allow("ec2:Describe*")),
    "deny_all": doc({"Effect": "Deny", "Action": "*", "Resource": "*"}),
    # Left to iam-policy-document-valid: the identity rules call it not applicable.
    "broken": "{\"Statement\": [",
    "preview": UNKNOWN,
}


def identity_table(fails: Sequence[str]) -> Example:
    """The identity-document table as one example of a rule that fails exactly `fails`.

    Every other document passes, the malformed one is not applicable and the unknown
    one is undecided. AWS's default key policy rides along: it grants kms:* on * to the
    account root, and no identity rule may judge a resource policy.
    """
    unknown_names = set(fails) - set(IDENTITY_DOCUMENTS)
    if unknown_names:
        raise ValueError(f"identity_table: no documents named {sorted(unknown_names)}")
    expect: Dict[str, str] = {}
    for name in IDENTITY_DOCUMENTS:
        expect[name] = ("fail:policy" if name in fails else "not_applicable" if name == "broken"
                        else "unknown" if name == "preview" else "pass")
    resources = [R(POLICY, name, {"policy": d}) for name, d in IDENTITY_DOCUMENTS.items()]
    resources.append(R(KMS_KEY, "default_key_policy", {"policy": doc(DEFAULT_KEY_STATEMENT)}))
    return Example("the identity-document table", resources, expect)


def identity_inline_roles(bad: str) -> Example:
    """A role whose first inline policy is fine and whose second is document `bad`: each is judged on its own."""
    role = R(ROLE, "r", {"assumeRolePolicy": LAMBDA_TRUST, "inlinePolicies": [
        {"name": "ok", "policy": IDENTITY_DOCUMENTS["sm_get_one"]},
        {"name": "bad", "policy": IDENTITY_DOCUMENTS[bad]}]})
    return Example("role inline policies are judged one by one", [role],
                   {"r": ("pass", "fail:inlinePolicies[1].policy")})


# --- Google Cloud example values (made up; the key strings only have the documented shapes) ---
GCP_PROJECT = "acme-ai-prod"
GCP_KMS_KEY = f"projects/{GCP_PROJECT}/locations/us-central1/keyRings/secrets/cryptoKeys/secret-cmek"
GCP_KMS_KEY_EU = f"projects/{GCP_PROJECT}/locations/europe-west1/keyRings/secrets/cryptoKeys/secret-cmek"
GCP_SECRET_ID = f"projects/{GCP_PROJECT}/secrets/gemini-api-key"
# 39 characters, as Google issues them: "AIza" and 35 of [A-Za-z0-9_-].
GCP_API_KEY_STRING = "AIzaSyD4kP9xQ2mV7tR1wZ8bN3cL6fH0jGsYe5U"
# "GOCSPX-" and 28 characters, as Google Cloud Console issues OAuth client secrets.
GCP_OAUTH_CLIENT_SECRET = "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"
GCP_SA_EMAIL = f"api@{GCP_PROJECT}.iam.gserviceaccount.com"
