"""Generated fake keys of every AI-stack format, the places AI deployments put them, and the
values that must stay clean there (issue 20 §3). tests/secrets/test_ai_corpus.py asserts the
detection rates; `python -m tests.secrets.ai_corpus` prints them as docs/secrets.md shows them.

Every key is random text of the format's published shape (prefix, length, alphabet, fixed
tail): none was ever issued. The seed is fixed, so the corpus is the same on every run.
"""
from __future__ import annotations

import base64
import json
import random
import re
import string
from dataclasses import dataclass
from typing import Callable, List, Sequence, Set, Tuple

from policypack.evaluate import evaluate
from policypack.model import STACK_TYPE, Resource, Status
from policypack.registry import BY_NAME
from policypack.tokens.aws import ECS_TASK_DEFINITION, FUNCTION
from policypack.tokens.aws_ai import SAGEMAKER_MODEL
from policypack.tokens.common import STACK_CONFIG

ALNUM = string.ascii_letters + string.digits
B64URL = ALNUM + "_-"
HEX = "0123456789abcdef"
LOWER = string.ascii_lowercase + string.digits
UPPER = string.ascii_uppercase + string.digits
PER_FORMAT = 25


@dataclass(frozen=True)
class Format:
    name: str
    make: Callable[[random.Random], str]
    env_name: str  # the credential-like name users give it
    prefixed: bool = True  # False: only a credential-like name can reveal it


def _r(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _uuid(rng: random.Random) -> str:
    h = _r(rng, HEX, 32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


FORMATS: Tuple[Format, ...] = (
    Format("OpenAI project key", lambda g: f"sk-proj-{_r(g, B64URL, 74)}T3BlbkFJ{_r(g, B64URL, 74)}", "OPENAI_API_KEY"),
    Format("OpenAI service-account key", lambda g: f"sk-svcacct-{_r(g, B64URL, 58)}T3BlbkFJ{_r(g, B64URL, 58)}",
           "OPENAI_API_KEY"),
    Format("OpenAI admin key", lambda g: f"sk-admin-{_r(g, B64URL, 58)}T3BlbkFJ{_r(g, B64URL, 58)}", "OPENAI_ADMIN_KEY"),
    Format("OpenAI legacy key", lambda g: f"sk-{_r(g, ALNUM, 20)}T3BlbkFJ{_r(g, ALNUM, 20)}", "OPENAI_API_KEY"),
    Format("Anthropic API key", lambda g: f"sk-ant-api03-{_r(g, B64URL, 93)}AA", "ANTHROPIC_API_KEY"),
    Format("Anthropic admin key", lambda g: f"sk-ant-admin01-{_r(g, B64URL, 93)}AA", "ANTHROPIC_ADMIN_KEY"),
    Format("Hugging Face token", lambda g: f"hf_{_r(g, ALNUM, 34)}", "HF_TOKEN"),
    Format("Hugging Face org token", lambda g: f"api_org_{_r(g, ALNUM, 34)}", "HUGGINGFACE_ORG_TOKEN"),
    Format("Google AI / Gemini key", lambda g: f"AIza{_r(g, B64URL, 35)}", "GEMINI_API_KEY"),
    Format("Groq key", lambda g: f"gsk_{_r(g, ALNUM, 52)}", "GROQ_API_KEY"),
    Format("Replicate token", lambda g: f"r8_{_r(g, B64URL, 37)}", "REPLICATE_API_TOKEN"),
    Format("Perplexity key", lambda g: f"pplx-{_r(g, ALNUM, 48)}", "PERPLEXITY_API_KEY"),
    Format("xAI key", lambda g: f"xai-{_r(g, ALNUM + '_', 80)}", "XAI_API_KEY"),
    Format("LangSmith key", lambda g: f"lsv2_{g.choice(['pt', 'sk'])}_{_r(g, HEX, 32)}_{_r(g, HEX, 10)}",
           "LANGSMITH_API_KEY"),
    Format("Pinecone key", lambda g: f"pcsk_{_r(g, ALNUM, 5)}_{_r(g, ALNUM, 63)}", "PINECONE_API_KEY"),
    Format("OpenRouter key", lambda g: f"sk-or-v1-{_r(g, HEX, 64)}", "OPENROUTER_API_KEY"),
    Format("Langfuse secret key", lambda g: f"sk-lf-{_uuid(g)}", "LANGFUSE_SECRET_KEY"),
    Format("PostHog personal key", lambda g: f"phx_{_r(g, ALNUM, 43)}", "POSTHOG_PERSONAL_API_KEY"),
    Format("Supabase access token", lambda g: f"sbp_{_r(g, LOWER, 40)}", "SUPABASE_ACCESS_TOKEN"),
    Format("Sentry user token", lambda g: f"sntryu_{_r(g, HEX, 64)}", "SENTRY_AUTH_TOKEN"),
    Format("New Relic user key", lambda g: f"NRAK-{_r(g, UPPER, 27)}", "NEW_RELIC_API_KEY"),
    # No prefix: a credential-like name, and the entropy rule (or the vendor's name for hex keys).
    Format("Cohere key", lambda g: _r(g, ALNUM, 40), "COHERE_API_KEY", prefixed=False),
    Format("Mistral key", lambda g: _r(g, ALNUM, 32), "MISTRAL_API_KEY", prefixed=False),
    Format("DeepSeek key", lambda g: f"sk-{_r(g, LOWER, 32)}", "DEEPSEEK_API_KEY", prefixed=False),
    Format("Together AI key (64 hex)", lambda g: _r(g, HEX, 64), "TOGETHER_API_KEY", prefixed=False),
    Format("Weights & Biases key (40 hex)", lambda g: _r(g, HEX, 40), "WANDB_API_KEY", prefixed=False),
    Format("Datadog API key (32 hex)", lambda g: _r(g, HEX, 32), "DD_API_KEY", prefixed=False),
    # A UUID: the same shape as every resource id, so no value rule can tell it (documented miss).
    Format("Pinecone legacy key (UUID)", _uuid, "PINECONE_API_KEY", prefixed=False),
)

NEUTRAL = "UPSTREAM"

# Values an AI stack holds that are not secrets, under the names they are given.
NEGATIVES: Tuple[Tuple[str, str], ...] = (
    ("SECRET_ARN", "arn:aws:secretsmanager:us-east-1:111122223333:secret:openai-key-AbCdEf"),
    ("ROLE_ARN", "arn:aws:iam::111122223333:role/sagemaker-execution"),
    ("KMS_KEY_ARN", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    ("REQUEST_ID", "123e4567-e89b-12d3-a456-426614174000"),
    ("GIT_SHA", "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"),
    ("IMAGE_DIGEST", "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
    ("IMAGE", "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.3-tgi2.2-gpu-py310"),
    ("BEDROCK_MODEL_ID", "anthropic.claude-3-5-sonnet-20240620-v1:0"),
    ("BEDROCK_MODEL_ARN", "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0"),
    ("OPENAI_MODEL", "gpt-4o-mini"),
    ("HF_MODEL_ID", "meta-llama/Llama-3.1-8B-Instruct"),
    ("EMBEDDING_MODEL", "text-embedding-3-large"),
    ("MODEL_DATA_URL", "s3://ml-artifacts-111122223333/models/llama-3-8b/model.tar.gz"),
    ("PROMPT_CONFIG", base64.b64encode(json.dumps({"temperature": 0.2, "max_tokens": 512}).encode()).decode()),
    ("SYSTEM_PROMPT", "You are a helpful assistant that answers questions about our product catalogue."),
    ("OPENAI_BASE_URL", "https://api.openai.com/v1"),
    ("PINECONE_INDEX_NAME", "product-embeddings-prod"),
    ("PINECONE_ENVIRONMENT", "us-east-1-aws"),
    ("LANGFUSE_PUBLIC_KEY", "pk-lf-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"),
    ("LANGCHAIN_PROJECT", "support-bot-prod"),
    ("SM_NUM_GPUS", "4"),
    ("MAX_INPUT_LENGTH", "4096"),
    ("security_group_name", "demo-security-group-fs0ntz3"),
    ("number_of_natgateways", "1"),
    ("private_subnets_ids", "subnet-0123a4b5c6d7e8f90"),
    ("vpc_name", "vpc-0a3f9c2e7b1d45e68"),
    ("OPENAI_API_KEY_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:111122223333:secret:openai-AbCdEf"),
    ("HF_TOKEN_SECRET_NAME", "prod/hf-token"),
)

# -- the places ---------------------------------------------------------------------------

Place = Tuple[str, str, Callable[[List[Tuple[str, str]]], List[Resource]], Callable[[object], str]]


def _urn(rtype: str, name: str) -> str:
    return f"urn:pulumi:dev::ai::{rtype}::{name}"


def _one_per_resource(rtype: str, props_of: Callable[[str, str], dict]) -> Callable[[List[Tuple[str, str]]], List[Resource]]:
    def build(items: List[Tuple[str, str]]) -> List[Resource]:
        return [Resource(rtype, f"r{i}", _urn(rtype, f"r{i}"), props_of(n, v)) for i, (n, v) in enumerate(items)]
    return build


def _by_resource(result: object) -> str:
    return getattr(result, "urn").rsplit("::", 1)[-1]


def _item_of_path(result: object) -> str:
    return str(getattr(result, "path")).split(".", 1)[0].rsplit(":", 1)[-1]


PLACES: Tuple[Place, ...] = (
    ("Lambda env", "lambda-environment-no-secrets",
     _one_per_resource(FUNCTION, lambda n, v: {"environment": {"variables": {n: v}}}), _by_resource),
    ("ECS env", "ecs-task-definition-environment-no-secrets",
     _one_per_resource(ECS_TASK_DEFINITION, lambda n, v: {"family": "app", "containerDefinitions": json.dumps(
         [{"name": "app", "image": "app:1", "environment": [{"name": n, "value": v}]}])}), _by_resource),
    ("SageMaker env", "sagemaker-model-environment-no-secrets",
     _one_per_resource(SAGEMAKER_MODEL, lambda n, v: {"primaryContainer": {"image": "app:1", "environment": {n: v}}}),
     _by_resource),
    ("stack config", "stack-config-no-plaintext-secrets",
     lambda items: [Resource(STACK_CONFIG, "Pulumi.dev.yaml", _urn(STACK_CONFIG, "Pulumi.dev.yaml"),
                             {"config": {f"ai:item{i}": {n: v} for i, (n, v) in enumerate(items)}, "secretKeys": []})],
     _item_of_path),
    ("stack exports", "stack-exports-no-secrets",
     lambda items: [Resource(STACK_TYPE, "ai-dev", _urn(STACK_TYPE, "ai-dev"),
                             {f"item{i}": {n: v} for i, (n, v) in enumerate(items)})],
     _item_of_path),
)


def _flagged(place: Place, items: List[Tuple[str, str]]) -> Set[int]:
    """Indexes of the items the place's policy fails."""
    _, policy, build, item_of = place
    # Items are named r<i> (a resource each) or item<i> (a config key or an export each).
    return {int(re.sub(r"^\D+", "", item_of(r))) for r in evaluate(build(items), [BY_NAME[policy]])
            if r.status is Status.FAIL}


def keys(fmt: Format, seed: int = 20) -> List[str]:
    rng = random.Random(f"{fmt.name}/{seed}")
    return [fmt.make(rng) for _ in range(PER_FORMAT)]


NAMINGS = ("vendor", "generic", "neutral")
GENERIC = "API_KEY"


def detection(fmt: Format, place: Place, naming: str) -> float:
    """The share of the format's keys the place's policy fails, under the name users give it
    (`vendor`: OPENAI_API_KEY), a credential-like name that names no vendor (`generic`:
    API_KEY) or a neutral one (UPSTREAM)."""
    name = {"vendor": fmt.env_name, "generic": GENERIC, "neutral": NEUTRAL}[naming]
    found = _flagged(place, [(name, k) for k in keys(fmt)])
    return len(found) / PER_FORMAT


def negatives_flagged(place: Place) -> List[str]:
    """The negative corpus's names that the place's policy fails (must be none)."""
    items = list(NEGATIVES)
    return sorted(items[i][0] for i in _flagged(place, items))


def table(places: Sequence[Place] = PLACES) -> str:
    head = "| format | " + " | ".join(p[0] for p in places) + " |"
    lines = [head, "|---|" + "---|" * len(places)]
    for fmt in FORMATS:
        cells = [" / ".join(f"{detection(fmt, p, n):.0%}" for n in NAMINGS) for p in places]
        lines.append(f"| {fmt.name} | " + " | ".join(cells) + " |")
    clean = ["clean" if not negatives_flagged(p) else ", ".join(negatives_flagged(p)) for p in places]
    lines.append(f"| negative corpus ({len(NEGATIVES)} values) | " + " | ".join(clean) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(f"Detection rate per format and place, under the vendor's variable name / {GENERIC} / {NEUTRAL} "
          f"({PER_FORMAT} generated keys per format):\n")
    print(table())
