"""Google's duration strings ("7776000s", "86400.5s"), as Secret Manager and Cloud KMS take them."""
from __future__ import annotations

import re
from typing import Any, Mapping, Optional, Union

_DURATION = re.compile(r"(\d{1,12})(?:\.(\d{1,9}))?s")
DAY = 86400


def google_duration_seconds(value: Any) -> Optional[float]:
    """The number of seconds a duration string gives, or None when it is not one."""
    if not isinstance(value, str):
        return None
    m = _DURATION.fullmatch(value.strip())
    if not m:
        return None
    return int(m.group(1)) + (int(m.group(2)) / 10 ** len(m.group(2)) if m.group(2) else 0)


def judge_period(value: Any, config: Mapping[str, Any]) -> Union[bool, str]:
    """A rotation period against config `maxDays`, as a PropertyCheck judge (the Cloud KMS key and
    the Secret Manager secret rotation rules): True, or the reason it fails."""
    max_days = config["maxDays"]
    seconds = google_duration_seconds(value)
    if seconds is None:
        return "is not a duration in seconds such as \"7776000s\""
    if seconds <= 0:
        return "is not a positive duration"
    if seconds > max_days * DAY:
        return f"is above maxDays ({max_days}) days"
    return True
