"""`keyguard diff --documents`: CheckNoNewAccess semantics offline (rules layer: documents only)."""
from __future__ import annotations

import io
import json
import random
import re
from typing import Any, List

import pytest

from policypack.access.documents import _container, check, contains, disjoint
from policypack.cli import run
from policypack.iam.document import IDENTITY, Document, parse

SECRET = "arn:aws:secretsmanager:*:*:secret:prod-db-*"


def d(*statements: Any, kind: str = IDENTITY) -> Document:
    doc = parse({"Version": "2012-10-17", "Statement": list(statements)}, kind)
    assert isinstance(doc, Document)
    return doc


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any, resource: Any = "*", **extra: Any) -> dict:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def new_access(old: Document, new: Document) -> List[tuple]:
    return [(f.statement.index, f.actions, f.resource) for f in check(old, new)]


REFERENCE = d(allow("*"), deny("secretsmanager:GetSecretValue", SECRET))


@pytest.mark.parametrize("p, q, expected", [
    ("*", "anything", True),
    ("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/*", True),
    ("arn:aws:s3:::b/?", "arn:aws:s3:::b/*", False),  # `?` is one character, `*` may be many
    ("arn:aws:s3:::b/x*", "arn:aws:s3:::b/*", False),
])
def test_containment_never_guesses(p, q, expected):
    assert contains(p, q) is expected


def _one_star_one_dot(p: str) -> "re.Pattern[str]":
    # The containment test as a regular expression, as it was before it became a Glob: the
    # meaning the Glob must keep (a `.*` per star backtracks; the Glob does not).
    return re.compile("".join(".*" if ch == "*" else "[^*]" if ch == "?" else re.escape(ch) for ch in p),
                      re.S | re.I)


def test_the_container_glob_matches_as_its_regular_expression_did():
    rng = random.Random(0)
    alphabet = "aAbſsS.*?"  # wildcards, a regex metacharacter, case pairs, and ſ that folds to s
    matched = 0
    for _ in range(20_000):
        p = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        if rng.random() < 0.5:
            q = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        else:  # an instance of p, its case flipped here and there, sometimes one character off
            q = "".join("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3))) if c == "*"
                        else rng.choice(alphabet) if c == "?" else c.swapcase() if rng.random() < 0.3 else c
                        for c in p)
            if q and rng.random() < 0.3:
                i = rng.randrange(len(q))
                q = q[:i] + rng.choice(alphabet) + q[i + 1:]
        want = _one_star_one_dot(p).fullmatch(q) is not None
        assert _container(p).fullmatch(q) is want, (p, q)
        matched += want
    assert 5_000 < matched < 15_000


@pytest.mark.parametrize("p, q, expected", [
    ("arn:aws:s3:::a/*", "arn:aws:s3:::b/*", True),
    ("arn:aws:ec2:*:*:network-acl/acl-1", "arn:aws:ec2:*:*:network-acl/acl-2", True),
    ("arn:aws:s3:::a*", "arn:aws:s3:::ab/*", False),
    ("*", "arn:aws:s3:::a", False),
])
def test_disjointness_is_claimed_only_when_proven(p, q, expected):
    assert disjoint(p, q) is expected


def test_reading_the_sensitive_secret_is_new_access():
    assert new_access(REFERENCE, d(allow("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:*:*:secret:prod-db-main"))) \
        == [(0, ("secretsmanager:getsecretvalue",), "arn:aws:secretsmanager:*:*:secret:prod-db-main")]
    # A wildcard that may reach it is new access too.
    assert new_access(REFERENCE, d(allow("secretsmanager:Get*", "arn:aws:secretsmanager:*:*:secret:*")))
    assert new_access(REFERENCE, d(allow("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:*:*:secret:dev-*"))) == []


def test_new_denies_that_remove_the_access_pass():
    new = d(allow("secretsmanager:*"), deny("*", SECRET))
    assert new_access(REFERENCE, new) == []
    # A conditional Deny in NEW may not apply: still new access.
    new = d(allow("secretsmanager:*"), deny("*", SECRET, Condition={"Bool": {"aws:SecureTransport": "false"}}))
    assert [a for _, a, _ in new_access(REFERENCE, new)] == [("secretsmanager:getsecretvalue",)]


def test_not_action_and_not_resource():
    old = d(allow("s3:GetObject", "arn:aws:s3:::bucket/*"))
    assert new_access(old, d({"Effect": "Allow", "NotAction": "s3:*", "Resource": "arn:aws:s3:::bucket/*"}))
    assert new_access(old, d({"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::x/*"}))
    assert new_access(d(allow("s3:GetObject")), d({"Effect": "Allow", "Action": "s3:GetObject",
                                                   "NotResource": "arn:aws:s3:::x/*"})) == []


def test_conditions_that_cannot_be_compared_count_as_new_access():
    tagged = {"StringEquals": {"aws:ResourceTag/team": ["a", "b"]}}
    old = d(allow("ec2:StartInstances", Condition=tagged))
    assert new_access(old, d(allow("ec2:StartInstances", Condition={"StringEquals": {"aws:ResourceTag/team": "a"}}))) == []
    assert new_access(old, d(allow("ec2:StartInstances", Condition={"StringEquals": {"aws:ResourceTag/team": "c"}})))
    assert new_access(old, d(allow("ec2:StartInstances", Condition={"StringLike": {"aws:ResourceTag/team": "a"}})))
    assert new_access(old, d(allow("ec2:StartInstances")))  # no condition: wider


def test_a_required_tag_escapes_a_deny_on_its_absence():
    old = d(allow("*"), deny("ec2:RunInstances", Condition={"Null": {"aws:RequestTag/cost": "true"}}))
    assert new_access(old, d(allow("ec2:RunInstances", Condition={"StringEquals": {"aws:RequestTag/cost": "x"}}))) == []
    assert new_access(old, d(allow("ec2:RunInstances")))


def test_resource_policies_compare_principals():
    old = d({"Effect": "Allow", "Principal": {"AWS": "111111111111"}, "Action": "sts:AssumeRole"}, kind="trust")
    ok = d({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/r"}, "Action": "sts:AssumeRole"},
           kind="trust")
    other = d({"Effect": "Allow", "Principal": {"AWS": "222222222222"}, "Action": "sts:AssumeRole"}, kind="trust")
    svc = d({"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}, kind="trust")
    assert check(old, ok) == [] and check(old, other) and check(old, svc)


def _cli(*argv: str):
    out, err = io.StringIO(), io.StringIO()
    return run(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_the_command_prints_the_statements_that_add_access(tmp_path):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps({"Version": "2012-10-17", "Statement": [allow("s3:GetObject", "arn:aws:s3:::b/*")]}))
    new.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
        allow("s3:GetObject", "arn:aws:s3:::b/*"), {**allow("s3:PutObject", "arn:aws:s3:::b/*"), "Sid": "Write"}]}))
    code, out, _ = _cli("diff", "--documents", str(old), str(new))
    assert code == 1 and out == "FAIL: NEW grants access OLD does not\n  statement 'Write' allows s3:putobject on arn:aws:s3:::b/*\n"
    code, out, _ = _cli("diff", "--documents", str(new), str(old), "--format", "json")
    assert code == 0 and json.loads(out)["result"] == "PASS"


@pytest.mark.parametrize("content, fault", [
    ("{", "is not JSON"),
    ('{"Statement": [{"Effect": "Allow"}]}', "is not a valid identity policy: statement #0 has neither Action nor NotAction"),
])
def test_bad_documents_exit_2_with_one_line(tmp_path, content, fault):
    bad, good = tmp_path / "bad.json", tmp_path / "good.json"
    bad.write_text(content)
    good.write_text(json.dumps({"Version": "2012-10-17", "Statement": [allow("s3:GetObject")]}))
    code, out, err = _cli("diff", "--documents", str(good), str(bad))
    assert code == 2 and fault in err and err.count("\n") == 1 and out == ""
    assert _cli("diff", "--documents", str(good), str(good), "--policy-type", "scp")[0] == 2
