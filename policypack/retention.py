"""Retention windows (KMS key deletion, secret recovery): one judgement for both."""
from __future__ import annotations

from typing import Iterable, Optional

from .model import UNKNOWN, Outcome, Resource, failed, is_number, passed, unknown


def window_check(res: Resource, prop: str, min_days: int, what: str, zero_means: Optional[str] = None
                  ) -> Iterable[Outcome]:
    days = res.props.get(prop)
    if days is UNKNOWN:
        yield unknown(f"{prop} is not known during preview", path=prop)
    elif days is None:
        yield passed(f"{prop} unset: AWS waits its default of 30 days", path=prop)
    elif not is_number(days):
        yield failed(f"{what} {res.name}: {prop} is not a finite number", path=prop)
    elif days == 0 and zero_means:
        yield failed(f"{what} {res.name}: {prop} is 0, {zero_means}; set at least minDays ({min_days})", path=prop)
    elif days < min_days:
        yield failed(f"{what} {res.name}: {prop} is below minDays ({min_days})", path=prop)
    else:
        yield passed(path=prop)
