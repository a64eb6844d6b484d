"""The one "today" keyguard judges by: the current day in UTC.

Waivers expire, IAM date conditions and Key Vault expiry dates are judged against a day.
Every one of them reads it here, so a scan, the engine and a test agree on which day it
is (a local-time `date.today()` would differ from UTC for hours every day). Tests pin it
with `pinned(day)`.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
from typing import Iterator, Optional

_pinned: Optional[_dt.date] = None


def today() -> _dt.date:
    if _pinned is not None:
        return _pinned
    return _dt.datetime.now(_dt.timezone.utc).date()


@contextlib.contextmanager
def pinned(day: _dt.date) -> Iterator[None]:
    """Judge as if it were `day` inside the block."""
    global _pinned
    before, _pinned = _pinned, day
    try:
        yield
    finally:
        _pinned = before
