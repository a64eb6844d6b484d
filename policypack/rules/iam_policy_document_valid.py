"""iam-policy-document-valid: iAM policy documents are valid."""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..examples import LAMBDA_TRUST, Example, R, allow, doc
from ..iam.document import DOCUMENT_TYPES, Invalid, all_documents, parse_cached
from ..model import UNKNOWN, Outcome, Resource, failed, not_applicable, passed, unknown
from ..tokens.aws import KMS_KEY as KEY
from ..tokens.aws import POLICY, ROLE, ROLE_POLICY, SECRET, SECRET_POLICY
from .base import Rule


def check_document_valid(res: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
    seen = False
    for path, raw, kind in all_documents(res):
        seen = True
        parsed = parse_cached(raw, kind)
        if parsed is UNKNOWN:
            yield unknown(f"{res.name}: {path} is not known during preview", path=path)
        elif isinstance(parsed, Invalid):
            yield failed(f"{res.name}: policy document at {path} is not valid: {parsed.reason}", path=path)
        else:
            yield passed(path=path)
    if not seen:
        yield not_applicable(f"{res.name} carries no IAM policy document")


RULE = Rule(
    name="iam-policy-document-valid",
    title="IAM policy documents are valid",
    description="Every identity, trust, key and secret policy must be valid JSON and a valid policy: Effect "
                "Allow or Deny, Action or NotAction, a known Version, no Principal in an identity policy, a "
                "Principal in trust and resource policies. The other IAM rules skip a document this rule fails.",
    severity="medium",
    enforcement="mandatory",
    kind="resource",
    check=check_document_valid,
    resource_types=DOCUMENT_TYPES,
    remediation="Build documents with aws.iam.get_policy_document or json.dumps of a dict, with Version "
                "\"2012-10-17\" and a Statement list.",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
    controls={"nist-800-53-r5": ["AC-3"]},
    examples=(
        Example("valid identity policy", [R(POLICY, "p", {"policy": doc(allow("s3:GetObject", "arn:aws:s3:::b/*"))})],
                {"p": "pass"}),
        Example("not JSON", [R(POLICY, "p", {"policy": "{\"Version\": \"2012-10-17\", "})], {"p": "fail:policy"},
            controls=("nist-800-53-r5:AC-3",)),
        Example("no Effect", [R(POLICY, "p", {"policy": doc({"Action": "s3:*", "Resource": "*"})})], {"p": "fail:policy"}),
        Example("Effect Permit", [R(POLICY, "p", {"policy": doc({"Effect": "Permit", "Action": "s3:*",
                                                                  "Resource": "*"})})], {"p": "fail:policy"}),
        Example("neither Action nor NotAction", [R(POLICY, "p", {"policy": doc({"Effect": "Allow",
                                                                               "Resource": "*"})})], {"p": "fail:policy"}),
        Example("Principal in an identity policy", [R(POLICY, "p", {"policy": doc(
            allow("s3:GetObject", Principal="*"))})], {"p": "fail:policy"}),
        Example("unknown Version", [R(POLICY, "p", {"policy": {"Version": "2024-01-01", "Statement": [
            allow("s3:GetObject")]}})], {"p": "fail:policy"}),
        Example("single statement dict is valid", [R(POLICY, "p", {"policy": {"Effect": "Allow",
            "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}})], {"p": "pass"}),
        Example("valid trust policy, broken inline policy", [R(ROLE, "r", {"assumeRolePolicy": LAMBDA_TRUST,
            "inlinePolicies": [{"name": "x", "policy": "not json"}]})], {"r": ("fail:inlinePolicies[0].policy", "pass")}),
        Example("trust policy without Principal", [R(ROLE, "r", {"assumeRolePolicy": doc(
            {"Effect": "Allow", "Action": "sts:AssumeRole"})})], {"r": "fail:assumeRolePolicy"}),
        Example("key policy without Principal", [R(KEY, "k", {"policy": doc(allow("kms:*"))})], {"k": "fail:policy"}),
        Example("secret policy that is valid", [R(SECRET_POLICY, "s", {"secretArn": "arn:x", "policy": doc(
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/r"},
             "Action": "secretsmanager:GetSecretValue", "Resource": "*"})})], {"s": "pass"}),
        Example("a key without a policy uses AWS's default", [R(KEY, "k", {})], {"k": "not_applicable"}),
        Example("unknown during preview", [R(POLICY, "p", {"policy": UNKNOWN})], {"p": "unknown"}),
        Example("a stack of identity, trust, key and secret documents", [
            R(POLICY, "ok", {"policy": doc(allow("s3:GetObject", "arn:aws:s3:::b/*"))}),
            R(POLICY, "bad_json", {"policy": "{"}),
            R(ROLE_POLICY, "principal_in_identity", {"policy": doc(allow("a:b", Principal="*"))}),
            R(ROLE, "role_ok", {"assumeRolePolicy": LAMBDA_TRUST}),
            R(ROLE, "role_bad_inline", {"assumeRolePolicy": LAMBDA_TRUST, "inlinePolicies": [
                {"name": "x", "policy": doc({"Effect": "Maybe", "Action": "a:b", "Resource": "*"})}]}),
            R(KEY, "key_default", {}),
            R(SECRET, "secret_bad", {"policy": doc(allow("secretsmanager:*"))}),
            R(POLICY, "preview", {"policy": UNKNOWN}),
            R("aws:s3/bucket:Bucket", "unrelated", {}),
        ], {"ok": "pass", "bad_json": "fail:policy", "principal_in_identity": "fail:policy", "role_ok": "pass",
            "role_bad_inline": ("fail:inlinePolicies[0].policy", "pass"), "key_default": "not_applicable",
            "secret_bad": "fail:policy", "preview": "unknown"}),
    ),
)
