"""A realistic request mix: what an AI service's stack sends the pack during a preview.

Most resources of a real stack are of types no keyguard rule looks at (buckets,
functions, log groups, networking), a few carry IAM documents, keys or secrets,
and during preview some values are unknown. Sizes are kept close to what
pulumi-aws sends (tags, defaults the provider's Check fills in).
"""
from __future__ import annotations

import json
from typing import List

from engine_harness import Res, Secret, Unknown

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
    out.extend(filler[: max(0, n - len(out))])
    root = Res("pulumi:pulumi:Stack", "inference-prod", {"region": "us-east-1"})
    return [root, *out]
