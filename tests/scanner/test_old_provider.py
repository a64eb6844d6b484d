"""Programs written for an older provider major (issue 20 §5): about 30 of 121 public Python
programs fail under keyguard's mocks only because they call what pulumi-aws 7 removed. The
error says so, with the SDK version the program ran with, instead of a bare TypeError."""
from __future__ import annotations

import importlib.metadata
import textwrap
from pathlib import Path

import pytest

from policypack.inputs import InputError
from policypack.inputs.program import ProgramOptions, run

AWS = importlib.metadata.version("pulumi-aws")

OLD_IDIOMS = [
    ("Provider(assume_role=...)", 'aws.Provider("p", assume_role={"role_arn": "arn:aws:iam::111122223333:role/x"})',
     "TypeError: Provider._internal_init() got an unexpected keyword argument 'assume_role'"),
    ("Eip(vpc=True)", 'aws.ec2.Eip("nat", vpc=True)',
     "TypeError: Eip._internal_init() got an unexpected keyword argument 'vpc'"),
    ("ec2.get_subnet_ids", 'aws.ec2.get_subnet_ids(vpc_id="vpc-0a1b2c3d")',
     "AttributeError: module 'pulumi_aws.ec2' has no attribute 'get_subnet_ids'"),
    # tusharshahrs/pulumi-home aws-classic-py-apigateway-lambda-serverless, written for pulumi-aws 4.
    ("Deployment.execution_arn", 'aws.apigateway.Deployment("d", rest_api="api-1").execution_arn',
     "AttributeError: 'Deployment' object has no attribute 'execution_arn'"),
]


def _program(tmp_path: Path, body: str) -> Path:
    (tmp_path / "Pulumi.yaml").write_text("name: old\nruntime:\n  name: python\n")
    (tmp_path / "__main__.py").write_text(textwrap.dedent(f"import pulumi_aws as aws\n{body}\n"))
    return tmp_path


@pytest.mark.parametrize("label,body,error", OLD_IDIOMS, ids=[i[0] for i in OLD_IDIOMS])
def test_an_older_major_is_named_with_the_installed_version(tmp_path, label, body, error):
    with pytest.raises(InputError) as info:
        run(str(_program(tmp_path, body)), ProgramOptions())
    text = str(info.value)
    assert "\n" not in text and "Traceback" not in text
    assert f"at __main__.py:2: {error}; it ran with pulumi-aws {AWS}, which lacks that argument or attribute" in text
    assert text.endswith("the program may be written for another major version of it and need its own pinned "
                         "environment (--install, or a virtualenv named in Pulumi.yaml)")


def test_an_ordinary_attribute_error_gets_no_sdk_hint(tmp_path):
    with pytest.raises(InputError) as info:
        run(str(_program(tmp_path, "x = {}.missing")), ProgramOptions())
    assert str(info.value).endswith("AttributeError: 'dict' object has no attribute 'missing'")
