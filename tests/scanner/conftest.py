from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import List

import pytest

from policypack.cli import run

DATA = Path(__file__).resolve().parent.parent / "data"
EXPORT = DATA / "stack-export.json"
EVENT_LOG = DATA / "event-log.jsonl"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> List[str]:
        return self.err.splitlines()


def keyguard(*argv: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in argv], stdout=out, stderr=err)
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli():
    return keyguard
