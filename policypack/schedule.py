"""How often a Secrets Manager rotation schedule rotates: its longest gap in days.

`rate(N days|hours)` is exact. AWS six-field `cron(min hour dom month dow year)`
is judged by enumerating its runs over a four-year (leap) cycle and taking the
longest gap between consecutive runs, so `cron(0 0 1 1,7 ? *)` counts as about
181 days, not "monthly". A schedule whose year field ends has an unbounded gap.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache
from typing import Dict, List, Optional, Set

_RATE = re.compile(r"^rate\(\s*(\d+)\s+(day|days|hour|hours)\s*\)$")
_CRON = re.compile(r"^cron\((.*)\)$")
_MONTHS = {m.upper(): i for i, m in enumerate(calendar.month_abbr) if m}
_DAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
_START = dt.datetime(2025, 1, 1)
_SPAN_DAYS = 4 * 365 + 1
INFINITE = float("inf")


class ScheduleError(ValueError):
    pass


def _values(field: str, lo: int, hi: int, names: Optional[Dict[str, int]] = None) -> Set[int]:
    out: Set[int] = set()
    for part in field.split(","):
        part = part.strip().upper()
        if names:
            for name, num in names.items():
                part = part.replace(name, str(num))
        step = 1
        if "/" in part:
            part, _, step_s = part.partition("/")
            if not step_s.isdigit() or int(step_s) < 1:
                raise ScheduleError(f"bad step in {field!r}")
            step = int(step_s)
        if part in ("*", "?"):
            start, end = lo, hi
        elif "-" in part:
            a, _, b = part.partition("-")
            if not (a.isdigit() and b.isdigit()):
                raise ScheduleError(f"bad range in {field!r}")
            start, end = int(a), int(b)
        elif part.isdigit():
            start = int(part)
            end = hi if step > 1 else start
        else:
            raise ScheduleError(f"unsupported cron field {field!r}")
        if not (lo <= start <= hi and lo <= end <= hi):
            raise ScheduleError(f"value out of range in {field!r}")
        out.update(range(start, end + 1, step))
    return out


def _dom_matches(field: str, day: dt.date) -> bool:
    last = calendar.monthrange(day.year, day.month)[1]
    f = field.upper()
    if f == "L":
        return day.day == last
    if f.endswith("W") and f[:-1].isdigit():
        target = min(int(f[:-1]), last)
        t = day.replace(day=target)
        if t.weekday() == 5:  # Saturday -> Friday, or Monday when the 1st
            t = t - dt.timedelta(days=1) if target > 1 else t + dt.timedelta(days=2)
        elif t.weekday() == 6:  # Sunday -> Monday, or Friday when the last day
            t = t + dt.timedelta(days=1) if target < last else t - dt.timedelta(days=2)
        return day == t
    return day.day in _values(field, 1, 31)


def _dow_matches(field: str, day: dt.date) -> bool:
    aws_dow = (day.isoweekday() % 7) + 1  # SUN=1 .. SAT=7
    f = field.upper()
    for name, num in _DAYS.items():
        f = f.replace(name, str(num))
    if "#" in f:
        d, _, n = f.partition("#")
        if not (d.isdigit() and n.isdigit()):
            raise ScheduleError(f"bad day-of-week {field!r}")
        return aws_dow == int(d) and (day.day - 1) // 7 + 1 == int(n)
    if f.endswith("L") and f[:-1].isdigit():
        last = calendar.monthrange(day.year, day.month)[1]
        return aws_dow == int(f[:-1]) and day.day + 7 > last
    return aws_dow in _values(f, 1, 7)


@lru_cache(maxsize=256)
def longest_gap_days(expression: str) -> float:
    """The longest interval between two rotations, in days; ScheduleError when unparseable."""
    expr = expression.strip()
    m = _RATE.match(expr)
    if m:
        n = int(m.group(1))
        if n < 1:
            raise ScheduleError("rate must be at least 1")
        return float(n) if m.group(2).startswith("day") else n / 24.0
    m = _CRON.match(expr)
    if not m:
        raise ScheduleError("not a rate() or cron() expression")
    fields = m.group(1).split()
    if len(fields) != 6:
        raise ScheduleError("cron() needs six fields")
    minute, hour, dom, month, dow, year = fields
    if (dom == "?") == (dow == "?"):
        raise ScheduleError("cron() needs '?' in exactly one of day-of-month and day-of-week")
    minutes = sorted(_values(minute, 0, 59))
    hours = sorted(_values(hour, 0, 23))
    months = _values(month, 1, 12, _MONTHS)
    years = None if year in ("*", "?") else _values(year, 1970, 2199)
    times: List[float] = sorted(h + mi / 60.0 for h in hours for mi in minutes)
    run_days: List[dt.date] = []
    for offset in range(_SPAN_DAYS):
        day = (_START + dt.timedelta(days=offset)).date()
        if day.month not in months:
            continue
        if dom != "?" and not _dom_matches(dom, day):
            continue
        if dow != "?" and not _dow_matches(dow, day):
            continue
        run_days.append(day)
    if years is not None:
        # A finite list of years eventually stops rotating.
        return INFINITE
    if not run_days:
        return INFINITE
    first, last = times[0] / 24.0, times[-1] / 24.0
    within = max((b - a for a, b in zip(times, times[1:])), default=0.0) / 24.0
    gaps = [within]
    for a, b in zip(run_days, run_days[1:]):
        gaps.append((b - a).days + first - last)
    if dow == "?":
        # Wrap around: months and days of month repeat every four years (weekdays do
        # not, but a weekday schedule's gaps all lie inside the span already).
        wrap = (run_days[0] + dt.timedelta(days=_SPAN_DAYS) - run_days[-1]).days
        gaps.append(wrap + first - last)
    return max(gaps)
