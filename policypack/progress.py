"""A progress bar for long scans, shown only to a person watching a terminal.

CI logs and pipes get nothing extra: the bar appears only when the stream is a
TTY and the scan is big enough to be worth watching.
"""
from __future__ import annotations

from typing import IO, Iterator, Sequence, TypeVar

T = TypeVar("T")

MANY_INPUTS = 5


def wanted(stream: IO[str], count: int, large: bool) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and (count >= MANY_INPUTS or large)


def track(items: Sequence[T], stream: IO[str], large: bool = False, label: str = "scanning") -> Iterator[T]:
    if not wanted(stream, len(items), large):
        yield from items
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(file=stream), transient=True) as progress:
        task = progress.add_task(label, total=len(items))
        for item in items:
            yield item
            progress.advance(task)
