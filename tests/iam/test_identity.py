"""Identity-policy rules: what their messages say and which config they refuse.

Their cases (the identity-document table, role inline policies, the sensitive actions,
allow-lists, resource policies out of scope) are the rules' examples.
"""
import pytest

from policypack.config import ConfigError
from policypack.evaluate import evaluate
from policypack.examples import R, allow, doc
from policypack.registry import BY_NAME
from policypack.tokens.aws import POLICY


def test_messages_name_statement_and_actions_not_the_document():
    sid = doc({**allow("secretsmanager:Get*"), "Sid": "ReadAll"})
    res = evaluate([R(POLICY, "p", {"policy": sid}).build()], [BY_NAME["iam-policy-sensitive-actions-scoped"]])
    (r,) = res
    assert "statement 'ReadAll'" in r.message and "secretsmanager:GetSecretValue" in r.message
    assert "Statement" not in r.message and "{" not in r.message


def test_an_allow_list_entry_without_reason_is_refused():
    rule = BY_NAME["iam-policy-no-service-wildcard"]
    with pytest.raises(ConfigError, match="allowedServiceWildcards\\[0\\] needs reason"):
        evaluate([], [rule], {rule.name: {"allowedServiceWildcards": [{"action": "s3:*"}]}})
