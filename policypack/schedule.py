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
from typing import Callable, Dict, List, Optional, Set

_RATE = re.compile(r"^rate\(\s*([0-9]+)\s+(day|days|hour|hours)\s*\)$")
_CRON = re.compile(r"^cron\((.*)\)$")
_MONTHS = {m.upper(): i for i, m in enumerate(calendar.month_abbr) if m}
_DAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
_START = dt.datetime(2025, 1, 1)
_SPAN_DAYS = 4 * 365 + 1
INFINITE = float("inf")
# AWS refuses a schedule expression longer than 256 characters; nothing longer is parsed.
MAX_EXPRESSION = 256
# Cron numbers are at most four digits (years), ASCII only: str.isdigit() also accepts
# digits such as "²" that int() then refuses.
_NUMBER = re.compile(r"[0-9]{1,4}")


class ScheduleError(ValueError):
    pass


def _int(text: str, what: str) -> int:
    if not _NUMBER.fullmatch(text):
        raise ScheduleError(f"the {what} field holds something other than a number, range, list or step")
    return int(text)


def _values(field: str, lo: int, hi: int, what: str, names: Optional[Dict[str, int]] = None) -> Set[int]:
    out: Set[int] = set()
    for part in field.split(","):
        part = part.strip().upper()
        if names:
            for name, num in names.items():
                part = part.replace(name, str(num))
        step = 1
        if "/" in part:
            part, _, step_s = part.partition("/")
            step = _int(step_s, what)
            if step < 1:
                raise ScheduleError(f"the {what} field has a step below 1")
        if part in ("*", "?"):
            start, end = lo, hi
        elif "-" in part:
            a, _, b = part.partition("-")
            start, end = _int(a, what), _int(b, what)
        else:
            start = _int(part, what)
            end = hi if step > 1 else start
        if not (lo <= start <= hi and lo <= end <= hi):
            raise ScheduleError(f"the {what} field has a value out of range")
        out.update(range(start, end + 1, step))
    return out


DayTest = Callable[[dt.date], bool]


def _dom_test(field: str) -> DayTest:
    """The day-of-month field, parsed once, as a test of a day."""
    f = field.upper()
    if f == "L":
        return lambda day: day.day == calendar.monthrange(day.year, day.month)[1]
    if f.endswith("W"):
        target_dom = _int(f[:-1], "day-of-month")
        if not 1 <= target_dom <= 31:
            raise ScheduleError("the day-of-month field has a value out of range")

        def nearest_weekday(day: dt.date) -> bool:
            last = calendar.monthrange(day.year, day.month)[1]
            target = min(target_dom, last)
            t = day.replace(day=target)
            if t.weekday() == 5:  # Saturday -> Friday, or Monday when the 1st
                t = t - dt.timedelta(days=1) if target > 1 else t + dt.timedelta(days=2)
            elif t.weekday() == 6:  # Sunday -> Monday, or Friday when the last day
                t = t + dt.timedelta(days=1) if target < last else t - dt.timedelta(days=2)
            return day == t
        return nearest_weekday
    days = _values(field, 1, 31, "day-of-month")
    return lambda day: day.day in days


def _aws_dow(day: dt.date) -> int:
    return (day.isoweekday() % 7) + 1  # SUN=1 .. SAT=7


def _dow_test(field: str) -> DayTest:
    """The day-of-week field, parsed once, as a test of a day."""
    f = field.upper()
    for name, num in _DAYS.items():
        f = f.replace(name, str(num))
    if "#" in f:
        d_s, _, n_s = f.partition("#")
        d, n = _int(d_s, "day-of-week"), _int(n_s, "day-of-week")
        return lambda day: _aws_dow(day) == d and (day.day - 1) // 7 + 1 == n
    if f.endswith("L") and len(f) > 1:
        d = _int(f[:-1], "day-of-week")
        return lambda day: _aws_dow(day) == d and day.day + 7 > calendar.monthrange(day.year, day.month)[1]
    days = _values(f, 1, 7, "day-of-week")
    return lambda day: _aws_dow(day) in days


@lru_cache(maxsize=256)
def longest_gap_days(expression: str) -> float:
    """The longest interval between two rotations, in days; ScheduleError when unparseable."""
    expr = expression.strip()
    if len(expr) > MAX_EXPRESSION:
        raise ScheduleError(f"longer than the {MAX_EXPRESSION} characters AWS accepts")
    m = _RATE.match(expr)
    if m:
        if len(m.group(1)) > 6:
            raise ScheduleError("rate() value is out of range")
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
    minutes = sorted(_values(minute, 0, 59, "minute"))
    hours = sorted(_values(hour, 0, 23, "hour"))
    months = _values(month, 1, 12, "month", _MONTHS)
    years = None if year in ("*", "?") else _values(year, 1970, 2199, "year")
    dom_test = None if dom == "?" else _dom_test(dom)
    dow_test = None if dow == "?" else _dow_test(dow)
    times: List[float] = sorted(h + mi / 60.0 for h in hours for mi in minutes)
    run_days: List[dt.date] = []
    for offset in range(_SPAN_DAYS):
        day = (_START + dt.timedelta(days=offset)).date()
        if day.month not in months:
            continue
        if dom_test is not None and not dom_test(day):
            continue
        if dow_test is not None and not dow_test(day):
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
