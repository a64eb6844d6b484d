"""gcp-secretmanager-secret-not-public: no secret IAM grant to allUsers or allAuthenticatedUsers."""
from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

from ..examples import GCP_SA_EMAIL, GCP_SECRET_ID, Example, R
from ..iam.gcp_bindings import judge_public
from ..model import UNKNOWN, Outcome, Resource
from ..tokens.gcp import (REGIONAL_SECRET_IAM_BINDING, REGIONAL_SECRET_IAM_MEMBER, REGIONAL_SECRET_IAM_POLICY,
                          SECRET_IAM_BINDING, SECRET_IAM_MEMBER, SECRET_IAM_POLICY)
from .base import Rule

ACCESSOR = "roles/secretmanager.secretAccessor"
_SA = f"serviceAccount:{GCP_SA_EMAIL}"


def check_secret_not_public(res: Resource, _config: Mapping[str, Any]) -> Iterable[Outcome]:
    yield from judge_public(res, "access to the secret")


def _member(member: Any, name: str = "m", **extra: Any) -> R:
    return R(SECRET_IAM_MEMBER, name, {"secretId": GCP_SECRET_ID, "role": ACCESSOR, "member": member, **extra})


def _policy(*bindings: Mapping[str, Any]) -> str:
    return json.dumps({"bindings": list(bindings)})


RULE = Rule(
    name="gcp-secretmanager-secret-not-public",
    title="Secret Manager secrets are not public",
    description="No IAM grant on a Secret Manager secret (SecretIamMember, SecretIamBinding, SecretIamPolicy and "
                "their regional forms) names allUsers (anyone on the internet) or allAuthenticatedUsers (anyone "
                "with a Google account), unless a condition ties it to an access level. A time window or a "
                "resource-name condition leaves the grant public.",
    severity="critical",
    enforcement="mandatory",
    kind="resource",
    check=check_secret_not_public,
    resource_types=frozenset({SECRET_IAM_MEMBER, SECRET_IAM_BINDING, SECRET_IAM_POLICY, REGIONAL_SECRET_IAM_MEMBER,
                              REGIONAL_SECRET_IAM_BINDING, REGIONAL_SECRET_IAM_POLICY}),
    remediation="Remove allUsers and allAuthenticatedUsers from member/members (or from policy_data's bindings) "
                "and grant the role to the one service account that reads the secret "
                "(\"serviceAccount:<email>\").",
    url="https://cloud.google.com/secret-manager/docs/access-control",
    controls={"nist-800-53-r5": ["AC-3", "AC-6"], "pci-dss-v4.0.1": ["7.2.2"], "pci-dss-v4.0": ["7.2.2"]},
    examples=(
        Example("one service account", [_member(_SA)], {"m": "pass"}),
        Example("allUsers", [_member("allUsers")], {"m": "fail:member"},
                controls=("nist-800-53-r5:AC-3", "nist-800-53-r5:AC-6", "pci-dss-v4.0.1:7.2.2", "pci-dss-v4.0:7.2.2")),
        Example("allAuthenticatedUsers in a binding",
                [R(SECRET_IAM_BINDING, "b", {"secretId": GCP_SECRET_ID, "role": ACCESSOR,
                                             "members": [_SA, "allAuthenticatedUsers"]})],
                {"b": "fail:members[1]"}),
        Example("public in a policy document",
                [R(SECRET_IAM_POLICY, "p", {"secretId": GCP_SECRET_ID, "policyData": _policy(
                    {"role": "roles/secretmanager.viewer", "members": [_SA]},
                    {"role": ACCESSOR, "members": ["allUsers"]})})],
                {"p": "fail:policyData.bindings[1].members[0]"}),
        Example("a condition that restricts the caller to an access level",
                [_member("allAuthenticatedUsers", condition={
                    "title": "corp network", "expression":
                        "'accessPolicies/123/accessLevels/corp' in request.auth.access_levels"})],
                {"m": "pass"}),
        Example("a time window still leaves it public",
                [_member("allUsers", condition={"title": "until", "expression":
                                                'request.time < timestamp("2027-01-01T00:00:00Z")'})],
                {"m": "fail:member"}),
        Example("a negated access level does not restrict",
                [_member("allUsers", condition={"title": "not corp", "expression":
                                                "!('accessPolicies/1/accessLevels/corp' in request.auth.access_levels)"})],
                {"m": "fail:member"}),
        Example("regional secret binding", [R(REGIONAL_SECRET_IAM_BINDING, "rb", {
            "secretId": "s", "location": "us-central1", "role": ACCESSOR, "members": ["allUsers"]})],
                {"rb": "fail:members[0]"}),
        Example("a policyData that is not JSON grants nothing",
                [R(SECRET_IAM_POLICY, "p", {"secretId": GCP_SECRET_ID, "policyData": "{not json"})],
                {"p": "not_applicable"}),
        Example("member computed during preview", [_member(UNKNOWN)], {"m": "unknown"}),
        Example("policy data from an invoke during preview",
                [R(SECRET_IAM_POLICY, "p", {"secretId": GCP_SECRET_ID, "policyData": UNKNOWN})], {"p": "unknown"}),
    ),
)
