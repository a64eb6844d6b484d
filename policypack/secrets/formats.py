"""Well-known credential formats, recognised by detect-secrets' plugins in memory.

detect-secrets is imported on first use, and only for a value one of its plugins could find
something in (plugin_screen): it costs about 55 ms (it pulls in its scanning core and
`requests`), which resource-only policy runs and most scans never need to pay. Only the
plugins' pure `analyze_string` is called: no file scanning, no baseline, no
settings, and never a plugin's `verify`, which would call the vendor's API.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from .shapes import CASE_PARTS, UUID, anchors

# Characters each detector handed to a regular expression, by detector. Every pattern
# runs on pieces of bounded length (see `_PIECE_LIMIT`), so these counts bound the
# matching work; the growth tests read them. Instrumentation only: nothing reads it
# to decide anything.
STEPS: Counter[str] = Counter()

# Shapes that look random but are references or public data, not credentials.
# SHA-1 (git commits), SHA-256 and SHA-512 digests. 32 hex digits stay suspect: many
# vendors issue API keys of that shape, more often than configs carry bare MD5 sums.
_HEX_DIGEST = re.compile(r"(?:[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})", re.IGNORECASE)
_ARN = re.compile(r"arn:aws[a-zA-Z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:\S+")
_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s]+")
_AWS_KEY_ID = re.compile(r"(?<![A-Z0-9])(?:A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA)[0-9A-Z]{16}(?![A-Z0-9])")
# A secret key may follow "=" (`AWS_SECRET_ACCESS_KEY=...` in env files and `export` lines), so
# only the key's own characters before it disqualify it.
_AWS_SECRET_KEY = re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")

# Shorter strings cannot hold any format below; skipping them spares the import.
_MIN_CREDENTIAL = 16


def is_public_shape(text: str) -> bool:
    """An ARN, a UUID, a hex digest, or a URL without credentials in it."""
    t = text.strip()
    if UUID.fullmatch(t) or _HEX_DIGEST.fullmatch(t) or _ARN.fullmatch(t):
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


# Each plugin is one vendor's documented token format; keyword- and entropy-only plugins are
# left out (noisy on configuration values), as is Artifactory's (its "AP" pattern matches
# ordinary upper-case words). (module of detect_secrets.plugins, class), in the order they judge.
_PLUGINS = (
    ("private_key", "PrivateKeyDetector"), ("github_token", "GitHubTokenDetector"),
    ("gitlab_token", "GitLabTokenDetector"), ("slack", "SlackDetector"), ("stripe", "StripeDetector"),
    ("jwt", "JwtTokenDetector"), ("openai", "OpenAIDetector"), ("sendgrid", "SendGridDetector"),
    ("twilio", "TwilioKeyDetector"), ("npm", "NpmDetector"), ("pypi_token", "PypiTokenDetector"),
    ("discord", "DiscordBotTokenDetector"), ("mailchimp", "MailchimpDetector"),
    ("azure_storage_key", "AzureStorageKeyDetector"), ("square_oauth", "SquareOAuthDetector"),
    ("telegram_token", "TelegramBotTokenDetector"), ("basic_auth", "BasicAuthDetector"),
)


@lru_cache(maxsize=1)
def _plugins() -> Tuple[Any, ...]:
    import importlib

    return tuple(getattr(importlib.import_module(f"detect_secrets.plugins.{module}"), name)()
                 for module, name in _PLUGINS)


@lru_cache(maxsize=1)
def _screen() -> Tuple[bool, Tuple["re.Pattern[str]", ...]]:
    """See plugin_screen: whether the plugins can be screened, and the patterns that do it for
    those formats.py does not cut pieces for."""
    from .plugin_screen import patterns

    return patterns(_PLUGINS, frozenset(_CUT), _plugins)


def _plugins_may_find(text: str) -> bool:
    """False only when no plugin could find anything in `text`: no plugin that sees cut pieces
    gets one, and no pattern of the others matches."""
    usable, patterns = _screen()
    if not usable:
        return True
    STEPS["plugin-screen"] += (len(_CUT) + len(patterns)) * len(text)
    return (any(next(cut(text), None) is not None for cut in _CUT.values())
            or any(p.search(text) for p in patterns))


# The longest piece of text a pattern whose cost can grow faster than its input
# (an unbounded repeat that may backtrack) is ever run on. Such patterns run on
# pieces cut around a literal every match must contain, so a value of n characters
# costs at most a fixed multiple of n, whatever its shape.
_PIECE_LIMIT = 512


def _line_bounds(text: str, i: int, before: int, after: int) -> Tuple[int, int]:
    lo = max(text.rfind("\n", max(0, i - before), i) + 1, i - before, 0)
    hi = text.find("\n", i, i + after)
    return lo, (hi if hi >= 0 else min(len(text), i + after))


def _npm_pieces(text: str) -> Iterator[str]:
    # `//registry/:_authToken=<token>` on one line: from the nearest "//" that leaves a
    # character before the anchor, to a token's length past it.
    for i in anchors(text, "/:_authToken="):
        lo, hi = _line_bounds(text, i, _PIECE_LIMIT // 2, _PIECE_LIMIT // 4)
        start = text.rfind("//", lo, i - 1) if i >= 3 else -1
        if start >= 0:
            yield text[start:hi]


def _openai_pieces(text: str) -> Iterator[str]:
    # sk-<run>20 letters/digits T3BlbkFJ 20 letters/digits: from the nearest "sk-".
    for i in anchors(text, "T3BlbkFJ"):
        start = text.rfind("sk-", max(0, i - _PIECE_LIMIT), i - 20) if i >= 23 else -1
        if start >= 0:
            yield text[start:i + 28]


_JWT_SEGMENT = re.compile(r"[A-Za-z0-9\-_=]+")


def _jwt_pieces(text: str) -> Iterator[str]:
    # The plugin reads `eyJ<segment>.<segment>`: the header from its first "eyJ" and the
    # payload whole (its signature is never decoded), which is what each piece holds.
    prev_end, prev_piece = -2, None
    for m in _JWT_SEGMENT.finditer(text):
        if prev_piece is not None and m.start() == prev_end + 1 and text[prev_end] == ".":
            yield prev_piece + "." + m.group(0)
        seg = m.group(0)
        at = seg.find("eyJ")
        prev_piece, prev_end = (seg[at:] if at >= 0 else None), m.end()


def _basic_auth_pieces(text: str) -> Iterator[str]:
    # `://user:password@`: from each "://" to the first "@", whitespace or brace after it.
    spots = list(anchors(text, "://"))
    for n, i in enumerate(spots):
        stop = min(spots[n + 1] if n + 1 < len(spots) else len(text), i + _PIECE_LIMIT)
        at = text.find("@", i, stop)
        if at < 0:
            continue
        piece = text[i:at + 1]
        if not _BREAKS.search(piece):
            yield piece


_BREAKS = re.compile(r"[\s{}]")

# Plugins whose patterns repeat without bound and backtrack: they never see a whole
# value, only the pieces above (each holding what one match of theirs can span).
_CUT: Dict[str, Callable[[str], Iterator[str]]] = {
    "NpmDetector": _npm_pieces,
    "OpenAIDetector": _openai_pieces,
    "JwtTokenDetector": _jwt_pieces,
    "BasicAuthDetector": _basic_auth_pieces,
}


def _plugin_finds(plugin: Any, text: str) -> Iterator[str]:
    name = type(plugin).__name__
    cut = _CUT.get(name)
    pieces = cut(text) if cut else (text,)
    for piece in pieces:
        STEPS[name] += len(piece)
        try:
            yield from plugin.analyze_string(piece)
        except RecursionError:
            # A JWT whose header or payload is JSON nested past the parser's limit
            # is not a token anyone issued; the plugin's JSON check would crash on it.
            continue


def aws_key_pair(text: str) -> bool:
    """An access key id and a secret access key, in any of the usual written forms."""
    STEPS["aws-key-pair"] += 2 * len(text)
    return bool(_AWS_KEY_ID.search(text)) and any(
        not _HEX_DIGEST.fullmatch(m) for m in _AWS_SECRET_KEY.findall(text))


# --- Google credential formats ------------------------------------------------------------
# detect-secrets has no Google plugin. The shapes, and where they are published:
# - API keys: "AIza" and 35 of [A-Za-z0-9_-], 39 in all: gitleaks' rule `gcp-api-key`
#   (cmd/generate/config/rules/gcp.go), as Google issues every API key, Gemini's included.
# - OAuth access tokens: "ya29." and a URL-safe run (gitleaks and TruffleHog match the same prefix).
# - OAuth client secrets: "GOCSPX-" and 28 of [A-Za-z0-9_-], the form Google Cloud Console has issued
#   client secrets in since 2021 (TruffleHog's Google OAuth detector keys on the prefix).
# - Service-account key files: JSON with "type": "service_account" and a "private_key", as gcloud and
#   the console download them and as gcp.serviceaccount.Key.privateKey holds them base64-encoded
#   (the file's first line, base64-encoded, is the fixed text below).
_GOOGLE_API_KEY = re.compile(r"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])")
_GOOGLE_ACCESS_TOKEN = re.compile(r"(?<![A-Za-z0-9_.-])ya29\.[0-9A-Za-z_-]{20,}")
_GOOGLE_OAUTH_SECRET = re.compile(r"(?<![A-Za-z0-9_-])GOCSPX-[0-9A-Za-z_-]{28}(?![A-Za-z0-9_-])")
_GOOGLE_SA_TYPE = re.compile(r'"type"\s{0,8}:\s{0,8}"service_account"')
_GOOGLE_SA_KEY = re.compile(r'"private_key"\s{0,8}:')
_GOOGLE_SA_KEY_B64 = "ewogICJ0eXBlIjogInNlcnZpY2VfYWNjb3VudCIs"  # '{\n  "type": "service_account",'


def google_shape(text: str) -> Optional[str]:
    """Name the Google credential format `text` holds, if any."""
    STEPS["google"] += 5 * len(text)
    if _GOOGLE_API_KEY.search(text):
        return "a Google API key"
    if _GOOGLE_OAUTH_SECRET.search(text):
        return "a Google OAuth client secret"
    if _GOOGLE_ACCESS_TOKEN.search(text):
        return "a Google OAuth access token"
    if (_GOOGLE_SA_TYPE.search(text) and _GOOGLE_SA_KEY.search(text)) or _GOOGLE_SA_KEY_B64 in text:
        return "a Google service account key"
    return None
# --- end of the Google formats -------------------------------------------------------------

# -- Azure ---------------------------------------------------------------------------------
# Azure credential formats detect-secrets has no plugin for (its AzureStorageKeyDetector,
# loaded above, already finds `AccountKey=` in storage connection strings). Each pattern has a
# fixed literal and bounded repeats, so it costs a fixed multiple of the text's length.
# - Service Bus / Event Hubs / Relay connection strings: `SharedAccessKey=` and a 256-bit key in
#   base64 (TruffleHog's azure service bus detector; gitleaks' generic key=value rules).
# - SAS tokens: a signed-version field and a signature, as in URLs and connection strings
#   (TruffleHog's Azure SAS detector reads the same `sv=` and `sig=` fields).
# - Microsoft Entra ID client secrets: three characters, a digit, `Q~`, then 31 to 34 more
#   (gitleaks' azure-ad-client-secret rule).
_AZURE_SHARED_KEY = re.compile(r"SharedAccessKey=[A-Za-z0-9+/]{42,43}=")
_AZURE_SAS_VERSION = re.compile(r"(?<![A-Za-z0-9])sv=\d{4}-\d{2}-\d{2}")
_AZURE_SAS_SIGNATURE = re.compile(r"(?<![A-Za-z0-9])sig=[A-Za-z0-9%+/]{30,120}")
# - ADO.NET connection strings (Azure SQL, PostgreSQL, MySQL): a server and a password field whose
#   value is not a placeholder (`{your_password}`, `<password>`, `$(PASSWORD)`); gitleaks' and
#   detect-secrets' keyword rules read the same `password=` pairs.
_CONNECTION_SERVER = re.compile(r"(?:^|;)\s*(?:server|data source|host|address)\s*=", re.IGNORECASE)
_CONNECTION_PASSWORD = re.compile(r"(?:^|;)\s*(?:password|pwd)\s*=\s*[^;\s{<$\[][^;]{5,200}", re.IGNORECASE)
_AZURE_CLIENT_SECRET = re.compile(r"(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])")


def azure_credential(text: str) -> Optional[str]:
    """Name the Azure credential format `text` holds, if any."""
    STEPS["azure"] += 4 * len(text)
    if "SharedAccessKey=" in text and _AZURE_SHARED_KEY.search(text):
        return "an Azure shared access key"
    if "sig=" in text and _AZURE_SAS_SIGNATURE.search(text) and _AZURE_SAS_VERSION.search(text):
        return "an Azure SAS token"
    if "Q~" in text and _AZURE_CLIENT_SECRET.search(text):
        return "a Microsoft Entra ID client secret"
    if "=" in text and _CONNECTION_PASSWORD.search(text) and _CONNECTION_SERVER.search(text):
        return "a database connection string with a password"
    return None
# -- end of Azure ---------------------------------------------------------------------------


def credential_shape(text: str) -> Optional[str]:
    """Name the well-known credential format `text` holds, if any ("a GitHub Token")."""
    if len(text) < _MIN_CREDENTIAL:
        return None
    if aws_key_pair(text):
        return "an AWS access key pair"
    google = google_shape(text)
    if google:
        return google
    azure = azure_credential(text)
    if azure:
        return azure
    # AI-stack formats before detect-secrets', whose OpenAI plugin names only the legacy key.
    from .ai_formats import ai_credential_shape

    STEPS["ai-formats"] += len(text)
    ai = ai_credential_shape(text)
    if ai:
        return ai
    if not _plugins_may_find(text):
        return None
    for plugin in _plugins():
        for found in _plugin_finds(plugin, text):
            if found and not is_public_shape(found):
                return f"a {plugin.secret_type}"
    return None


def shannon_entropy(text: str) -> float:
    if not text:
        return 0.0
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in Counter(text).values())


_TOKEN_CHARS = re.compile(r"[A-Za-z0-9+/=_\-.~!@#$%^&*]+")
_MIN_ENTROPY_LEN = 16
_ENTROPY_LIMIT = 4.5  # detect-secrets' default for base64-like strings
_HEX_ENTROPY_LIMIT = 3.0  # and for hex strings
_HEX = re.compile(r"[0-9a-fA-F]+")
# An identifier's parts: separators, then case changes ("numberOfNATGateways" -> number, Of, NAT, Gateways).
_SEPARATORS = re.compile(r"[_.\-]+")
_VOWELS = frozenset("aeiouyAEIOUY")
_MAX_ABBREVIATION = 4  # "vpc", "DNS", "kms", "http": a part without vowels that is still a name
_MAX_ACRONYM = 5  # an upper-case run inside a mixed-case name ("NAT", "HTTPS")


def word_identifier(text: str) -> bool:
    """snake_case, kebab-case, dotted or camelCase made of words ("security_group_name",
    "numberOfNatGateways", "ec2InstanceId", "OPENAI_API_KEY"): a name someone wrote, not a token.

    A random token rarely splits into such parts only: its case changes leave one-letter
    runs, long runs without vowels and digits in the middle of words. Measured on random
    base62 strings, about 0.6% of 16 characters and 0.1% of 24 pass for a name.
    """
    words: List[str] = []
    for part in _SEPARATORS.split(text):
        if not part:
            continue
        pieces = CASE_PARTS.findall(part)
        if "".join(pieces) != part:
            return False
        # A number ends a part ("subnet2", "s3") or follows a short lower-case prefix ("ec2Instance").
        for i, piece in enumerate(pieces[:-1]):
            if piece.isdigit() and not (i == 1 and pieces[0].islower() and len(pieces[0]) <= _MAX_ABBREVIATION):
                return False
        words.extend(pieces)
    if len(words) < 2:
        return False
    mixed = any(w.islower() or w.istitle() for w in words if not w.isdigit())
    voiced = letters = 0
    for i, w in enumerate(words):
        if w.isdigit():
            continue
        letters += len(w)
        if len(w) < 2 and not (i + 1 < len(words) and words[i + 1].isdigit()):
            return False
        if mixed and w.isupper() and len(w) > _MAX_ACRONYM:
            return False
        if _VOWELS.intersection(w):
            voiced += len(w)
        elif len(w) > _MAX_ABBREVIATION:
            return False
    # Abbreviations are the exception: most letters sit in words with vowels.
    return voiced * 3 >= letters * 2


def looks_random(text: str) -> bool:
    """A token-like string whose entropy is close to the most its length allows.

    A string of n characters has at most log2(n) bits of entropy per character,
    so detect-secrets' fixed 4.5 cannot be reached below 23 characters; the
    bound scales down with length to keep 16- to 32-character keys in reach.
    """
    t = text.strip()
    if len(t) < _MIN_ENTROPY_LEN or not _TOKEN_CHARS.fullmatch(t) or is_public_shape(t):
        return False
    if t.isdigit() or t.isalpha() and (t.islower() or t.isupper()) or word_identifier(t):
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
    for url in urls(text):
        from urllib.parse import unquote, urlsplit

        try:
            pw = urlsplit(url).password
        except ValueError:
            pw = None
        if pw:
            out.append(unquote(pw))
    return out


_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_NON_SPACE = re.compile(r"\S+")
# A scheme longer than this is not one; only its last characters are looked at.
_MAX_SCHEME = 32


def urls(text: str) -> Iterator[str]:
    """`scheme://rest-up-to-whitespace` pieces of `text`, left to right, in linear time.

    What `re.finditer(r"[a-zA-Z][a-zA-Z0-9+.-]*://\\S+")` finds, except that a scheme
    is at most `_MAX_SCHEME` characters: that pattern tries every letter of a long
    letter-and-digit run as a scheme's start and so costs the square of the run.
    """
    pos = 0
    for i in anchors(text, "://"):
        if i < pos:
            continue
        start = i
        while start > max(pos, i - _MAX_SCHEME) and text[start - 1] in _SCHEME_CHARS:
            start -= 1
        while start < i and text[start] not in _ASCII_LETTERS:
            start += 1
        if start == i:
            continue
        rest = _NON_SPACE.match(text, i + 3)
        if rest is None:
            continue
        STEPS["url"] += rest.end() - start
        yield text[start:rest.end()]
        pos = rest.end()
