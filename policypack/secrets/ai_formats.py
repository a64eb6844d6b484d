"""Key formats of AI providers and of the vector stores and observability tools AI stacks use.

Each format's shape (prefix, length, alphabet, fixed tail) is taken from a public detector
rule set named beside it: gitleaks `config/gitleaks.toml` (commit b58d3f1, July 2026) and
trufflehog `pkg/detectors/<name>` (commit 3ab759f, August 2026). The patterns are written
here; none is copied. Each is found in linear time: `str.find` locates the literal prefix
and a fixed-length pattern is matched at that spot only, so no pattern ever scans or
backtracks over the rest of the text.

Keys without a prefix (Cohere, Mistral, Together, Weights & Biases, Datadog, Pinecone's
legacy UUIDs) are not formats: any 32 alphanumerics would match. They are caught only under
a credential-like name: by the entropy rule, and by `named_credential` when the name also
names the vendor (a 40-hex W&B key looks like a git commit, a Pinecone key like an id).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Iterator, Optional, Pattern, Tuple

from .shapes import CASE_PARTS, UUID, anchors

_B64URL = "A-Za-z0-9_\\-"


@dataclass(frozen=True)
class KeyFormat:
    """One vendor's published key shape: a literal prefix, then a body pattern."""
    label: str  # what a message says: "looks like <label>"
    prefix: str  # literal start of every key
    body: Pattern[str]  # matched right after the prefix, anchored there
    source: str  # public rule set the shape comes from


def _f(label: str, prefix: str, body: str, source: str) -> KeyFormat:
    # The body must not run on into more key characters: a longer token is another thing.
    return KeyFormat(label, prefix, re.compile(f"(?:{body})(?![A-Za-z0-9])"), source)


# Order matters where one prefix extends another: "sk-ant-", "sk-or-v1-", "sk-proj-" and
# "sk-lf-" are tried before OpenAI's legacy "sk-".
FORMATS: Tuple[KeyFormat, ...] = (
    _f("an Anthropic API key", "sk-ant-api03-", f"[{_B64URL}]{{93}}AA",
       "gitleaks anthropic-api-key; trufflehog anthropic"),
    _f("an Anthropic admin key", "sk-ant-admin01-", f"[{_B64URL}]{{93}}AA",
       "gitleaks anthropic-admin-api-key; trufflehog anthropic"),
    # 74+8+74 and 58+8+58 characters after the prefix; T3BlbkFJ is base64 of "OpenAI".
    *(_f(f"an OpenAI {kind} key", f"sk-{prefix}-",
         f"[{_B64URL}]{{74}}T3BlbkFJ[{_B64URL}]{{74}}|[{_B64URL}]{{58}}T3BlbkFJ[{_B64URL}]{{58}}",
         "gitleaks openai-api-key; trufflehog openai, openaiadmin")
      for prefix, kind in (("proj", "project"), ("svcacct", "service-account"), ("admin", "admin"))),
    _f("an OpenRouter key", "sk-or-v1-", "[0-9a-f]{64}", "trufflehog openrouter"),
    _f("a Langfuse secret key", "sk-lf-", "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
       "trufflehog langfuse (its pk-lf- public key is not a secret)"),
    _f("an OpenAI legacy key", "sk-", "[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}",
       "gitleaks openai-api-key; detect-secrets openai"),
    _f("a Hugging Face token", "hf_", "[A-Za-z0-9]{34}", "gitleaks huggingface-access-token; trufflehog huggingface"),
    _f("a Hugging Face organization token", "api_org_", "[A-Za-z0-9]{34}",
       "gitleaks huggingface-organization-api-token; trufflehog huggingface"),
    _f("a Google API key (Gemini, Google AI)", "AIza", f"[{_B64URL}]{{35}}",
       "gitleaks gcp-api-key; trufflehog googlegemini"),
    _f("a Groq API key", "gsk_", "[A-Za-z0-9]{52}", "trufflehog groq"),
    _f("a Replicate API token", "r8_", f"[{_B64URL}]{{37}}", "trufflehog replicate"),
    _f("a Perplexity API key", "pplx-", "[A-Za-z0-9]{48}", "gitleaks perplexity-api-key"),
    _f("an xAI API key", "xai-", "[A-Za-z0-9_]{80}", "trufflehog xai"),
    _f("a LangSmith API key", "lsv2_", "(?:pt|sk)_[0-9a-f]{32}_[0-9a-f]{10}", "trufflehog langsmith"),
    _f("a Pinecone API key", "pcsk_", "[A-Za-z0-9]{5,6}_[A-Za-z0-9]{63}", "trufflehog pinecone"),
    _f("a PostHog personal API key", "phx_", "[A-Za-z0-9_]{43,48}", "trufflehog posthog"),
    _f("a Supabase access token", "sbp_", "[a-z0-9]{40}", "trufflehog supabasetoken"),
    _f("a Sentry user token", "sntryu_", "[a-f0-9]{64}", "gitleaks sentry-user-token"),
    _f("a New Relic user API key", "NRAK-", "[A-Za-z0-9]{27}", "gitleaks new-relic-user-api-key"),
)

# Not a vendor's: what `keyguard scan DIR` hands a program for a credential it reads from its
# environment (inputs/_mockrun.py env_placeholder): kgenv_<NAME>_<12 hex>. Wherever it lands,
# the program puts that credential.
ENV_PLACEHOLDER = _f("a credential the program reads from its environment (keyguard's placeholder)", "kgenv_",
                     "[A-Za-z0-9_]{1,64}_[0-9a-f]{12}", "keyguard's program runner")

# Prefixes that start with a word character must not continue a longer word ("task-", "mask_").
_WORD = re.compile(r"[A-Za-z0-9]")


def _occurrences(text: str, prefix: str) -> Iterator[int]:
    return (i for i in anchors(text, prefix) if i == 0 or not _WORD.match(text[i - 1]))


def ai_credential_shape(text: str) -> Optional[str]:
    """The AI-stack key format `text` holds anywhere in it, by label, or None."""
    for fmt in (*FORMATS, ENV_PLACEHOLDER):
        for i in _occurrences(text, fmt.prefix):
            if fmt.body.match(text, i + len(fmt.prefix)):
                return fmt.label
    return None


# Vendors whose keys have no prefix. Under a credential-like name that names the vendor
# (`WANDB_API_KEY`, `cohere_api_key`), a value of the vendor's shape is its key, even where
# the entropy rule stands aside: hex that looks like a digest, a UUID that looks like an id,
# or a 32-character key whose letters happen to repeat.
_NAMED: Dict[str, Tuple[Pattern[str], str, str]] = {
    "wandb": (re.compile("[0-9a-f]{40}"), "a Weights & Biases API key", "trufflehog weightsandbiases"),
    "together": (re.compile("[0-9a-f]{64}"), "a Together AI API key",
                 "no public rule; the shape of its legacy keys, 64 hex"),
    "datadog": (re.compile("[0-9a-f]{32}|[0-9a-f]{40}"), "a Datadog API or application key",
                "trufflehog datadogtoken"),
    "dd": (re.compile("[0-9a-f]{32}|[0-9a-f]{40}"), "a Datadog API or application key", "trufflehog datadogtoken"),
    "honeycomb": (re.compile("[0-9a-f]{32}|[0-9A-Za-z]{22}"), "a Honeycomb API key", "trufflehog honeycomb"),
    "sentry": (re.compile("[0-9a-f]{64}"), "a Sentry access token", "gitleaks sentry-access-token"),
    "cohere": (re.compile("[A-Za-z0-9]{40}"), "a Cohere API key", "gitleaks cohere-api-token"),
    "co": (re.compile("[A-Za-z0-9]{40}"), "a Cohere API key", "gitleaks cohere-api-token (CO_API_KEY)"),
    "mistral": (re.compile("[A-Za-z0-9]{32}"), "a Mistral API key",
                "no public rule; the shape of the keys its console issues, 32 letters and digits"),
    "deepseek": (re.compile("sk-[a-z0-9]{32}"), "a DeepSeek API key", "trufflehog deepseek"),
    "pinecone": (UUID, "a Pinecone API key (legacy, a UUID)", "trufflehog pinecone (legacy keys)"),
    "heroku": (UUID, "a Heroku API key", "gitleaks heroku-api-key"),
}


def named_credential(name: str, text: str) -> Optional[str]:
    """A vendor's unprefixed key under a (credential-like) name that names the vendor."""
    t = text.strip()
    if len(t) > 80 or len(set(t)) <= 8:
        return None
    for word in CASE_PARTS.findall(name):
        hit = _NAMED.get(word.lower())
        if hit and hit[0].fullmatch(t):
            return hit[1]
    return None
