"""iam-role-trust-restricted: what its messages say (its cases are its examples)."""
from policypack.evaluate import evaluate
from policypack.examples import R, doc
from policypack.registry import BY_NAME
from policypack.tokens.aws import ROLE


def test_message_names_statement_and_principal():
    role = R(ROLE, "cross_account", {"arn": "arn:aws:iam::111122223333:role/r", "assumeRolePolicy": doc(
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/ci"}, "Action": "sts:AssumeRole"})})
    res = evaluate([role.build()], [BY_NAME["iam-role-trust-restricted"]])
    assert [r.status.value for r in res] == ["fail"]
    assert "statement #0" in res[0].message and "444455556666" in res[0].message
