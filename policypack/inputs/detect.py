"""Recognise what a scan input is and turn it into results.

A directory with a Pulumi.yaml is a program (run under mocks, then evaluated, with its
stack files); a `Pulumi.<stack>.yaml` file is a stack's configuration, judged alone;
any other file is a stack export or an engine event stream, told apart by content.
Anything else is an InputError naming the path.
"""
from __future__ import annotations

import codecs
import os
import sys
from typing import Any, Dict, List, Mapping, Optional, Sequence

from ..gcpause import paused_gc
from ..model import Result
from ..rules.base import Rule
from . import InputError, eventlog, export

PROJECT_FILES = ("Pulumi.yaml", "Pulumi.yml")
# `pulumi stack export --show-secrets | keyguard scan -` keeps plaintext secrets off the disk.
STDIN = "-"


# Windows PowerShell 5 writes `pulumi stack export > f.json` as UTF-16 with a BOM,
# and some editors add a UTF-8 BOM: the BOM says which, JSON itself is UTF-8.
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _label(path: str) -> str:
    return "standard input" if path == STDIN else path


def _read_bytes(path: str) -> bytes:
    if path == STDIN:
        return sys.stdin.buffer.read()
    with open(path, "rb") as fh:
        return fh.read()


def _read_text(path: str) -> str:
    label = _label(path)
    try:
        data = _read_bytes(path)
    except FileNotFoundError:
        raise InputError(f"input not found: {path}") from None
    except OSError as e:
        raise InputError(f"cannot read {label}: {e.strerror or e}") from None
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), "utf-8")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(f"{label} is not a text file (expected a stack export or an event log)") from None


def _program_results(path: str, rules: Sequence[Rule], settings: Optional[Mapping[str, Any]],
                     notes: Optional[List[Dict[str, str]]],
                     program: Any) -> List[Result]:
    from ..evaluate import evaluate
    from .program import ProgramOptions, run  # imported only when a program is scanned

    from .stackconfig import program_stack_files, read_stack_file

    options = program or ProgramOptions()
    ran = run(path, options)
    if notes is not None:
        notes.extend(ran.notes)
    # The stack files are judged as written (stack-config-no-plaintext-secrets), beside the run.
    # The run has read Pulumi.yaml's name already: each stack file need not read it again.
    configs = [read_stack_file(f, ran.project) for f in program_stack_files(path, options.stack)]
    return evaluate([*ran.resources, *configs], rules, settings=settings)


def results_for(path: str, rules: Sequence[Rule], settings: Mapping[str, Any],
                notes: Optional[List[Dict[str, str]]] = None, program: Any = None) -> List[Result]:
    """The results of one input. `settings` are config.resolve's answer; `notes` collects
    what the report should say about the input itself; `program` (a program.ProgramOptions)
    says how a program directory runs: --stack, --set and --timeout."""
    if path != STDIN and os.path.isdir(path):
        if not any(os.path.isfile(os.path.join(path, f)) for f in PROJECT_FILES):
            raise InputError(f"{path} is a directory without a Pulumi.yaml")
        return _program_results(path, rules, settings, notes, program)
    from .stackconfig import is_stack_file

    if path != STDIN and is_stack_file(path):
        # Program-free: only the configuration is judged (the pre-commit hook's case).
        from ..evaluate import evaluate
        from .stackconfig import read_stack_file

        return evaluate([read_stack_file(path)], rules, settings=settings)
    # The cyclic GC is paused while a file is parsed, decoded and judged (see gcpause); a
    # program's run under mocks is left alone, since asyncio makes reference cycles. The
    # text is handed over, not kept here, so that it can be dropped once parsed.
    with paused_gc():
        return _file_results(_read_text(path), _label(path), rules, settings, notes)


def _file_results(text: str, label: str, rules: Sequence[Rule], settings: Mapping[str, Any],
                  notes: Optional[List[Dict[str, str]]]) -> List[Result]:
    from ..evaluate import evaluate

    try:
        values = list(eventlog.json_values(text))
    except ValueError as e:
        raise InputError(f"{label} is neither a stack export nor an event log: {e}") from None
    del text  # a large export is held once: as parsed values, then as resources
    if len(values) == 1 and export.is_export(values[0][1]):
        return evaluate(export.read(values.pop()[1], label, consume=True), rules, settings=settings)
    if eventlog.looks_like_events([v for _, v in values]):
        return eventlog.read(values, label, notes)
    if len(values) == 1 and isinstance(values[0][1], Mapping) and "changeSummary" in values[0][1]:
        raise InputError(f"{label} is `pulumi preview --json` output, which carries no policy events; "
                         "use --event-log FILE or a stack export")
    raise InputError(f"{label} is neither a stack export nor a Pulumi event log")


def is_large(path: str, threshold: int = 5 * 1024 * 1024) -> Optional[bool]:
    try:
        return os.path.isfile(path) and os.path.getsize(path) >= threshold
    except OSError:
        return False
