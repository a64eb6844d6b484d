"""Azure's ways of writing time: ISO 8601 durations (Key Vault rotation policies), epoch
seconds (azure-native key and secret attributes) and RFC 3339 (the classic provider)."""
from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Optional

# Key Vault accepts durations of years, months and days (and weeks); time parts are counted too.
_DURATION = re.compile(
    r"P(?:(?P<y>\d+)Y)?(?:(?P<mo>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<mi>\d+)M)?(?:(?P<s>\d+)S)?)?", re.IGNORECASE)


def duration_days(text: Any) -> Optional[float]:
    """Days in an ISO 8601 duration (`P90D`, `P1Y`, `P3M`), a month counted as 30 days and a
    year as 365; None when `text` is not one."""
    if not isinstance(text, str):
        return None
    m = _DURATION.fullmatch(text.strip())
    if not m or not any(m.groupdict().values()):
        return None
    n = {k: int(v) if v else 0 for k, v in m.groupdict().items()}
    return (365 * n["y"] + 30 * n["mo"] + 7 * n["w"] + n["d"]
            + n["h"] / 24 + n["mi"] / 1440 + n["s"] / 86400)


def instant_day(value: Any) -> Optional[_dt.date]:
    """The UTC day of an instant written as epoch seconds or as RFC 3339; None if neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            return _dt.datetime.fromtimestamp(value, _dt.timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str) and value.strip():
        text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
        try:
            moment = _dt.datetime.fromisoformat(text)
        except ValueError:
            return None
        if moment.tzinfo is not None:
            moment = moment.astimezone(_dt.timezone.utc)
        return moment.date()
    return None
