"""The scan pipeline that `keyguard scan` and `make demo` share: inputs, results, report.

Each input becomes results (inputs/detect.py), waivers turn the failures they
cover into WAIVED, and the results become one report dict. The caller checks its
own usage (paths, formats) first and renders the report as it likes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any, Dict, List, Mapping, Optional, Sequence

from . import waivers as waiver_mod
from .config import PolicySettings
from .evaluate import mandatory_violations
from .gcpause import paused_gc
from .model import Result
from .registry import RULES


@dataclass(frozen=True)
class Scan:
    """A scan's report, its results after waivers, and the waivers that expired."""
    report: Dict[str, Any]
    results: List[Result]  # after waivers
    expired: List["waiver_mod.Waiver"]

    @property
    def failed(self) -> bool:
        """Exit 1: a mandatory violation, or an expired waiver (the exception ran out)."""
        return bool(self.expired or mandatory_violations(self.results))


def scan(paths: Sequence[str], settings: Mapping[str, PolicySettings], waivers: Sequence[waiver_mod.Waiver] = (),
         framework: Optional[str] = None, progress: Optional[IO[str]] = None, program: Any = None) -> Scan:
    """Scan `paths` (already checked to exist) with resolved settings. `progress`, a
    stream, shows a bar there for a big scan watched on a terminal; `program` (a
    program.ProgramOptions) says how program directories run."""
    from .inputs.detect import is_large, results_for
    from .progress import track
    from .report import build

    items = track(paths, progress, large=any(is_large(p) for p in paths)) if progress else paths
    results: List[Result] = []
    notes: List[Dict[str, str]] = []
    for path in items:
        results.extend(results_for(path, RULES, settings, notes, program=program))
    applied = waiver_mod.apply(results, waivers)
    with paused_gc():  # see gcpause: a report of 100,000 results is as large as a stack
        report = build(applied.results, sources=list(paths), framework=framework, notes=notes + applied.notes())
    return Scan(report, applied.results, applied.expired)
