"""`make bench`: what the pack costs every preview, measured through the engine harness.

- start-up: process start to port printed, and to the first GetAnalyzerInfo answered;
- Analyze calls per second over a realistic resource mix, for keyguard's routing
  servicer and for pulumi-policy's stock one (KEYGUARD_ROUTING=0), and their ratio;
- AnalyzeStack time for a stack of about 200 resources, both servicers;
- the heaviest imports at start-up (`-X importtime`);
- `pulumi policy analyze` wall time on a 1,000-resource stack with a no-op pack, keyguard
  and AwsGuard, through the real CLI (benchmarks/analyze.py).

Results are printed, not written: they depend on the machine.
Usage: python -m benchmarks [--quick]
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from typing import Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from engine_harness import ENGINE_ENV, PackProcess  # noqa: E402

from .workload import resource_mix, stack  # noqa: E402


def startup(runs: int) -> Dict[str, float]:
    to_port: List[float] = []
    to_info: List[float] = []
    for _ in range(runs):
        with PackProcess() as pack:
            to_port.append(pack.port_seconds)
            pack.analyzer_info()
            to_info.append(time.perf_counter() - pack.started_at)
    return {"port_ms": statistics.median(to_port) * 1000, "info_ms": statistics.median(to_info) * 1000}


def analyze_rate(routing: bool, calls: int, rounds: int) -> float:
    """Best of `rounds` passes over `calls` Analyze requests, in calls per second."""
    resources = resource_mix(calls)
    requests = [r.analyze_request() for r in resources]  # marshal once: measure the pack, not us
    best = 0.0
    with PackProcess(routing=routing) as pack:
        pack.boot()
        for r in resources[:20]:  # warm-up: first-call imports and gRPC channel set-up
            pack.analyze(r)
        for _ in range(rounds):
            t0 = time.perf_counter()
            for req in requests:
                pack.stub.Analyze(req)
            best = max(best, len(requests) / (time.perf_counter() - t0))
    return best


def servicer_us_per_call(calls: int, rounds: int) -> Dict[str, float]:
    """The pack's own work per Analyze, without gRPC: both servicers called in-process
    on the same requests (best of `rounds`), in microseconds per call."""
    from pulumi_policy import EnforcementLevel
    from pulumi_policy import policy as sdk

    from policypack import crossguard
    from policypack.registry import PACK_NAME

    os.environ.update(ENGINE_ENV)  # the same per-request runtime settings as in the process
    stock_cls = sdk._PolicyAnalyzerServicer
    classes = {"routing": crossguard._make_routing_servicer(), "stock": stock_cls}
    requests = [r.analyze_request() for r in resource_mix(calls)]
    out: Dict[str, float] = {}
    for mode, cls in classes.items():
        servicer = cls(PACK_NAME, "0.0.1", crossguard.build_policies(), EnforcementLevel.ADVISORY)
        best = float("inf")
        for _ in range(rounds):
            t0 = time.perf_counter()
            for req in requests:
                servicer.Analyze(req, None)
            best = min(best, (time.perf_counter() - t0) / len(requests))
        out[mode] = best * 1e6
    return out


def analyze_stack_ms(routing: bool, size: int, rounds: int) -> float:
    from engine_harness import pb

    resources = stack(size)
    req = pb.AnalyzeStackRequest(resources=[r.stack_resource() for r in resources])
    times: List[float] = []
    with PackProcess(routing=routing) as pack:
        pack.boot()
        pack.stub.AnalyzeStack(req)
        for _ in range(rounds):
            t0 = time.perf_counter()
            pack.stub.AnalyzeStack(req)
            times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def heaviest_imports(top: int = 6) -> List[tuple]:
    """Top-level packages by cumulative import time during start-up (microseconds)."""
    with PackProcess(python_flags=["-X", "importtime"]) as pack:
        pack.analyzer_info()
        text = pack.stderr_text()
    totals: Dict[str, int] = {}
    for line in text.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = (p.strip() for p in line.split(":", 1)[1].split("|"))
        top_name = name.split(".")[0]
        # A package's largest cumulative figure is its own import, children included.
        totals[top_name] = max(totals.get(top_name, 0), int(cumulative))
    return sorted(totals.items(), key=lambda kv: -kv[1])[:top]


def main(argv: List[str]) -> int:
    quick = "--quick" in argv
    runs, calls, rounds, size = (3, 100, 2, 200) if quick else (7, 400, 5, 200)

    s = startup(runs)
    rates = {mode: analyze_rate(mode == "routing", calls, rounds) for mode in ("routing", "stock")}
    work = servicer_us_per_call(calls, rounds)
    stacks = {mode: analyze_stack_ms(mode == "routing", size, rounds) for mode in ("routing", "stock")}
    imports = heaviest_imports()

    w = 46
    print(f"{'keyguard pack benchmark':<{w}} value")
    print("-" * (w + 16))
    print(f"{'start-up to port printed (median of ' + str(runs) + ')':<{w}} {s['port_ms']:8.0f} ms")
    print(f"{'start-up to GetAnalyzerInfo answered':<{w}} {s['info_ms']:8.0f} ms")
    print(f"{'Analyze, routing servicer (' + str(calls) + ' calls)':<{w}} {rates['routing']:8.0f} calls/s")
    print(f"{'Analyze, pulumi-policy servicer':<{w}} {rates['stock']:8.0f} calls/s")
    print(f"{'Analyze ratio routing / stock':<{w}} {rates['routing'] / rates['stock']:8.2f} x")
    print(f"{'pack work per Analyze, routing (no gRPC)':<{w}} {work['routing']:8.0f} us")
    print(f"{'pack work per Analyze, stock (no gRPC)':<{w}} {work['stock']:8.0f} us")
    print(f"{'pack work ratio stock / routing':<{w}} {work['stock'] / work['routing']:8.2f} x")
    print(f"{'AnalyzeStack ' + str(size + 1) + ' resources, routing (median)':<{w}} {stacks['routing']:8.1f} ms")
    print(f"{'AnalyzeStack ' + str(size + 1) + ' resources, stock (median)':<{w}} {stacks['stock']:8.1f} ms")
    print()
    print("heaviest top-level imports at start-up (cumulative):")
    for name, us in imports:
        print(f"  {name:<30} {us / 1000:8.1f} ms")
    print()
    # The same pack inside the real engine, next to no pack and AwsGuard.
    from . import analyze

    return analyze.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
