"""A stack's resources (their outputs) from what `keyguard access` and `keyguard diff` read.

- a `pulumi stack export` file (what the stack holds);
- a directory with a Pulumi.yaml (the program run under mocks, as `keyguard scan` runs it);
- a Pulumi event log (`--event-log`): each resource's last state its step events carry;
- the JSON of `pulumi preview --json`: its steps' `oldState` (the stack before) and
  `newState` (the stack the preview would leave).

Anything else is an InputError naming the file and the fault.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Dict, List, Optional, Tuple

from ..inputs import InputError
from ..inputs import eventlog, export
from ..inputs.detect import PROJECT_FILES, STDIN, _label, _read_text
from ..model import Resource, Stack

BEFORE, AFTER = "oldState", "newState"
# Step ops after which a resource has a new identity (pulumi's display.StepOp names).
_NEW_IDENTITY = frozenset({"create", "replace", "create-replacement", "delete-replaced", "import",
                           "import-replacement"})


def is_preview(data: Any) -> bool:
    return isinstance(data, Mapping) and "changeSummary" in data and isinstance(data.get("steps", []), list)


def _state_resources(states: List[Tuple[Any, str]], label: str) -> List[Resource]:
    return export.read({"version": 3, "deployment": {"resources": [s for s, _ in states]}}, label)


def preview_states(data: Mapping[str, Any], side: str, label: str) -> List[Resource]:
    """The stack a preview starts from (BEFORE) or would leave (AFTER)."""
    states = []
    for i, step in enumerate(data.get("steps") or ()):
        if not isinstance(step, Mapping):
            raise InputError(f"{label}: steps[{i}] must be an object")
        state = step.get(side)
        if state is None:
            continue  # created (no old state) or deleted (no new state)
        if not isinstance(state, Mapping):
            raise InputError(f"{label}: steps[{i}].{side} must be an object")
        if side == AFTER and "outputs" not in state:
            # A preview's new state carries inputs only (CLI 3.274.1). A resource that is kept
            # keeps its computed outputs (ARN, id, name), so they come from its old state; a
            # new or replaced one has none yet, and what names it stays unknown.
            old = step.get(BEFORE)
            kept = step.get("op") not in _NEW_IDENTITY and isinstance(old, Mapping)
            outputs = dict(old.get("outputs") or {}) if kept and isinstance(old, Mapping) else {}
            outputs.update(state.get("inputs") or {})
            state = {**state, "outputs": outputs}
            if kept and isinstance(old, Mapping) and "id" in old:
                state.setdefault("id", old["id"])
        states.append((state, f"steps[{i}]"))
    return _state_resources(states, label)


def _eventlog_states(values: List[Any], label: str) -> List[Resource]:
    last: Dict[str, Any] = {}
    for v in values:
        for kind in ("resOutputsEvent", "resourcePreEvent"):
            ev = v.get(kind) if isinstance(v, Mapping) else None
            meta = ev.get("metadata") if isinstance(ev, Mapping) else None
            if not isinstance(meta, Mapping):
                continue
            new = meta.get("new")
            urn = meta.get("urn")
            if isinstance(new, Mapping) and isinstance(urn, str):
                # A preview's step carries inputs only; an update's outputs event carries both.
                if not new.get("outputs") and isinstance(new.get("inputs"), Mapping):
                    new = {**new, "outputs": new["inputs"]}
                last[urn] = new
            elif meta.get("op") == "delete" and isinstance(urn, str):
                last.pop(urn, None)
    return _state_resources([(s, u) for u, s in last.items()], label)


def read(path: str, program: Any = None, side: str = AFTER) -> Tuple[Stack, str]:
    """The stack at `path` and what kind of input it was ("export", "program", "event-log", "preview")."""
    if path != STDIN and os.path.isdir(path):
        if not any(os.path.isfile(os.path.join(path, f)) for f in PROJECT_FILES):
            raise InputError(f"{path} is a directory without a Pulumi.yaml")
        from ..inputs.program import ProgramOptions, run

        return Stack(run(path, program or ProgramOptions()).resources), "program"
    if path != STDIN and not os.path.exists(path):
        raise InputError(f"input not found: {path}")
    label = _label(path)
    text = _read_text(path)
    try:
        values = [v for _, v in eventlog.json_values(text)]
    except ValueError as e:
        raise InputError(f"{label} is not JSON: {e}") from None
    if len(values) == 1 and export.is_export(values[0]):
        return Stack(export.read(values[0], label)), "export"
    if len(values) == 1 and is_preview(values[0]):
        return Stack(preview_states(values[0], side, label)), "preview"
    if values and eventlog.looks_like_events(values):
        return Stack(_eventlog_states(values, label)), "event-log"
    raise InputError(f"{label} is neither a stack export, an event log, a program nor `pulumi preview --json` output")


def preview_pair(path: str) -> Optional[Tuple[Stack, Stack]]:
    """(before, after) when `path` is `pulumi preview --json` output, else None."""
    if path == STDIN or os.path.isdir(path) or not os.path.isfile(path):
        return None
    text = _read_text(path)
    try:
        values = [v for _, v in eventlog.json_values(text)]
    except ValueError:
        return None
    if len(values) == 1 and is_preview(values[0]):
        label = _label(path)
        return Stack(preview_states(values[0], BEFORE, label)), Stack(preview_states(values[0], AFTER, label))
    return None
