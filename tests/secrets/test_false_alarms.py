"""Issue 20 §0: false alarms public programs showed, kept as regressions.

`tusharshahrs/pulumi-home` `aws-classic-py-vpc` exports only ids and names, yet failed
stack-exports-no-secrets: output names of 16 characters or more were judged random and
masked as "<credential-like key>", and the mask's own word "credential" then made the name
secret-like, so a name such as `demo-security-group-fs0ntz3` was judged a secret.
"""
from __future__ import annotations

import random
import string

import pytest

from policypack.evaluate import evaluate
from policypack.model import STACK_TYPE, Resource
from policypack.registry import BY_NAME
from policypack.secrets import looks_random
from policypack.secrets.formats import word_identifier
from policypack.secrets.index import CREDENTIAL_KEY, safe_path

# The program's exports (its export() calls), with values of the shapes AWS gives them.
VPC_EXPORTS = {
    "vpc_name": "vpc-0a3f9c2e7b1d45e68",
    "vpc_cidr_block": "10.0.0.0/16",
    "internet_gateway": "igw-0c7e21f9a4b3d5e60",
    "public_route_table": "rtb-04b8e2a9c1f3d7e65",
    "availabililty_zones": ["us-east-2a", "us-east-2b", "us-east-2c"],
    "security_group_name": "demo-security-group-fs0ntz3",
    "security_group_id": "sg-0f3a9b7c2e1d4a586",
    "public_subnets_ids": ["subnet-0a1b2c3d4e5f60718", "subnet-09f8e7d6c5b4a3921"],
    "private_subnets_ids": ["subnet-0123a4b5c6d7e8f90", "subnet-0fedc8b7a6958473a"],
    "number_of_natgateways": 1,
}

IDENTIFIERS = ["security_group_name", "number_of_natgateways", "private_subnets_ids", "availabililty_zones",
               "vpcCidrBlockAssociation", "numberOfNATGateways", "OPENAI_API_KEY", "ec2InstanceId",
               "ipv6CidrBlock", "s3_bucket_name", "sagemaker_endpoint_name", "HF_MODEL_ID",
               "bucketRegionalDomainName", "kubeconfig-file-path", "cluster.endpoint.url"]


def _exports(outputs):
    return [Resource(STACK_TYPE, "vpc-dev", f"urn:pulumi:dev::vpc::{STACK_TYPE}::vpc-dev", dict(outputs))]


def test_the_vpc_program_exports_pass():
    results = evaluate(_exports(VPC_EXPORTS), [BY_NAME["stack-exports-no-secrets"]])
    assert sorted((r.status.value, r.path) for r in results) == sorted(("pass", k) for k in VPC_EXPORTS)


@pytest.mark.parametrize("name", IDENTIFIERS)
def test_word_identifiers_are_names_not_tokens(name):
    assert word_identifier(name)
    assert not looks_random(name)
    assert safe_path(name) == name  # shown as written, never masked


def test_random_names_are_still_masked_and_never_judged_by_the_mask():
    token = "kG7xP2mQ9vR4tY8wZ1aB3cD5eF6gH0jK"
    assert safe_path(token) == CREDENTIAL_KEY
    # A random-looking output name whose value is an ordinary resource name: the mask says
    # "credential" but the output's own name said nothing, so nothing is secret here.
    results = evaluate(_exports({token: "demo-security-group-fs0ntz3"}), [BY_NAME["stack-exports-no-secrets"]])
    assert [(r.status.value, r.path) for r in results] == [("pass", CREDENTIAL_KEY)]


@pytest.mark.parametrize("length,at_most", [(16, 0.015), (24, 0.004), (32, 0.001)])
def test_random_tokens_rarely_pass_for_names(length, at_most):
    rng = random.Random(20)
    alphabet = string.ascii_letters + string.digits + "_-"
    tokens = ["".join(rng.choice(alphabet) for _ in range(length)) for _ in range(20000)]
    rate = sum(map(word_identifier, tokens)) / len(tokens)
    assert rate <= at_most, rate
