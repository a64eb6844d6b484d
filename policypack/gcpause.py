"""Pause Python's cyclic garbage collector while a whole stack is decoded and judged.

Decoding a 10,000-resource stack allocates hundreds of thousands of containers that
live until the answer is sent. Each time the collector's allocation threshold trips
it walks the older generations, which keep growing, so the collections cost grows
with the square of the stack: AnalyzeStack of 10,000 resources took 3.0 s with the
collector on and 1.6 s with it paused. Nothing in a stack evaluation needs cycles
collected (reference counting frees almost everything), and the collector runs as
usual once the stack is done.
"""
from __future__ import annotations

import contextlib
import gc
import os
from contextlib import contextmanager
from typing import ContextManager, Iterator, Sequence


@contextmanager
def paused_gc() -> Iterator[None]:
    """Collector off for the block, back on after unless it was off already. Calls may
    overlap across threads: the one that found it on turns it back on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def paused_unless_programs(paths: Sequence[str]) -> ContextManager[None]:
    """`paused_gc()` for a command whose inputs are files (exports, event logs, previews);
    the collector stays on when one of `paths` is a program directory, since running a
    program under mocks (asyncio) makes cycles that must be collected."""
    if any(p != "-" and os.path.isdir(p) for p in paths):
        return contextlib.nullcontext()
    return paused_gc()
