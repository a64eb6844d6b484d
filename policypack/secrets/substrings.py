"""Which of many known strings occur inside a text, in time linear in the text.

Asking `value in text` for every known secret value costs the number of values
for every text judged, which makes a stack's scan grow with its square. Here a
long value is found through its first `ANCHOR` characters (one dictionary look-up
per position of the text, then a check of the few values sharing that start) and
a short one through the set of values of its length (one look-up per position and
per distinct short length). Values that share their first characters are told apart
by length, so a thousand generated keys with a common prefix cost no more than one.
"""
from __future__ import annotations

from typing import Dict, Iterable, Set

ANCHOR = 12


class Needles:
    """A fixed set of non-empty strings to look for inside texts."""

    def __init__(self, values: Iterable[str]) -> None:
        # Values sharing their start (generated keys, JSON of one template) are told apart
        # by length: a look-up per distinct length, however many values share the start.
        self._anchored: Dict[str, Dict[int, Set[str]]] = {}
        self._short: Dict[int, Set[str]] = {}
        for v in values:
            if not v:
                continue
            if len(v) >= ANCHOR:
                self._anchored.setdefault(v[:ANCHOR], {}).setdefault(len(v), set()).add(v)
            else:
                self._short.setdefault(len(v), set()).add(v)

    def __bool__(self) -> bool:
        return bool(self._anchored or self._short)

    def found_in(self, text: str) -> Set[str]:
        """The values that occur in `text`."""
        found: Set[str] = set()
        n = len(text)
        if self._anchored and n >= ANCHOR:
            anchored = self._anchored
            for i in range(n - ANCHOR + 1):
                bucket = anchored.get(text[i:i + ANCHOR])
                if bucket:
                    for size, same_start in bucket.items():
                        piece = text[i:i + size]
                        if piece in same_start:
                            found.add(piece)
        for size, values in self._short.items():
            for i in range(n - size + 1):
                piece = text[i:i + size]
                if piece in values:
                    found.add(piece)
        return found
