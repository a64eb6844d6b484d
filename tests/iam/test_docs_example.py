"""The rotation role printed in docs/iam.md passes every rule of the pack, exactly as printed."""
import json
import re
from pathlib import Path

from policypack.evaluate import evaluate
from policypack.examples import R
from policypack.model import Status
from policypack.registry import RULES
from policypack.tokens.aws import ROLE

DOC = Path(__file__).resolve().parents[2] / "docs" / "iam.md"


def _block(marker: str) -> dict:
    m = re.search(rf"<!-- {marker} -->\s*```json\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert m, f"docs/iam.md lost its {marker} block"
    return json.loads(m.group(1))


def _role(policy: dict):
    return R(ROLE, "rotation", {"arn": "arn:aws:iam::111122223333:role/rotation",
                                "assumeRolePolicy": json.dumps(_block("rotation-role-trust")),
                                "inlinePolicies": [{"name": "rotate", "policy": json.dumps(policy)}]}).build()


def test_documented_rotation_role_passes_every_rule():
    results = evaluate([_role(_block("rotation-role-policy"))], RULES)
    assert [r for r in results if r.status is not Status.PASS and r.status is not Status.NOT_APPLICABLE] == []
    judged = {r.policy for r in results if r.status is Status.PASS}
    assert {"iam-policy-sensitive-actions-scoped", "iam-policy-resource-scoped", "iam-role-trust-restricted",
            "iam-policy-no-privilege-escalation", "iam-policy-document-valid"} <= judged


def test_each_widening_of_the_example_is_caught():
    base = _block("rotation-role-policy")
    widen = {
        "ReadThisPlanAndItsKeys": ("Resource", "arn:aws:apigateway:us-east-1::/apikeys/*",
                                   "iam-policy-sensitive-actions-scoped"),
        "OwnLogGroup": ("Resource", "*", "iam-policy-resource-scoped"),
        "UseThisKeyOnlyThroughSecretsManager": ("Condition", None, None),
        "RotateThisSecret": ("Action", "secretsmanager:*", "iam-policy-no-service-wildcard"),
    }
    for sid, (field, value, expected) in widen.items():
        doc = json.loads(json.dumps(base))
        stmt = next(s for s in doc["Statement"] if s["Sid"] == sid)
        if value is None:
            del stmt[field]
            stmt["Resource"] = "*"
            expected = "iam-policy-sensitive-actions-scoped"
        else:
            stmt[field] = value
        fails = {r.policy for r in evaluate([_role(doc)], RULES) if r.status is Status.FAIL}
        assert expected in fails, sid
