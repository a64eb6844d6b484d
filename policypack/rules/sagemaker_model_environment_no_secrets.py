"""sagemaker-model-environment-no-secrets: SageMaker model containers carry no secrets in their environment."""
from __future__ import annotations

from typing import Any, Dict, Iterable, Mapping

from ..examples import API_KEY_VALUE, SECRET_ARN, Example, R
from ..model import UNKNOWN, Outcome, Stack, passed
from ..secrets import stack_secrets
from ..secrets.index import SCAN_LIMIT_SCHEMA
from ..secrets.judging import judge_value
from ..tokens.aws import API_KEY, SECRET
from ..tokens.aws_ai import SAGEMAKER_MODEL
from .base import Rule

ADVICE = ("put it in Secrets Manager, pass the secret's ARN instead and read it in the container with the "
          "execution role")
_HF_TOKEN = "hf_" + "QxTvLmRpWzKsNbYdFgHjCeVaUoIiPlMnBq"  # a made-up token of Hugging Face's shape
_IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.3-tgi2.2-gpu-py310"


def _environments(model_props: Mapping[str, Any]) -> Dict[str, Any]:
    """Each container's environment by its property path: primaryContainer and containers[i]."""
    out: Dict[str, Any] = {}
    primary = model_props.get("primaryContainer")
    if primary is UNKNOWN:
        out["primaryContainer"] = UNKNOWN
    elif isinstance(primary, Mapping) and "environment" in primary:
        out["primaryContainer.environment"] = primary.get("environment")
    containers = model_props.get("containers")
    if containers is UNKNOWN:
        out["containers"] = UNKNOWN
    elif isinstance(containers, list):
        for i, c in enumerate(containers):
            if c is UNKNOWN:
                out[f"containers[{i}]"] = UNKNOWN
            elif isinstance(c, Mapping) and "environment" in c:
                out[f"containers[{i}].environment"] = c.get("environment")
    return out


def check_model_environment(stack: Stack, config: Mapping[str, Any]) -> Iterable[Outcome]:
    index = stack_secrets(stack)
    for model in stack.of_type(SAGEMAKER_MODEL):
        envs = _environments(model.props)
        if not envs:
            yield passed(urn=model.urn, path="primaryContainer.environment")
        for path, env in envs.items():
            prop = path.split(".", 1)[0].split("[", 1)[0]
            yield from judge_value(stack, index, model, prop, env, path, "container environment variable",
                                   ADVICE, config)


def _model(name: str = "llm", primary: Any = None, containers: Any = None, **kw: Any) -> R:
    props: Dict[str, Any] = {"executionRoleArn": "arn:aws:iam::111122223333:role/sagemaker-exec"}
    if primary is not None:
        props["primaryContainer"] = primary if primary is UNKNOWN else {"image": _IMAGE, "environment": primary}
    if containers is not None:
        props["containers"] = containers if containers is UNKNOWN else [
            {"image": _IMAGE, "environment": e} for e in containers]
    return R(SAGEMAKER_MODEL, name, props, **kw)


_TGI = {"HF_MODEL_ID": "meta-llama/Llama-3.1-8B-Instruct", "SM_NUM_GPUS": "1", "MAX_INPUT_LENGTH": "4096"}

RULE = Rule(
    name="sagemaker-model-environment-no-secrets",
    title="SageMaker model containers carry no secrets in their environment",
    description="No aws.sagemaker.Model container environment (primaryContainer.environment and every "
                "containers[].environment) may carry secret material: a Hugging Face or other provider token, "
                "a value of a secret-bearing attribute of the stack, or a random-looking value under a "
                "secret-like name. sagemaker:DescribeModel returns the environment in plaintext to anyone "
                "allowed to call it, and it is kept with the model for its lifetime.",
    severity="critical",
    enforcement="mandatory",
    kind="stack",
    check=check_model_environment,
    config_schema=SCAN_LIMIT_SCHEMA,
    resource_types=frozenset({SAGEMAKER_MODEL}),
    remediation="Store the token in an aws.secretsmanager.Secret, set the container environment to the secret's "
                "ARN (e.g. HF_TOKEN_SECRET_ARN), grant the model's executionRoleArn secretsmanager:GetSecretValue "
                "on it and read it in the container at start-up.",
    url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ContainerDefinition.html",
    controls={"nist-800-53-r5": ["IA-5(7)", "SC-28"], "pci-dss-v4.0.1": ["8.6.2", "8.3.2"], "pci-dss-v4.0": ["8.6.2", "8.3.2"]},
    examples=(
        Example("model id, GPUs and a secret's ARN", [_model(primary={**_TGI, "HF_TOKEN_SECRET_ARN": SECRET_ARN})],
                {"llm": "pass"}),
        Example("a Hugging Face token in the primary container",
                [_model(primary={**_TGI, "HF_TOKEN": _HF_TOKEN})],
                {"llm": "fail:primaryContainer.environment.HF_TOKEN"},
                controls=("nist-800-53-r5:IA-5(7)", "nist-800-53-r5:SC-28", "pci-dss-v4.0.1:8.6.2", "pci-dss-v4.0.1:8.3.2", "pci-dss-v4.0:8.6.2", "pci-dss-v4.0:8.3.2")),
        Example("a Hugging Face token under a neutral name in the second container",
                [_model(containers=[_TGI, {**_TGI, "EXTRA": _HF_TOKEN}])],
                {"llm": ("pass", "fail:containers[1].environment.EXTRA")}),
        Example("the stack's API key in an inference component's environment",
                [_model(primary={"UPSTREAM_KEY_VALUE": API_KEY_VALUE}), R(API_KEY, "key", {"value": API_KEY_VALUE})],
                {"llm": "fail:primaryContainer.environment.UPSTREAM_KEY_VALUE"}),
        Example("no container environment", [_model()], {"llm": "pass"}),
        Example("unknown during preview, computed from a secret-bearing resource",
                [_model(primary={"HF_TOKEN": UNKNOWN},
                        property_dependencies={"primaryContainer": [f"{API_KEY}::key"]}),
                 R(API_KEY, "key", {"value": UNKNOWN})],
                {"llm": "unknown"}),
        Example("unknown during preview, computed only from a secret's ARN",
                [_model(primary={"HF_TOKEN_SECRET_ARN": UNKNOWN},
                        property_dependencies={"primaryContainer": [f"{SECRET}::s"]}),
                 R(SECRET, "s", {"arn": UNKNOWN})],
                {"llm": "pass"}),
        Example("the whole container list unknown during preview", [_model(containers=UNKNOWN)],
                {"llm": "unknown"}),
    ),
)
