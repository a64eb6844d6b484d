"""Exact-set tests for the ten lifecycle, API-key and sprawl policies.

Each case lists every (resource, status) the policy must report and nothing else;
messages must name a path and never carry a secret value.
"""
import json

import pytest

from policypack.evaluate import evaluate
from policypack.model import UNKNOWN, Status
from policypack.registry import BY_NAME, RULES
from policypack.examples import R

API_KEY = "aws:apigateway/apiKey:ApiKey"
SECRET = "aws:secretsmanager/secret:Secret"
SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion"
ROTATION = "aws:secretsmanager/secretRotation:SecretRotation"
FUNCTION = "aws:lambda/function:Function"
PERMISSION = "aws:lambda/permission:Permission"
USAGE_PLAN = "aws:apigateway/usagePlan:UsagePlan"
USAGE_PLAN_KEY = "aws:apigateway/usagePlanKey:UsagePlanKey"
PARAMETER = "aws:ssm/parameter:Parameter"
STAGE = "aws:apigateway/stage:Stage"
KMS_KEY = "aws:kms/key:Key"
RDS = "aws:rds/instance:Instance"

KEY = "Hq3Zt8Wc1Lp6Vn2Rk9Xb4Md7Fs5Gj0Ty2Ue8Io1A"
PASSWORD = "db-Pw-0x7"
ACCOUNT = "111122223333"
SECRET_ARN = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:api-key-AbCdEf"
FN_ARN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:rotate"
SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
UUID = "123e4567-e89b-12d3-a456-426614174000"

_key = R(API_KEY, "key", {"value": KEY, "enabled": True}, id="k1")
_key_preview = R(API_KEY, "key", {"value": UNKNOWN})
_fn_dep_key = {"environment": [f"{API_KEY}::key"]}


def _fn(name, variables, **kw):
    return R(FUNCTION, name, {"environment": {"variables": variables}}, **kw)


def _perm(name, **props):
    base = {"action": "lambda:InvokeFunction", "function": "rotate", "principal": "secretsmanager.amazonaws.com"}
    base.update(props)
    return R(PERMISSION, name, base)


_rot_export = [R(SECRET, "s", {"arn": SECRET_ARN}, id=SECRET_ARN),
               R(FUNCTION, "rotator", {"arn": FN_ARN, "name": "rotate"}, id="rotate"),
               R(ROTATION, "rot", {"secretId": SECRET_ARN, "rotationLambdaArn": FN_ARN})]
_rot_preview = [R(SECRET, "s", {"arn": UNKNOWN}),
                R(FUNCTION, "rotator", {"arn": UNKNOWN, "name": UNKNOWN}),
                R(ROTATION, "rot", {"secretId": UNKNOWN, "rotationLambdaArn": UNKNOWN},
                  property_dependencies={"secretId": [f"{SECRET}::s"], "rotationLambdaArn": [f"{FUNCTION}::rotator"]})]
_perm_preview = R(PERMISSION, "allow", {"action": "lambda:InvokeFunction", "function": UNKNOWN,
                                        "principal": "secretsmanager.amazonaws.com"},
                  property_dependencies={"function": [f"{FUNCTION}::rotator"]})

_plan = R(USAGE_PLAN, "plan", {"throttleSettings": {"rateLimit": 5, "burstLimit": 10},
                               "quotaSettings": {"limit": 1000, "period": "DAY"}}, id="p1")

# (policy, label, resources, config, exact set of (name, status))
CASES = [
    # kms-key-deletion-window
    ("kms-key-deletion-window", "several keys", [R(KMS_KEY, "a", {}), R(KMS_KEY, "b", {"deletionWindowInDays": 29}),
                                                 R(KMS_KEY, "c", {"deletionWindowInDays": 30})], {},
     {("a", "pass"), ("b", "fail"), ("c", "pass")}),
    ("kms-key-deletion-window", "boolean is not a number", [R(KMS_KEY, "a", {"deletionWindowInDays": True})], {},
     {("a", "fail")}),
    # secretsmanager-secret-recovery-window
    ("secretsmanager-secret-recovery-window", "0, 6, 7, 30, unset",
     [R(SECRET, "z", {"recoveryWindowInDays": 0}), R(SECRET, "six", {"recoveryWindowInDays": 6}),
      R(SECRET, "seven", {"recoveryWindowInDays": 7}), R(SECRET, "month", {"recoveryWindowInDays": 30}),
      R(SECRET, "unset", {})], {},
     {("z", "fail"), ("six", "fail"), ("seven", "pass"), ("month", "pass"), ("unset", "pass")}),
    # secretsmanager-rotation-lambda-invocable
    ("secretsmanager-rotation-lambda-invocable", "export: permission by ARN",
     _rot_export + [_perm("allow", function=FN_ARN)], {}, {("rotator", "pass")}),
    ("secretsmanager-rotation-lambda-invocable", "export: permission by partial ARN",
     _rot_export + [_perm("allow", function=f"{ACCOUNT}:function:rotate")], {}, {("rotator", "pass")}),
    ("secretsmanager-rotation-lambda-invocable", "export: wildcard sourceArn matches",
     _rot_export + [_perm("allow", sourceArn=f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:api-key-*")], {},
     {("rotator", "pass")}),
    ("secretsmanager-rotation-lambda-invocable", "export: permission for another function",
     _rot_export + [_perm("allow", function="other")], {}, {("rotator", "fail")}),
    ("secretsmanager-rotation-lambda-invocable", "export: wrong action",
     _rot_export + [_perm("allow", action="lambda:GetFunction")], {}, {("rotator", "fail")}),
    ("secretsmanager-rotation-lambda-invocable", "preview: permission linked by dependency",
     _rot_preview + [_perm_preview], {}, {("rotator", "pass")}),
    ("secretsmanager-rotation-lambda-invocable", "preview: permission for another function",
     _rot_preview + [R(FUNCTION, "other", {"arn": UNKNOWN}),
                     R(PERMISSION, "allow", {"function": UNKNOWN, "principal": "secretsmanager.amazonaws.com",
                                             "action": "lambda:InvokeFunction"},
                       property_dependencies={"function": [f"{FUNCTION}::other"]})], {},
     {("rotator", "fail")}),
    ("secretsmanager-rotation-lambda-invocable", "preview: sourceArn depends on the rotated secret",
     _rot_preview + [R(PERMISSION, "allow", {"function": UNKNOWN, "principal": "secretsmanager.amazonaws.com",
                                             "action": "lambda:InvokeFunction", "sourceArn": UNKNOWN},
                       property_dependencies={"function": [f"{FUNCTION}::rotator"], "sourceArn": [f"{SECRET}::s"]})],
     {}, {("rotator", "pass")}),
    ("secretsmanager-rotation-lambda-invocable", "preview: sourceArn depends on another secret",
     _rot_preview + [R(SECRET, "other", {"arn": UNKNOWN}),
                     R(PERMISSION, "allow", {"function": UNKNOWN, "principal": "secretsmanager.amazonaws.com",
                                             "action": "lambda:InvokeFunction", "sourceArn": UNKNOWN},
                       property_dependencies={"function": [f"{FUNCTION}::rotator"],
                                              "sourceArn": [f"{SECRET}::other"]})],
     {}, {("rotator", "fail")}),
    ("secretsmanager-rotation-lambda-invocable", "no rotation, nothing to say",
     [R(FUNCTION, "fn", {"arn": FN_ARN})], {}, set()),
    # apigateway-api-key-generated
    ("apigateway-api-key-generated", "literal, empty, unset",
     [R(API_KEY, "lit", {"value": "my-hand-written-key-123456"}), R(API_KEY, "empty", {"value": ""}),
      R(API_KEY, "gen", {"name": "x"})], {},
     {("lit", "fail"), ("empty", "pass"), ("gen", "pass")}),
    # apigateway-api-key-stored-in-secret
    ("apigateway-api-key-stored-in-secret", "export: key inside a JSON secret string",
     [_key, R(SECRET_VERSION, "v", {"secretString": json.dumps({"apiKeyId": "k1", "value": KEY})})], {},
     {("key", "pass")}),
    ("apigateway-api-key-stored-in-secret", "export: key in an SSM parameter is not a SecretVersion",
     [_key, R(PARAMETER, "p", {"type": "SecureString", "value": KEY})], {}, {("key", "fail")}),
    ("apigateway-api-key-stored-in-secret", "preview: dependency on another key does not count",
     [_key_preview, R(API_KEY, "other", {"value": UNKNOWN}),
      R(SECRET_VERSION, "v", {"secretString": UNKNOWN}, property_dependencies={"secretString": [f"{API_KEY}::other"]})],
     {}, {("key", "unknown"), ("other", "pass")}),
    ("apigateway-api-key-stored-in-secret", "preview: dependency links",
     [_key_preview, R(SECRET_VERSION, "v", {"secretString": UNKNOWN},
                      property_dependencies={"secretString": [f"{API_KEY}::key"]})], {},
     {("key", "pass")}),
    # apigateway-api-key-usage-plan
    ("apigateway-api-key-usage-plan", "export: linked by id values",
     [_key, _plan, R(USAGE_PLAN_KEY, "att", {"keyId": "k1", "usagePlanId": "p1"})], {}, {("key", "pass")}),
    ("apigateway-api-key-usage-plan", "export: attached to another key only",
     [_key, R(API_KEY, "k2", {}, id="k2"), _plan, R(USAGE_PLAN_KEY, "att", {"keyId": "k2", "usagePlanId": "p1"})],
     {}, {("key", "fail"), ("k2", "pass")}),
    ("apigateway-api-key-usage-plan", "preview: plan limits unknown",
     [_key_preview, R(USAGE_PLAN, "plan", {"throttleSettings": UNKNOWN, "quotaSettings": UNKNOWN}),
      R(USAGE_PLAN_KEY, "att", {"keyId": UNKNOWN, "usagePlanId": UNKNOWN},
        property_dependencies={"keyId": [f"{API_KEY}::key"], "usagePlanId": [f"{USAGE_PLAN}::plan"]})], {},
     {("key", "unknown")}),
    ("apigateway-api-key-usage-plan", "preview: key missing from the plan",
     [_key_preview, R(API_KEY, "k2", {"value": UNKNOWN}), _plan,
      R(USAGE_PLAN_KEY, "att", {"keyId": UNKNOWN, "usagePlanId": UNKNOWN},
        property_dependencies={"keyId": [f"{API_KEY}::k2"], "usagePlanId": [f"{USAGE_PLAN}::plan"]})], {},
     {("key", "fail"), ("k2", "pass")}),
    # lambda-environment-no-secrets
    ("lambda-environment-no-secrets", "export: several functions",
     [_key, R(RDS, "db", {"password": PASSWORD}),
      _fn("clean", {"API_KEY_SECRET_ARN": SECRET_ARN, "DIGEST": SHA256, "RUN": UUID}),
      _fn("url", {"DSN": f"postgres://app:{PASSWORD}@db:5432/app"}),
      _fn("json", {"CFG": json.dumps({"k": KEY})}),
      _fn("none", None)], {},
     {("clean", "pass"), ("url", "fail"), ("json", "fail"), ("none", "pass")}),
    ("lambda-environment-no-secrets", "two leaking variables give two failures",
     [_key, _fn("fn", {"A": KEY, "B": f"Bearer {KEY}"})], {}, {("fn", "fail")}),
    ("lambda-environment-no-secrets", "preview: computed from the key",
     [_key_preview, _fn("fn", {"API_KEY": UNKNOWN}, property_dependencies=_fn_dep_key)], {}, {("fn", "unknown")}),
    # ssm-parameter-secure-string
    ("ssm-parameter-secure-string", "export: String with the key in a URL, StringList, SecureString",
     [_key, R(PARAMETER, "url", {"type": "String", "value": f"https://api.example.com/?api_key={KEY}"}),
      R(PARAMETER, "list", {"type": "StringList", "value": f"a,{KEY},b"}),
      R(PARAMETER, "ok", {"type": "SecureString", "value": KEY}),
      R(PARAMETER, "cfg", {"type": "String", "value": "us-east-1"})], {},
     {("url", "fail"), ("list", "fail"), ("ok", "pass"), ("cfg", "pass")}),
    ("ssm-parameter-secure-string", "insecureValue holding a password",
     [R(RDS, "db", {"password": "rds-password-0123456"}),
      R(PARAMETER, "p", {"type": "String", "insecureValue": "rds-password-0123456"})], {}, {("p", "fail")}),
    # apigateway-stage-variables-no-secrets
    ("apigateway-stage-variables-no-secrets", "export: key in a URL, ARN and UUID guards",
     [_key, R(STAGE, "leak", {"variables": {"backend": f"https://b.example.com/x?key={KEY}"}}),
      R(STAGE, "ok", {"variables": {"secretArn": SECRET_ARN, "requestToken": UUID}})], {},
     {("leak", "fail"), ("ok", "pass")}),
    ("apigateway-stage-variables-no-secrets", "preview: computed from a non-secret resource",
     [R(STAGE, "st", {"variables": {"fnName": UNKNOWN}}, property_dependencies={"variables": [f"{FUNCTION}::fn"]}),
      R(FUNCTION, "fn", {"arn": UNKNOWN})], {}, {("st", "pass")}),
    # state-secret-outputs-encrypted
    ("state-secret-outputs-encrypted", "usage plan keys with and without the option",
     [R(USAGE_PLAN_KEY, "bare", {"keyId": "k"}), R(USAGE_PLAN_KEY, "ok", {"keyId": "k"},
                                                   additional_secret_outputs=["value"]),
      R(API_KEY, "key", {"value": KEY})], {},
     {("bare", "fail"), ("ok", "pass")}),
    ("state-secret-outputs-encrypted", "direct connect interface with a given auth key",
     [R("aws:directconnect/privateVirtualInterface:PrivateVirtualInterface", "vif", {"bgpAuthKey": "x"},
        additional_secret_outputs=["bgpAuthKey"])], {}, {("vif", "pass")}),
]


@pytest.mark.parametrize("policy,label,resources,config,expected", CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_exact_results(policy, label, resources, config, expected):
    rule = BY_NAME[policy]
    results = evaluate([r.build() for r in resources], [rule], {policy: config} if config else None)
    got = {(r.urn.rsplit("::", 1)[-1], r.status.value) for r in results}
    assert got == expected
    for r in results:
        for secret in (KEY, PASSWORD, "rds-password-0123456"):
            assert secret not in r.message
        if r.status is Status.FAIL:
            assert r.message and (r.path or r.urn)


def test_two_leaking_variables_are_two_findings():
    rule = BY_NAME["lambda-environment-no-secrets"]
    results = evaluate([_key.build(), _fn("fn", {"A": KEY, "B": f"Bearer {KEY}"}).build()], [rule])
    assert sorted(r.path for r in results if r.status is Status.FAIL) == [
        "environment.variables.A", "environment.variables.B"]


def test_state_message_names_the_exact_option():
    rule = BY_NAME["state-secret-outputs-encrypted"]
    results = evaluate([R(USAGE_PLAN_KEY, "att", {"keyId": "k"}).build()], [rule])
    assert 'opts=pulumi.ResourceOptions(additional_secret_outputs=["value"])' in results[0].message


TABLE = {
    "kms-key-deletion-window": ("resource", "advisory", "medium"),
    "secretsmanager-secret-recovery-window": ("resource", "mandatory", "high"),
    "secretsmanager-rotation-lambda-invocable": ("stack", "mandatory", "high"),
    "apigateway-api-key-generated": ("resource", "mandatory", "high"),
    "apigateway-api-key-stored-in-secret": ("stack", "mandatory", "high"),
    "apigateway-api-key-usage-plan": ("stack", "advisory", "medium"),
    "lambda-environment-no-secrets": ("stack", "mandatory", "critical"),
    "ssm-parameter-secure-string": ("stack", "mandatory", "high"),
    "apigateway-stage-variables-no-secrets": ("stack", "mandatory", "critical"),
    "state-secret-outputs-encrypted": ("resource", "mandatory", "high"),
}


@pytest.mark.parametrize("name", sorted(TABLE))
def test_metadata_matches_the_issue_table(name):
    rule = BY_NAME[name]
    assert (rule.kind, rule.enforcement, rule.severity) == TABLE[name]
    assert rule.controls and rule.remediation and rule.url.startswith("https://")
    assert rule.title and rule.description

