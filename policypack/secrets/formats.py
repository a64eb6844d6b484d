"""Well-known credential formats, recognised by detect-secrets' plugins in memory.

detect-secrets is imported on first use: it costs about 0.1 s (it pulls in its
scanning core), which resource-only policy runs never need to pay. Only the
plugins' pure `analyze_string` is called: no file scanning, no baseline, no
settings, and never a plugin's `verify`, which would call the vendor's API.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any, Dict, List, Optional, Tuple

# Shapes that look random but are references or public data, not credentials.
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# SHA-1 (git commits), SHA-256 and SHA-512 digests. 32 hex digits stay suspect: many
# vendors issue API keys of that shape, more often than configs carry bare MD5 sums.
_HEX_DIGEST = re.compile(r"(?:[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})", re.IGNORECASE)
_ARN = re.compile(r"arn:aws[a-zA-Z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:\S+")
_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s]+")
_AWS_KEY_ID = re.compile(r"(?<![A-Z0-9])(?:A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA)[0-9A-Z]{16}(?![A-Z0-9])")
_AWS_SECRET_KEY = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")

# Shorter strings cannot hold any format below; skipping them spares the import.
_MIN_CREDENTIAL = 16


def is_public_shape(text: str) -> bool:
    """An ARN, a UUID, a hex digest, or a URL without credentials in it."""
    t = text.strip()
    if _UUID.fullmatch(t) or _HEX_DIGEST.fullmatch(t) or _ARN.fullmatch(t):
        return True
    if _URL.fullmatch(t):
        return not _url_has_credentials(t)
    return False


def _url_has_credentials(url: str) -> bool:
    from urllib.parse import parse_qsl, urlsplit

    from .catalogue import secret_like_name

    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.password:
        return True
    return any(secret_like_name(k) and v for k, v in parse_qsl(parts.query))


@lru_cache(maxsize=1)
def _plugins() -> Tuple[Any, ...]:
    # Each plugin is one vendor's documented token format; keyword- and entropy-only
    # plugins are left out (noisy on configuration values), as is Artifactory's
    # (its "AP" pattern matches ordinary upper-case words).
    from detect_secrets.plugins.azure_storage_key import AzureStorageKeyDetector
    from detect_secrets.plugins.basic_auth import BasicAuthDetector
    from detect_secrets.plugins.discord import DiscordBotTokenDetector
    from detect_secrets.plugins.github_token import GitHubTokenDetector
    from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
    from detect_secrets.plugins.jwt import JwtTokenDetector
    from detect_secrets.plugins.mailchimp import MailchimpDetector
    from detect_secrets.plugins.npm import NpmDetector
    from detect_secrets.plugins.openai import OpenAIDetector
    from detect_secrets.plugins.private_key import PrivateKeyDetector
    from detect_secrets.plugins.pypi_token import PypiTokenDetector
    from detect_secrets.plugins.sendgrid import SendGridDetector
    from detect_secrets.plugins.slack import SlackDetector
    from detect_secrets.plugins.square_oauth import SquareOAuthDetector
    from detect_secrets.plugins.stripe import StripeDetector
    from detect_secrets.plugins.telegram_token import TelegramBotTokenDetector
    from detect_secrets.plugins.twilio import TwilioKeyDetector

    classes = (PrivateKeyDetector, GitHubTokenDetector, GitLabTokenDetector, SlackDetector, StripeDetector,
               JwtTokenDetector, OpenAIDetector, SendGridDetector, TwilioKeyDetector, NpmDetector,
               PypiTokenDetector, DiscordBotTokenDetector, MailchimpDetector, AzureStorageKeyDetector,
               SquareOAuthDetector, TelegramBotTokenDetector, BasicAuthDetector)
    return tuple(c() for c in classes)


def credential_shape(text: str) -> Optional[str]:
    """Name the well-known credential format `text` holds, if any ("a GitHub Token")."""
    if len(text) < _MIN_CREDENTIAL:
        return None
    if _AWS_KEY_ID.search(text) and any(not _HEX_DIGEST.fullmatch(m) for m in _AWS_SECRET_KEY.findall(text)):
        return "an AWS access key pair"
    for plugin in _plugins():
        for found in plugin.analyze_string(text):
            if found and not is_public_shape(found):
                return f"a {plugin.secret_type}"
    return None


def shannon_entropy(text: str) -> float:
    if not text:
        return 0.0
    counts: Dict[str, int] = {}
    for ch in text:
        counts[ch] = counts.get(ch, 0) + 1
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


_TOKEN_CHARS = re.compile(r"[A-Za-z0-9+/=_\-.~!@#$%^&*]+")
_MIN_ENTROPY_LEN = 16
_ENTROPY_LIMIT = 4.5  # detect-secrets' default for base64-like strings
_HEX_ENTROPY_LIMIT = 3.0  # and for hex strings
_HEX = re.compile(r"[0-9a-fA-F]+")


def looks_random(text: str) -> bool:
    """A token-like string whose entropy is close to the most its length allows.

    A string of n characters has at most log2(n) bits of entropy per character,
    so detect-secrets' fixed 4.5 cannot be reached below 23 characters; the
    bound scales down with length to keep 16- to 32-character keys in reach.
    """
    t = text.strip()
    if len(t) < _MIN_ENTROPY_LEN or not _TOKEN_CHARS.fullmatch(t) or is_public_shape(t):
        return False
    if t.isdigit() or t.isalpha() and (t.islower() or t.isupper()):
        return False
    if _HEX.fullmatch(t):
        # 16 symbols cap hex at 4 bits per character; detect-secrets' hex limit applies.
        return shannon_entropy(t) >= _HEX_ENTROPY_LIMIT
    limit = min(_ENTROPY_LIMIT, 0.85 * math.log2(len(t)))
    return shannon_entropy(t) >= limit


def embedded_candidates(text: str) -> List[str]:
    """Pieces of `text` a secret may hide in: URL-decoded form and URL userinfo password."""
    out: List[str] = []
    if "%" in text:
        from urllib.parse import unquote

        decoded = unquote(text)
        if decoded != text:
            out.append(decoded)
    for m in _URL.finditer(text):
        from urllib.parse import unquote, urlsplit

        try:
            pw = urlsplit(m.group(0)).password
        except ValueError:
            pw = None
        if pw:
            out.append(unquote(pw))
    return out
