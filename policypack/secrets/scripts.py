"""Secret material in shell scripts stored on resources (SageMaker lifecycle configurations).

A script is judged twice: its `NAME=value` assignments (`export`, `declare`, `env` lines) as a
map, so that a credential-like variable name counts as it does in an environment; then the
whole text, for credential formats and the stack's secrets wherever they sit (a `curl -H`
header, a heredoc). Each line is scanned once by a pattern without nested repeats.
"""
from __future__ import annotations

import base64
import binascii
import re
from typing import Dict, Optional

# `export NAME=value`, `NAME="value"`, `declare -x NAME='value'`; the value up to its closing
# quote, or up to whitespace when unquoted.
_ASSIGNMENT = re.compile(
    r"""^[ \t]*(?:(?:export|declare(?:[ \t]+-[a-zA-Z]+)*|local|readonly)[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)="""
    r"""(?:"([^"\n]*)"|'([^'\n]*)'|([^\s;'"]*))""",
    re.MULTILINE,
)
_BASE64_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= \t\r\n")


def decoded_script(value: str) -> str:
    """A lifecycle script as SageMaker runs it: the provider takes base64, so decode it; a
    value that is not base64 of UTF-8 text is judged as written (an unencoded script)."""
    if not value or not _BASE64_CHARS.issuperset(value):
        return value
    try:
        return base64.b64decode("".join(value.split()), validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return value


def assignments(script: str) -> Dict[str, str]:
    """Variables the script sets to literal values; command substitutions and references
    (`$(aws secretsmanager ...)`, `$OTHER`) are computed at run time and left out."""
    out: Dict[str, str] = {}
    for m in _ASSIGNMENT.finditer(script):
        value: Optional[str] = next((g for g in m.groups()[1:] if g is not None), None)
        if value and "$" not in value and "`" not in value:
            out.setdefault(m.group(1), value)
    return out
