"""Text shapes both credential-format modules read: where a literal occurs, a UUID, and the
parts of an identifier. Their own module because formats.py imports ai_formats.py (inside
credential_shape), so ai_formats.py cannot take them from formats.py without a cycle."""
from __future__ import annotations

import re
from typing import Iterator

UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# An identifier's parts by case ("numberOfNATGateways" -> number, Of, NAT, Gateways).
CASE_PARTS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")


def anchors(text: str, anchor: str) -> Iterator[int]:
    """Every position `anchor` starts at in `text`, overlapping ones included, found by str.find."""
    i = text.find(anchor)
    while i >= 0:
        yield i
        i = text.find(anchor, i + 1)
