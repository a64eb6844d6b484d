"""gcp-secret-access-scoped: roles that read secrets or use keys are not granted on a whole project, folder or org."""
from __future__ import annotations

import json
from typing import Any, Iterable, Mapping, Set

from ..examples import GCP_PROJECT, GCP_SA_EMAIL, Example, R
from ..iam.gcp_bindings import BadPolicy, grants, role_name, scopes_resources
from ..model import UNKNOWN, Outcome, Resource, failed, not_applicable, passed, unknown
from ..tokens.gcp import (FOLDER_IAM_BINDING, FOLDER_IAM_MEMBER, FOLDER_IAM_POLICY, ORG_IAM_BINDING, ORG_IAM_MEMBER,
                          ORG_IAM_POLICY, PROJECT_IAM_BINDING, PROJECT_IAM_MEMBER, PROJECT_IAM_POLICY)
from .base import Rule

# Roles whose permissions include secretmanager.versions.access (the payload) or
# cloudkms.cryptoKeyVersions.useToDecrypt, per Google's IAM role reference; owner holds every permission.
DEFAULT_ROLES = [
    "roles/owner",
    "roles/secretmanager.admin",
    "roles/secretmanager.secretAccessor",
    "roles/cloudkms.cryptoKeyDecrypter",
    "roles/cloudkms.cryptoKeyEncrypterDecrypter",
    "roles/cloudkms.cryptoOperator",
]
_LEVEL = {PROJECT_IAM_MEMBER: "project", PROJECT_IAM_BINDING: "project", PROJECT_IAM_POLICY: "project",
          FOLDER_IAM_MEMBER: "folder", FOLDER_IAM_BINDING: "folder", FOLDER_IAM_POLICY: "folder",
          ORG_IAM_MEMBER: "organization", ORG_IAM_BINDING: "organization", ORG_IAM_POLICY: "organization"}


def check_access_scoped(res: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
    roles = {r.lower() for r in config["roles"] if isinstance(r, str)}
    level = _LEVEL[res.type]
    try:
        found = grants(res)
    except BadPolicy as exc:
        yield not_applicable(f"{res.name}: {exc}; the provider refuses it, so it grants nothing")
        return
    judged: Set[str] = set()
    failures = undecided = 0
    for g in found:
        if g.role_path in judged:
            continue  # a binding's members share its role and condition: judge the binding once
        judged.add(g.role_path)
        role = role_name(g.role)
        if g.role is UNKNOWN:
            undecided += 1
            yield unknown(f"{res.name}: {g.role_path} is not known during preview", path=g.role_path)
            continue
        if role is None or role.lower() not in roles:
            continue
        scoped = scopes_resources(g.condition)
        if scoped is UNKNOWN:
            undecided += 1
            yield unknown(f"{res.name}: the condition of {g.role_path} is not known during preview", path=g.role_path)
        elif not scoped:
            failures += 1
            yield failed(f"{res.name}: {g.role_path} is {role}, which reads every secret or uses every key of the "
                         f"{level}, with no condition on resource.name; grant it on the secret or key",
                         path=g.role_path)
    if not failures and not undecided:
        yield passed()


def _member(role: Any, name: str = "m", rtype: str = PROJECT_IAM_MEMBER, **extra: Any) -> R:
    scope = {PROJECT_IAM_MEMBER: {"project": GCP_PROJECT}, FOLDER_IAM_MEMBER: {"folder": "folders/1234"},
             ORG_IAM_MEMBER: {"orgId": "5678"}}[rtype]
    return R(rtype, name, {**scope, "role": role, "member": f"serviceAccount:{GCP_SA_EMAIL}", **extra})


RULE = Rule(
    name="gcp-secret-access-scoped",
    title="Secret-reading and key-using roles are granted on the secret or key, not the project",
    description="A role that reads secret payloads or decrypts with Cloud KMS keys (config roles: "
                "secretmanager.secretAccessor and .admin, cloudkms.cryptoKeyDecrypter, .cryptoKeyEncrypterDecrypter, "
                ".cryptoOperator, owner) granted on a project, folder or organization reaches every secret or key "
                "below it, today's and tomorrow's. Grant it on the one secret (SecretIamMember) or key "
                "(CryptoKeyIAMMember) instead, or narrow it with a condition on resource.name.",
    severity="high",
    enforcement="mandatory",
    kind="resource",
    check=check_access_scoped,
    resource_types=frozenset(_LEVEL),
    remediation="Replace the gcp.projects/folder/organizations IAMMember, IAMBinding or IAMPolicy binding with a "
                "gcp.secretmanager.SecretIamMember(secret_id=..., role=..., member=...) or "
                "gcp.kms.CryptoKeyIAMMember(crypto_key_id=...), or add condition=...(expression='resource.name."
                "startsWith(\"projects/<number>/secrets/<name>\")').",
    url="https://cloud.google.com/secret-manager/docs/access-control",
    controls={"nist-800-53-r5": ["AC-6", "AC-3"], "pci-dss-v4.0.1": ["7.2.2"], "pci-dss-v4.0": ["7.2.2"]},
    config_schema={
        "roles": {"type": "array", "items": {"type": "string"}, "default": DEFAULT_ROLES,
                  "description": "Roles that must not be granted above the secret or key without a resource.name "
                                 "condition."},
    },
    examples=(
        Example("secretAccessor on the whole project", [_member("roles/secretmanager.secretAccessor")],
                {"m": "fail:role"},
                controls=("nist-800-53-r5:AC-6", "nist-800-53-r5:AC-3", "pci-dss-v4.0.1:7.2.2", "pci-dss-v4.0:7.2.2")),
        Example("an unrelated project role", [_member("roles/logging.logWriter")], {"m": "pass"}),
        Example("narrowed to one secret by resource.name",
                [_member("roles/secretmanager.secretAccessor", condition={
                    "title": "one secret",
                    "expression": 'resource.name.startsWith("projects/123/secrets/gemini-api-key")'})],
                {"m": "pass"}),
        Example("a time window does not scope it",
                [_member("roles/secretmanager.secretAccessor", condition={
                    "title": "until", "expression": 'request.time < timestamp("2027-01-01T00:00:00Z")'})],
                {"m": "fail:role"}),
        Example("an alternative widens the condition again",
                [_member("roles/cloudkms.cryptoKeyDecrypter", condition={
                    "title": "or", "expression": 'resource.name.startsWith("projects/1/x") || true'})],
                {"m": "fail:role"}),
        Example("folder and organization level",
                [_member("roles/cloudkms.cryptoKeyEncrypterDecrypter", "f", FOLDER_IAM_MEMBER),
                 _member("roles/owner", "o", ORG_IAM_MEMBER)],
                {"f": "fail:role", "o": "fail:role"}),
        Example("a binding and a policy",
                [R(PROJECT_IAM_BINDING, "b", {"project": GCP_PROJECT, "role": "roles/secretmanager.admin",
                                              "members": ["group:sec@example.com", "user:a@example.com"]}),
                 R(PROJECT_IAM_POLICY, "p", {"project": GCP_PROJECT, "policyData": json.dumps({"bindings": [
                     {"role": "roles/viewer", "members": ["group:all@example.com"]},
                     {"role": "roles/secretmanager.secretAccessor", "members": ["serviceAccount:a@x.com",
                                                                               "serviceAccount:b@x.com"]}]})})],
                {"b": "fail:role", "p": "fail:policyData.bindings[1].role"}),
        Example("a role removed from config", [_member("roles/owner")], {"m": "pass"},
                config={"roles": ["roles/secretmanager.secretAccessor"]}),
        Example("role unknown during preview", [_member(UNKNOWN)], {"m": "unknown"}),
        Example("condition unknown during preview",
                [_member("roles/secretmanager.secretAccessor", condition=UNKNOWN)], {"m": "unknown"}),
    ),
)
