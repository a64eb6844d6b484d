"""Child process of `run_program`: run one Pulumi program under mocks and dump what it registered.

Usage: python -m policypack.inputs._mockrun MAIN PROJECT STACK OUT_JSON

A program can be run only once per process (module state in the SDK and in
the program), so the parent starts this module afresh for every run. The
config is read from PULUMI_CONFIG, which the parent sets, before the runtime
is configured. The output file gets one JSON object: {"resources": [...]},
each entry shaped like a resource of `pulumi stack export` (type, urn, id,
outputs, parent, dependencies, propertyDependencies, additionalSecretOutputs).
"""
from __future__ import annotations

import json
import os
import runpy
import sys
from typing import Any, Dict, List

import pulumi
from pulumi.runtime import mocks as pmocks
from pulumi.runtime import rpc

from ..model import STACK_TYPE
from ._mockvalues import RealisticMocks


class RecordingMonitor(pmocks.MockMonitor):
    """The SDK's mock monitor, plus what the engine would keep in state and hand to AnalyzeStack."""

    def __init__(self, mocks: pmocks.Mocks) -> None:
        super().__init__(mocks)
        self.records: Dict[str, Dict[str, Any]] = {}
        self.stack_outputs: Dict[str, Any] = {}

    def RegisterResource(self, request):
        response = super().RegisterResource(request)
        urn = response.urn
        reg = self.resources.get(urn)
        self.records[urn] = {
            "urn": urn,
            "type": request.type,
            "custom": bool(request.custom),
            "id": reg.id if reg else None,
            "inputs": rpc.deserialize_properties(request.object) or {},
            "outputs": dict(reg.state) if reg else {},
            "parent": request.parent or None,
            "dependencies": list(request.dependencies),
            "propertyDependencies": {k: list(v.urns) for k, v in request.propertyDependencies.items()},
            "additionalSecretOutputs": list(request.additionalSecretOutputs),
        }
        return response

    def RegisterResourceOutputs(self, request):
        if request.urn.split("::")[2:3] == [STACK_TYPE]:
            # The mocks register an empty root first; keep every output any registration carried.
            self.stack_outputs.update(rpc.deserialize_properties(request.outputs) or {})
        return super().RegisterResourceOutputs(request)

    def dump(self) -> List[Dict[str, Any]]:
        out = []
        for rec in self.records.values():
            if rec["type"] == STACK_TYPE:
                rec = dict(rec, outputs=dict(self.stack_outputs), inputs=None, id=None)
            out.append(rec)
        return out


def _jsonable(value: Any) -> Any:
    """Program values the JSON encoder does not know: assets, archives, resources."""
    if isinstance(value, (pulumi.Asset, pulumi.Archive)):
        kind = "asset" if isinstance(value, pulumi.Asset) else "archive"
        where = getattr(value, "path", None) or getattr(value, "uri", None) or getattr(value, "text", None)
        return {"kind": kind, "source": where if isinstance(where, str) else None}
    if isinstance(value, pulumi.Resource):
        return getattr(value, "_name", None) or repr(value)
    return repr(value)


def main(argv: List[str]) -> int:
    main_path, project, stack, out_path = argv
    mocks = RealisticMocks(json.loads(os.environ.get("PULUMI_CONFIG") or "{}"))
    monitor = RecordingMonitor(mocks)
    pulumi.runtime.set_mocks(mocks, project, stack, preview=False, monitor=monitor)

    from pulumi.runtime import settings as psettings
    from pulumi.runtime.stack import run_in_stack
    from pulumi.runtime.sync_await import _sync_await

    # Run the program as the language host does: inside a fresh root stack, which
    # registers the exports when the program ends, then wait for every RPC.
    psettings.set_root_resource(None)  # type: ignore[arg-type]
    if os.path.isfile(main_path):
        sys.path.insert(0, os.path.dirname(main_path))  # runpy does this itself for a directory
    _sync_await(run_in_stack(lambda: runpy.run_path(main_path, run_name="__main__")))

    with open(out_path, "w", encoding="utf-8") as fh:
        json.dump({"resources": monitor.dump()}, fh, default=_jsonable)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BaseException as exc:  # noqa: BLE001 - the parent shows one line
        if isinstance(exc, SystemExit) and exc.code in (0, None):
            raise
        line = (str(exc).strip().splitlines() or [""])[0]
        sys.stderr.write(f"{type(exc).__name__}: {line}"[:400] + "\n")
        sys.exit(3)
