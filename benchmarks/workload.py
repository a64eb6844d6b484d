"""A realistic request mix: what an AI service's stack sends the pack during a preview.

Most resources of a real stack are of types no keyguard rule looks at (buckets,
functions, log groups, networking), a few carry IAM documents, keys or secrets,
and during preview some values are unknown. Sizes are kept close to what
pulumi-aws sends (tags, defaults the provider's Check fills in).
"""
from __future__ import annotations

import json
import zlib
from typing import List

from tests.engine.harness import Res, Secret, Unknown

_TAGS = {"team": "ml-platform", "service": "inference-gateway", "env": "prod", "cost-center": "4711"}
_ACCOUNT = "111122223333"


def _doc(actions, resource) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": actions, "Resource": resource}]})


def _templates(i: int) -> List[Res]:
    """One 'service' worth of resources; `i` makes names and ARNs unique."""
    arn = f"arn:aws:secretsmanager:us-east-1:{_ACCOUNT}:secret:svc{i}-AbCdEf"
    key_arn = f"arn:aws:kms:us-east-1:{_ACCOUNT}:key/0000{i:04d}-12ab-34cd-56ef-1234567890ab"
    return [
        Res("aws:s3/bucket:Bucket", f"artifacts-{i}", {
            "bucket": f"svc{i}-artifacts", "forceDestroy": False, "tags": _TAGS, "tagsAll": _TAGS,
            "serverSideEncryptionConfiguration": {"rule": {"applyServerSideEncryptionByDefault": {
                "sseAlgorithm": "aws:kms", "kmsMasterKeyId": key_arn}}},
            "versioning": {"enabled": True, "mfaDelete": False}}),
        Res("aws:lambda/function:Function", f"handler-{i}", {
            "name": f"svc{i}-handler", "runtime": "python3.12", "handler": "app.handler", "memorySize": 512,
            "timeout": 30, "role": Unknown(), "architectures": ["arm64"], "tags": _TAGS,
            "environment": {"variables": {"SECRET_ARN": arn, "LOG_LEVEL": "INFO", "MODEL": "gpt-x"}},
            "code": {"4dabf18193072939515e22adb298388d": "0def7320c3a5731c473e5ecbe6d01bc7", "path": "./app"}}),
        Res("aws:cloudwatch/logGroup:LogGroup", f"logs-{i}", {
            "name": f"/aws/lambda/svc{i}-handler", "retentionInDays": 30, "tags": _TAGS}),
        Res("aws:iam/role:Role", f"role-{i}", {
            "name": f"svc{i}-role", "tags": _TAGS,
            "assumeRolePolicy": json.dumps({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": "sts:AssumeRole",
                "Principal": {"Service": "lambda.amazonaws.com"}}]})}),
        Res("aws:iam/rolePolicy:RolePolicy", f"read-secret-{i}", {
            "role": Unknown(), "name": "read-secret",
            "policy": _doc(["secretsmanager:GetSecretValue"], arn)}),
        Res("aws:kms/key:Key", f"key-{i}", {
            "description": f"svc{i} secrets", "enableKeyRotation": True, "deletionWindowInDays": 30,
            "keyUsage": "ENCRYPT_DECRYPT", "customerMasterKeySpec": "SYMMETRIC_DEFAULT", "tags": _TAGS}),
        Res("aws:secretsmanager/secret:Secret", f"secret-{i}", {
            "name": f"svc{i}-api-key", "kmsKeyId": Unknown(), "recoveryWindowInDays": 7, "tags": _TAGS}),
        Res("aws:secretsmanager/secretVersion:SecretVersion", f"secret-version-{i}", {
            "secretId": Unknown(), "secretString": Secret(Unknown())}),
        Res("aws:secretsmanager/secretRotation:SecretRotation", f"rotation-{i}", {
            "secretId": Unknown(), "rotationLambdaArn": Unknown(),
            "rotationRules": {"automaticallyAfterDays": 30}}),
        Res("aws:ec2/securityGroup:SecurityGroup", f"sg-{i}", {
            "name": f"svc{i}", "vpcId": "vpc-0abc", "tags": _TAGS,
            "ingress": [{"fromPort": 443, "toPort": 443, "protocol": "tcp", "cidrBlocks": ["10.0.0.0/8"]}],
            "egress": [{"fromPort": 0, "toPort": 0, "protocol": "-1", "cidrBlocks": ["0.0.0.0/0"]}]}),
    ]


def resource_mix(n: int) -> List[Res]:
    out: List[Res] = []
    i = 0
    while len(out) < n:
        out.extend(_templates(i))
        i += 1
    return out[:n]


def stack(n: int) -> List[Res]:
    """~n resources plus the root Stack, with property dependencies wired as a program would."""
    resources = resource_mix(n)
    by_name = {r.name: r for r in resources}
    for r in resources:
        idx = r.name.rsplit("-", 1)[-1]
        if r.type == "aws:secretsmanager/secretRotation:SecretRotation" and f"secret-{idx}" in by_name:
            r.property_dependencies = {"secretId": [by_name[f"secret-{idx}"].urn]}
            r.dependencies = (by_name[f"secret-{idx}"].urn,)
        if r.type == "aws:secretsmanager/secret:Secret" and f"key-{idx}" in by_name:
            r.property_dependencies = {"kmsKeyId": [by_name[f"key-{idx}"].urn]}
            r.dependencies = (by_name[f"key-{idx}"].urn,)
    root = Res("pulumi:pulumi:Stack", "inference-prod",
               {"secretArns": [Unknown() for _ in range(3)], "roleArn": Unknown(), "region": "us-east-1"})
    return [root, *resources]


_IAM_TYPES = frozenset({"aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy"})


def _policy_doc(*statements) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def principal_stack(n: int = 3000, principals: int = 300) -> List[Res]:
    """A deployed stack (outputs known) of `n` resources around `principals` roles, users and
    groups: each role has an inline policy and an attached customer-managed policy, users have
    their own policy and a group; every tenth role splits an escalation across its two policies
    (the others deny iam:* inline), and every seventh has a permissions boundary. The rest is the ordinary mix without IAM."""
    out: List[Res] = []
    roles, users = principals * 5 // 6, principals // 10
    groups = principals - roles - users
    boundary_arn = f"arn:aws:iam::{_ACCOUNT}:policy/boundary"
    out.append(Res("aws:iam/policy:Policy", "boundary", {
        "name": "boundary", "arn": boundary_arn, "policy": _doc(["s3:*", "logs:*", "lambda:*"], "*")}))
    for i in range(roles):
        name = f"svc{i}-role"
        role = Res("aws:iam/role:Role", name, {
            "name": name, "arn": f"arn:aws:iam::{_ACCOUNT}:role/{name}", "tags": _TAGS,
            "assumeRolePolicy": json.dumps({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}}]}),
            **({"permissionsBoundary": boundary_arn} if i % 7 == 0 else {})})
        pol_arn = f"arn:aws:iam::{_ACCOUNT}:policy/svc{i}-managed"
        managed = Res("aws:iam/policy:Policy", f"svc{i}-managed", {
            "name": f"svc{i}-managed", "arn": pol_arn,
            "policy": _doc(["iam:PassRole"] if i % 10 == 0 else ["s3:GetObject"],
                           "*" if i % 10 == 0 else f"arn:aws:s3:::svc{i}/*")})
        inline = Res("aws:iam/rolePolicy:RolePolicy", f"svc{i}-inline", {
            "role": name, "name": "inline",
            "policy": _policy_doc({"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"],
                                   "Resource": "*"}) if i % 10 == 0 else
            _policy_doc({"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                         "Resource": f"arn:aws:secretsmanager:us-east-1:{_ACCOUNT}:secret:svc{i}-AbCdEf"},
                        {"Effect": "Deny", "Action": "iam:*", "Resource": "*"})},
            property_dependencies={"role": [role.urn]}, dependencies=(role.urn,))
        attach = Res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", f"svc{i}-attach", {
            "role": name, "policyArn": pol_arn},
            property_dependencies={"role": [role.urn], "policyArn": [managed.urn]}, dependencies=(role.urn, managed.urn))
        out.extend([role, managed, inline, attach])
    for g in range(groups):
        out.append(Res("aws:iam/group:Group", f"team{g}", {"name": f"team{g}", "arn": f"arn:aws:iam::{_ACCOUNT}:group/team{g}"}))
        out.append(Res("aws:iam/groupPolicy:GroupPolicy", f"team{g}-policy", {
            "group": f"team{g}", "policy": _doc(["ec2:Describe*", "cloudwatch:GetMetricData"], "*")}))
    for u in range(users):
        out.append(Res("aws:iam/user:User", f"user{u}", {"name": f"user{u}", "arn": f"arn:aws:iam::{_ACCOUNT}:user/user{u}"}))
        out.append(Res("aws:iam/userPolicy:UserPolicy", f"user{u}-policy", {
            "user": f"user{u}", "policy": _doc(["s3:ListBucket"], f"arn:aws:s3:::user{u}")}))
        out.append(Res("aws:iam/userGroupMembership:UserGroupMembership", f"user{u}-groups", {
            "user": f"user{u}", "groups": [f"team{u % max(groups, 1)}"]}))
    filler = [r for r in resource_mix(2 * n) if r.type not in _IAM_TYPES]
    filler = filler[: max(0, n - len(out))]
    # Deployed: secrets and keys have their ARNs, and each secret names its key, so that
    # `keyguard access` has readers to find (the svc<i> roles read the svc<i> secrets).
    for r in filler:
        i = int(r.name.rsplit("-", 1)[-1])
        key_arn = f"arn:aws:kms:us-east-1:{_ACCOUNT}:key/0000{i:04d}-12ab-34cd-56ef-1234567890ab"
        if r.type == "aws:kms/key:Key":
            r.props = {**r.props, "arn": key_arn, "keyId": key_arn.rsplit("/", 1)[-1]}
        elif r.type == "aws:secretsmanager/secret:Secret":
            r.props = {**r.props, "kmsKeyId": key_arn,
                       "arn": f"arn:aws:secretsmanager:us-east-1:{_ACCOUNT}:secret:svc{i}-AbCdEf"}
    out.extend(filler)
    root = Res("pulumi:pulumi:Stack", "inference-prod", {"region": "us-east-1"})
    return [root, *out]


# ---------------------------------------------------------------------------
# `pulumi stack export` files of any size, for the scanner and AnalyzeStack at scale.

_SIG = "4dabf18193072939515e22adb298388d"
_SECRET = "1b47061264138c4ac30d75fd1eb44270"
_REGION = "us-east-1"
_PROJECT, _STACK = "inference", "prod"
_ROOT_URN = f"urn:pulumi:{_STACK}::{_PROJECT}::pulumi:pulumi:Stack::{_PROJECT}-{_STACK}"
_PROVIDER_URN = f"urn:pulumi:{_STACK}::{_PROJECT}::pulumi:providers:aws::default_7_0_0"
_PROVIDER_ID = "0b3c5d7e-1f2a-4b6c-8d0e-2f4a6b8c0d1e"
_STAMP = "2026-11-20T09:12:45.000000Z"


def _plain_secret(value) -> dict:
    """A secret as `pulumi stack export --show-secrets` writes it."""
    return {_SIG: _SECRET, "plaintext": json.dumps(value)}


def _cipher_secret(i: int) -> dict:
    return {_SIG: _SECRET, "ciphertext": f"v1:c2FsdHNhbHQ{i:06d}:QUFBQUJCQkJDQ0NDRERERA{i:06d}=="}


def _key_value(i: int) -> str:
    # A 40-character generated-looking API key value, unique per service.
    base = "Xq7vR2mT9pL4wK8sN3bJ6hF1dG5cZ0aYeUiO"
    return f"{base}{i:04d}"[:40] if i < 10000 else f"{base[:32]}{i:08d}"


def _service(i: int) -> List[dict]:
    """One service's resources as an export lists them (inputs and outputs, ids, ARNs,
    dependencies). `i` makes names unique; some services carry mistakes, as real
    stacks do, so that every stack rule has passes, failures and unknowns to report."""
    acct = _ACCOUNT
    svc = f"svc{i}"
    key_id = f"{i:08d}-12ab-34cd-56ef-1234567890ab"
    key_arn = f"arn:aws:kms:{_REGION}:{acct}:key/{key_id}"
    secret_arn = f"arn:aws:secretsmanager:{_REGION}:{acct}:secret:{svc}-api-key-AbCdEf"
    rot_fn, handler_fn = f"{svc}-rotate", f"{svc}-handler"
    rot_arn = f"arn:aws:lambda:{_REGION}:{acct}:function:{rot_fn}"
    handler_arn = f"arn:aws:lambda:{_REGION}:{acct}:function:{handler_fn}"
    role_arn = f"arn:aws:iam::{acct}:role/{svc}-role"
    policy_arn = f"arn:aws:iam::{acct}:policy/{svc}-read"
    api_key_id, plan_id = f"k{i:09d}", f"p{i:09d}"
    value = _key_value(i)
    out: List[dict] = []

    def add(rtype: str, name: str, rid: str, inputs: dict, outputs: dict, deps: dict = None) -> str:
        urn = f"urn:pulumi:{_STACK}::{_PROJECT}::{rtype}::{name}"
        deps = deps or {}
        res = {"urn": urn, "custom": True, "id": rid, "type": rtype, "inputs": inputs,
               "outputs": {**inputs, **outputs}, "parent": _ROOT_URN,
               "dependencies": sorted({u for us in deps.values() for u in us}),
               "provider": f"{_PROVIDER_URN}::{_PROVIDER_ID}",
               "propertyDependencies": {k: deps.get(k, []) for k in inputs},
               "created": _STAMP, "modified": _STAMP}
        out.append(res)
        return urn

    tags = {"team": "ml-platform", "service": svc, "env": _STACK}
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}}]})
    key_policy = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{acct}:root"},
        "Action": "kms:*", "Resource": "*"}]})
    key = add("aws:kms/key:Key", f"key-{i}", key_id,
              {"description": f"{svc} secrets", "enableKeyRotation": i % 9 != 0, "deletionWindowInDays": 30,
               "policy": key_policy, "tags": tags},
              {"arn": key_arn, "keyId": key_id, "keyUsage": "ENCRYPT_DECRYPT",
               "customerMasterKeySpec": "SYMMETRIC_DEFAULT", "rotationPeriodInDays": 365, "isEnabled": True,
               "bypassPolicyLockoutSafetyCheck": False, "tagsAll": tags})
    secret = add("aws:secretsmanager/secret:Secret", f"secret-{i}", secret_arn,
                 {"name": f"{svc}-api-key", "kmsKeyId": key_arn, "recoveryWindowInDays": 7, "tags": tags},
                 {"arn": secret_arn, "tagsAll": tags}, {"kmsKeyId": [key]})
    api_key = add("aws:apigateway/apiKey:ApiKey", f"api-key-{i}", api_key_id,
                  {"name": f"{svc}-key", "enabled": True, "description": f"{svc} clients"},
                  {"arn": f"arn:aws:apigateway:{_REGION}::/apikeys/{api_key_id}", "id": api_key_id,
                   "value": _plain_secret(value), "createdDate": _STAMP, "tagsAll": {}})
    stored = json.dumps({"apiKeyId": api_key_id, "value": value, "usagePlanId": plan_id, "createdAt": _STAMP})
    # Every third version is encrypted in the export (no --show-secrets for that stack).
    # and a few were written by a CLI that recorded no property dependencies: undecidable.
    secret_string = _cipher_secret(i) if i % 3 == 2 or i % 23 == 8 else _plain_secret(stored)
    add("aws:secretsmanager/secretVersion:SecretVersion", f"secret-version-{i}", f"{secret_arn}|v{i}",
        {"secretId": secret_arn, "secretString": secret_string},
        {"arn": secret_arn, "versionId": f"v{i}", "versionStages": ["AWSCURRENT"]},
        {"secretId": [secret]} if i % 23 == 8 else {"secretId": [secret], "secretString": [api_key]})
    role = add("aws:iam/role:Role", f"role-{i}", f"{svc}-role",
               {"name": f"{svc}-role", "assumeRolePolicy": trust, "tags": tags},
               {"arn": role_arn, "uniqueId": f"AROA{i:017d}", "maxSessionDuration": 3600, "tagsAll": tags})
    read = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        "Resource": secret_arn}, {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": key_arn}]})
    add("aws:iam/rolePolicy:RolePolicy", f"read-secret-{i}", f"{svc}-role:read-secret",
        {"role": f"{svc}-role", "name": "read-secret", "policy": read}, {}, {"role": [role]})
    logs = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"] if i % 13 else "logs:*",
        "Resource": f"arn:aws:logs:{_REGION}:{acct}:log-group:/aws/lambda/{svc}-*"}]})
    managed = add("aws:iam/policy:Policy", f"logs-policy-{i}", policy_arn,
                  {"name": f"{svc}-logs", "policy": logs, "path": "/"},
                  {"arn": policy_arn, "policyId": f"ANPA{i:017d}", "attachmentCount": 1})
    add("aws:iam/rolePolicyAttachment:RolePolicyAttachment", f"logs-attach-{i}", f"{svc}-role-{i:08d}",
        {"role": f"{svc}-role", "policyArn": policy_arn}, {}, {"role": [role], "policyArn": [managed]})
    env = {"SECRET_ARN": secret_arn, "LOG_LEVEL": "INFO", "MODEL": "gpt-x"}
    if i % 17 == 5:
        env["API_KEY"] = value  # the leak lambda-environment-no-secrets is for
    rotator = add("aws:lambda/function:Function", f"rotator-{i}", rot_fn,
                  {"name": rot_fn, "runtime": "python3.12", "handler": "handler.handler", "role": role_arn,
                   "timeout": 30, "memorySize": 256, "environment": {"variables": {"LOG_LEVEL": "INFO"}},
                   "tags": tags},
                  {"arn": rot_arn, "qualifiedArn": f"{rot_arn}:$LATEST", "invokeArn": f"{rot_arn}/invocations",
                   "version": "$LATEST", "lastModified": _STAMP, "tagsAll": tags}, {"role": [role]})
    add("aws:lambda/function:Function", f"handler-{i}", handler_fn,
        {"name": handler_fn, "runtime": "python3.12", "handler": "app.handler", "role": role_arn,
         "timeout": 30, "memorySize": 512, "environment": {"variables": env}, "tags": tags},
        {"arn": handler_arn, "qualifiedArn": f"{handler_arn}:$LATEST", "invokeArn": f"{handler_arn}/invocations",
         "version": "$LATEST", "lastModified": _STAMP, "tagsAll": tags}, {"role": [role]})
    if i % 7 != 3:  # some rotation functions lack the permission
        add("aws:lambda/permission:Permission", f"allow-sm-{i}", f"allow-sm-{i}",
            {"action": "lambda:InvokeFunction", "function": rot_fn, "principal": "secretsmanager.amazonaws.com",
             "sourceArn": secret_arn, "statementId": f"allow-sm-{i}"}, {},
            {"function": [rotator], "sourceArn": [secret]})
    if i % 5 != 4:  # some secrets are never rotated
        add("aws:secretsmanager/secretRotation:SecretRotation", f"rotation-{i}", secret_arn,
            {"secretId": secret_arn, "rotationLambdaArn": rot_arn, "rotationRules": {"automaticallyAfterDays": 30}},
            {"rotationEnabled": True}, {"secretId": [secret], "rotationLambdaArn": [rotator]})
    plan = add("aws:apigateway/usagePlan:UsagePlan", f"plan-{i}", plan_id,
               {"name": f"{svc}-plan", "throttleSettings": {"burstLimit": 20, "rateLimit": 10},
                "quotaSettings": {"limit": 10000, "period": "MONTH"} if i % 11 else None},
               {"arn": f"arn:aws:apigateway:{_REGION}::/usageplans/{plan_id}"})
    if i % 6 != 1:  # some keys are in no plan
        add("aws:apigateway/usagePlanKey:UsagePlanKey", f"plan-key-{i}", f"pk{i:09d}",
            {"keyId": api_key_id, "keyType": "API_KEY", "usagePlanId": plan_id},
            {"name": f"{svc}-key", "value": _plain_secret(value)}, {"keyId": [api_key], "usagePlanId": [plan]})
    add("aws:ssm/parameter:Parameter", f"param-{i}", f"/{svc}/secret-arn",
        {"name": f"/{svc}/secret-arn", "type": "String", "value": secret_arn}, {"arn": f"arn:aws:ssm:{_REGION}:{acct}:parameter/{svc}/secret-arn", "version": 1})
    if i % 19 == 7:  # an API key in a plain String parameter
        add("aws:ssm/parameter:Parameter", f"param-key-{i}", f"/{svc}/api-key",
            {"name": f"/{svc}/api-key", "type": "String", "value": value}, {"version": 1})
    add("aws:s3/bucket:Bucket", f"artifacts-{i}", f"{svc}-artifacts",
        {"bucket": f"{svc}-artifacts", "forceDestroy": False, "tags": tags,
         "serverSideEncryptionConfiguration": {"rule": {"applyServerSideEncryptionByDefault": {
             "sseAlgorithm": "aws:kms", "kmsMasterKeyId": key_arn}}}},
        {"arn": f"arn:aws:s3:::{svc}-artifacts", "bucketDomainName": f"{svc}-artifacts.s3.amazonaws.com",
         "tagsAll": tags}, {"serverSideEncryptionConfiguration": [key]})
    for fn in (rot_fn, handler_fn):
        add("aws:cloudwatch/logGroup:LogGroup", f"logs-{fn}", f"/aws/lambda/{fn}",
            {"name": f"/aws/lambda/{fn}", "retentionInDays": 30, "tags": tags},
            {"arn": f"arn:aws:logs:{_REGION}:{acct}:log-group:/aws/lambda/{fn}", "tagsAll": tags})
    return out


def export(n: int) -> dict:
    """A `pulumi stack export` (version 3) of about `n` resources: the root Stack, the
    provider, and whole services of the realistic mix until `n` is reached."""
    resources: List[dict] = []
    i = 0
    while len(resources) < n - 2:
        resources.extend(_service(i))
        i += 1
    resources = resources[:max(n - 2, 0)]
    outputs = {"region": _REGION,
               "secretArns": [r["outputs"]["arn"] for r in resources[:60]
                              if r["type"] == "aws:secretsmanager/secret:Secret"],
               "dashboardUrl": f"https://console.aws.amazon.com/cloudwatch/home?region={_REGION}",
               "debugKey": _plain_secret(_key_value(0))}
    root = {"urn": _ROOT_URN, "custom": False, "type": "pulumi:pulumi:Stack", "outputs": outputs,
            "created": _STAMP, "modified": _STAMP}
    provider = {"urn": _PROVIDER_URN, "custom": True, "id": _PROVIDER_ID, "type": "pulumi:providers:aws",
                "inputs": {"region": _REGION, "version": "7.0.0"}, "outputs": {"region": _REGION, "version": "7.0.0"},
                "created": _STAMP, "modified": _STAMP}
    return {"version": 3, "deployment": {
        "manifest": {"time": _STAMP, "magic": "0" * 64, "version": "v3.272.0"},
        "secrets_providers": {"type": "passphrase", "state": {"salt": "v1:c2FsdA==:v1:YWJj:ZGVm"}},
        "resources": [root, provider, *resources]}}


def write_export(n: int, path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(export(n), fh)


def _engine_value(value):
    """An export's stored value as the engine hands it to AnalyzeStack: secrets decrypted."""
    if isinstance(value, dict):
        if value.get(_SIG) == _SECRET:
            if "plaintext" in value:
                return Secret(_engine_value(json.loads(value["plaintext"])))
            return Secret("decrypted-" + value.get("ciphertext", "")[-12:])
        return {k: _engine_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_engine_value(v) for v in value]
    return value


def stack_from_export(n: int) -> List[Res]:
    """The resources of `export(n)` as AnalyzeStack receives them after an update: outputs,
    parent, dependencies and property dependencies (providers left out)."""
    out: List[Res] = []
    for r in export(n)["deployment"]["resources"]:
        if r["type"].startswith("pulumi:providers:"):
            continue
        out.append(Res(r["type"], r["urn"].rsplit("::", 1)[-1], _engine_value(r.get("outputs") or {}),
                       urn=r["urn"], parent=r.get("parent", ""), dependencies=tuple(r.get("dependencies", ())),
                       property_dependencies=dict(r.get("propertyDependencies") or {})))
    return out


# ---------------------------------------------------------------------------
# The Analyze request mix of issue 23: what a preview of an AI service's stack sends, spread evenly
# over the types keyguard judges, with their inputs as the engine hands them over.

_RESTAPI = "aws:apigateway/restApi:RestApi"
_DEPLOYMENT = "aws:apigateway/deployment:Deployment"
_STAGE = "aws:apigateway/stage:Stage"


def _identity_doc(i: int) -> str:
    """A policy a service's role really carries: named actions, prefix wildcards, a condition,
    and now and then a service wildcard or an unscoped write (the findings rules are for)."""
    acct, region = _ACCOUNT, _REGION
    statements = [
        {"Sid": "ReadOwnSecret", "Effect": "Allow",
         "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
         "Resource": f"arn:aws:secretsmanager:{region}:{acct}:secret:svc{i}-*"},
        {"Sid": "DecryptWithKey", "Effect": "Allow", "Action": "kms:Decrypt",
         "Resource": f"arn:aws:kms:{region}:{acct}:key/*",
         "Condition": {"StringEquals": {"kms:ViaService": f"secretsmanager.{region}.amazonaws.com"}}},
        {"Sid": "Logs", "Effect": "Allow", "Action": ["logs:Create*", "logs:Put*"],
         "Resource": f"arn:aws:logs:{region}:{acct}:log-group:/aws/lambda/svc{i}-*"},
        {"Sid": "Describe", "Effect": "Allow", "Action": ["ec2:Describe*", "cloudwatch:Get*"], "Resource": "*"},
    ]
    if i % 4 == 1:
        statements.append({"Sid": "Artifacts", "Effect": "Allow", "Action": "s3:*",
                           "Resource": [f"arn:aws:s3:::svc{i}-artifacts", f"arn:aws:s3:::svc{i}-artifacts/*"]})
    if i % 4 == 2:
        statements.append({"Sid": "Deploy", "Effect": "Allow",
                           "Action": ["lambda:Update*", "iam:PassRole", "dynamodb:*Item"], "Resource": "*"})
    if i % 4 == 3:
        statements.append({"Sid": "NoIam", "Effect": "Deny", "Action": "iam:*", "Resource": "*",
                           "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}})
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def _preview_value(value):
    """An export's stored input as Analyze receives it during preview: secrets decrypted."""
    return _engine_value(value)


def _apigateway(i: int) -> List[Res]:
    api = Res(_RESTAPI, f"api-{i}", {"name": f"svc{i}-api", "description": "inference", "tags": {"svc": str(i)},
                                     "endpointConfiguration": {"types": "REGIONAL"}})
    dep = Res(_DEPLOYMENT, f"deployment-{i}", {"restApi": Unknown(), "triggers": {"redeploy": f"{i:08x}"}})
    stage = Res(_STAGE, f"stage-{i}", {"restApi": Unknown(), "deployment": Unknown(), "stageName": "prod",
                                       "variables": {"backend": f"svc{i}.internal", "logLevel": "INFO"}})
    return [api, dep, stage]


def analyze_mix(n: int = 3000) -> List[Res]:
    """`n` Analyze requests spread evenly over ApiKey, Bucket, Function, Key (with its key policy),
    LogGroup, Parameter, Permission, Policy, Role (with its trust policy), RolePolicy (a real
    document with wildcards and conditions), Secret, SecretRotation, SecretVersion, UsagePlan and
    UsagePlanKey, plus a few RestApi, Deployment and Stage: the types keyguard judges, as their
    inputs arrive during a preview. Every resource of a type is a different service's."""
    per_type: dict = {}
    i = 0
    wanted = 15
    while len(per_type) < wanted or min(len(v) for v in per_type.values()) * wanted < n:
        for r in _service(i):
            if r["type"] == "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
                continue
            props = _preview_value(r["inputs"])
            if r["type"] == "aws:iam/rolePolicy:RolePolicy":
                props = {**props, "policy": _identity_doc(i)}
            per_type.setdefault(r["type"], []).append(Res(r["type"], r["urn"].rsplit("::", 1)[-1], props,
                                                          urn=r["urn"]))
        i += 1
    extras = [r for k in range(max(1, n // 150)) for r in _apigateway(k)]
    out: List[Res] = list(extras)
    lists = [per_type[t] for t in sorted(per_type)]
    k = 0
    while len(out) < n:
        for lst in lists:
            if len(out) < n and k < len(lst):
                out.append(lst[k])
        k += 1
    # Interleave so that consecutive requests differ in type, as the engine's walk of a program does.
    return sorted(out, key=lambda r: zlib.crc32(r.urn.encode()))
