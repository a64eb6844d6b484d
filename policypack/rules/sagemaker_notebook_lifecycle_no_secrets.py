"""sagemaker-notebook-lifecycle-no-secrets: notebook start-up scripts carry no secrets."""
from __future__ import annotations

import base64
from typing import Any, Iterable, List, Mapping, Optional, Tuple

from ..examples import API_KEY_VALUE, Example, R
from ..model import UNKNOWN, Outcome, Stack, failed, passed
from ..secrets import find, stack_secrets
from ..secrets.index import SCAN_LIMIT_SCHEMA
from ..secrets.judging import not_examined_outcome, scan_limit, undecided_outcome
from ..secrets.scripts import assignments, decoded_script
from ..tokens.aws import API_KEY
from ..tokens.aws_ai import SAGEMAKER_NOTEBOOK_LIFECYCLE
from .base import Rule

SCRIPTS = ("onCreate", "onStart")
ADVICE = ("fetch it at start-up with `aws secretsmanager get-secret-value` under the notebook's role "
          "instead")
_OPENAI = "sk-" + "Zq8Lr2Vx5Ny1Tb7Wm3Kc" + "T3BlbkFJ" + "Hd4Jf6Gs8Pa0Qe2Rt5Yu"  # made up, of the legacy shape


def _judge_script(stack: Stack, index: Any, res: Any, prop: str, text: str, limit: int) -> Iterable[Outcome]:
    script = decoded_script(text)
    cut: List[Tuple[str, int]] = []
    # Assignments first, so a credential-like variable name counts and the message names it.
    matches, _ = find(assignments(script[:limit]), index, prop, exclude_urn=res.urn, limit=limit)
    if not matches:
        matches, _ = find(script, index, prop, exclude_urn=res.urn, limit=limit, not_examined=cut)
    for m in matches:
        yield failed(f"{res.name}: lifecycle script {m.path} {m.reason}; {ADVICE}", urn=res.urn, path=m.path)
    if not matches:
        yield not_examined_outcome(res, "lifecycle script", cut, limit) if cut else passed(urn=res.urn, path=prop)


def check_lifecycle_scripts(stack: Stack, config: Mapping[str, Any]) -> Iterable[Outcome]:
    index = stack_secrets(stack)
    limit = scan_limit(config)
    for res in stack.of_type(SAGEMAKER_NOTEBOOK_LIFECYCLE):
        present = False
        for prop in SCRIPTS:
            value: Optional[Any] = res.props.get(prop)
            if value is None or value == "":
                continue
            present = True
            if value is UNKNOWN:
                yield undecided_outcome(stack, res, prop, [prop], "lifecycle script")
            elif isinstance(value, str):
                yield from _judge_script(stack, index, res, prop, value, limit)
        if not present:
            yield passed(urn=res.urn, path="onStart")


def _b64(script: str) -> str:
    return base64.b64encode(script.encode()).decode()


def _lc(name: str = "lc", **scripts: Any) -> R:
    kw = {k: v for k, v in scripts.items() if k == "property_dependencies"}
    props = {k: v for k, v in scripts.items() if k != "property_dependencies"}
    return R(SAGEMAKER_NOTEBOOK_LIFECYCLE, name, {"name": f"{name}-config", **props}, **kw)


_FETCH = ("#!/bin/bash\nset -e\n"
          "export OPENAI_API_KEY=$(aws secretsmanager get-secret-value --secret-id openai-key "
          "--query SecretString --output text)\n"
          "sudo -u ec2-user -i pip install openai\n")

RULE = Rule(
    name="sagemaker-notebook-lifecycle-no-secrets",
    title="SageMaker notebook lifecycle scripts carry no secrets",
    description="No aws.sagemaker.NotebookInstanceLifecycleConfiguration script (onCreate, onStart; base64, "
                "decoded before it is judged) may carry secret material: an `export NAME=value` of a "
                "provider key, a value of a secret-bearing attribute of the stack, or a random-looking value "
                "assigned to a secret-like name. sagemaker:DescribeNotebookInstanceLifecycleConfig returns "
                "the script to anyone allowed to call it, and the script's environment reaches every "
                "notebook user.",
    severity="high",
    enforcement="mandatory",
    kind="stack",
    check=check_lifecycle_scripts,
    config_schema=SCAN_LIMIT_SCHEMA,
    resource_types=frozenset({SAGEMAKER_NOTEBOOK_LIFECYCLE}),
    remediation="Store the key in an aws.secretsmanager.Secret, grant the notebook instance's roleArn "
                "secretsmanager:GetSecretValue on it, and have onStart fetch it "
                "(`aws secretsmanager get-secret-value --secret-id ...`) instead of writing it in the script.",
    url="https://docs.aws.amazon.com/sagemaker/latest/dg/notebook-lifecycle-config.html",
    controls={"nist-800-53-r5": ["IA-5(7)", "SC-28"], "pci-dss-v4.0.1": ["8.6.2", "8.3.2"], "pci-dss-v4.0": ["8.6.2", "8.3.2"]},
    examples=(
        Example("the key fetched from Secrets Manager at start-up", [_lc(onStart=_b64(_FETCH))], {"lc": "pass"}),
        Example("an OpenAI key exported in onStart",
                [_lc(onStart=_b64(f"#!/bin/bash\nexport OPENAI_API_KEY={_OPENAI}\n"))],
                {"lc": "fail:onStart.OPENAI_API_KEY"},
                controls=("nist-800-53-r5:IA-5(7)", "nist-800-53-r5:SC-28", "pci-dss-v4.0.1:8.6.2", "pci-dss-v4.0.1:8.3.2", "pci-dss-v4.0:8.6.2", "pci-dss-v4.0:8.3.2")),
        Example("the stack's API key in a curl header in onCreate, a clean onStart",
                [_lc(onCreate=_b64(f'curl -H "x-api-key: {API_KEY_VALUE}" https://api.example.com/warm\n'),
                     onStart=_b64(_FETCH)),
                 R(API_KEY, "key", {"value": API_KEY_VALUE})],
                {"lc": ("fail:onCreate", "pass")}),
        Example("a random token assigned to a secret-like variable",
                [_lc(onStart=_b64("PARTNER_TOKEN='Zq8Lr2Vx5Ny1Tb7Wm3Kc9Hd4'\n"))],
                {"lc": "fail:onStart.PARTNER_TOKEN"}),
        Example("no scripts", [_lc()], {"lc": "pass"}),
        Example("unknown during preview, computed from a secret-bearing resource",
                [_lc(onStart=UNKNOWN, property_dependencies={"onStart": [f"{API_KEY}::key"]}),
                 R(API_KEY, "key", {"value": UNKNOWN})],
                {"lc": "unknown"}),
    ),
)
