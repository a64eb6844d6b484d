"""`make bench`: what the pack costs every preview and every scan, measured end to end.

- start-up: process start to port printed, and to the first GetAnalyzerInfo answered,
  for keyguard and for a null Python pack (one policy that does nothing);
- Analyze calls per second over a realistic resource mix, for keyguard (its routing
  servicer, the only one it starts on) and the null pack, sequentially and with 4
  concurrent callers;
- AnalyzeStack time for about 200 resources, and for 1,000 and
  10,000 resources of a generated stack export's mix (routing servicer);
- `keyguard scan --format json` on generated exports of 1,000, 10,000 and 100,000
  resources, against the `json.load` floor of the same file, with peak RSS;
- a deployed stack of 3,000 resources around 300 roles, users and groups (`principal_stack`):
  AnalyzeStack through the routing servicer (every stack rule plus the IAM stack phase,
  which builds the principal model once), and the scanner's in-process evaluation of
  every rule over it;
- the heaviest imports at start-up (`-X importtime`);
- `pulumi policy analyze` wall time on a 1,000-resource stack with a no-op pack, keyguard
  and AwsGuard, through the real CLI (benchmarks/analyze.py).

Results are printed, not written: they depend on the machine.
Usage: python -m benchmarks [--quick]   (--quick: fewer rounds, exports up to 10,000)
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Dict, List, Optional

from tests.engine.harness import ENGINE_ENV, VENV_PYTHON, PackProcess

from .workload import principal_stack, resource_mix, stack, stack_from_export, write_export

REPO = Path(__file__).resolve().parent.parent

# A pack that does nothing: what any Python pack costs before its rules do anything.
NULL_PACK = """from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy

PolicyPack(name="null", enforcement_level=EnforcementLevel.ADVISORY, policies=[
    ResourceValidationPolicy(name="null-policy", description="does nothing",
                             validate=lambda args, report_violation: None)])
"""


def null_pack_dir(tmp: Path) -> Path:
    root = tmp / "null-pack"
    root.mkdir(exist_ok=True)
    (root / "__main__.py").write_text(NULL_PACK)
    (root / "PulumiPolicy.yaml").write_text("runtime: python\nversion: 0.0.1\n")
    return root


def startups(runs: int, roots: Dict[str, Path]) -> Dict[str, Dict[str, float]]:
    """Median start-up per pack, the packs taking turns run by run."""
    to_port: Dict[str, List[float]] = {name: [] for name in roots}
    to_info: Dict[str, List[float]] = {name: [] for name in roots}
    for _ in range(runs):
        for name, root in roots.items():
            with PackProcess(root=root) as pack:
                to_port[name].append(pack.port_seconds)
                pack.analyzer_info()
                to_info[name].append(time.perf_counter() - pack.started_at)
    return {name: {"port_ms": statistics.median(to_port[name]) * 1000,
                   "info_ms": statistics.median(to_info[name]) * 1000} for name in roots}


def analyze_rates(packs: Dict[str, dict], calls: int, rounds: int, callers: int = 1) -> Dict[str, float]:
    """Analyze calls per second for each pack (name -> PackProcess arguments), best of
    `rounds` passes over `calls` requests. The packs run side by side and take turns
    round by round, so a load spike on the shared machine hits them alike. With
    `callers` threads, each sends its share of the requests at the same time."""
    resources = resource_mix(calls)
    requests = [r.analyze_request() for r in resources]  # marshal once: measure the pack, not us
    shares = [requests[i::callers] for i in range(callers)]
    best = {name: 0.0 for name in packs}
    procs = {name: PackProcess(**kwargs) for name, kwargs in packs.items()}
    try:
        for pack in procs.values():
            pack.start()
            pack.boot()
            for r in resources[:20]:  # warm-up: first-call imports and gRPC channel set-up
                pack.analyze(r)
        for _ in range(rounds):
            for name, pack in procs.items():
                def send(share, stub=pack.stub) -> None:
                    for req in share:
                        stub.Analyze(req)
                threads = [threading.Thread(target=send, args=(share,)) for share in shares]
                t0 = time.perf_counter()
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                best[name] = max(best[name], len(requests) / (time.perf_counter() - t0))
    finally:
        for pack in procs.values():
            pack.close()
    return best


def servicer_us_per_call(calls: int, rounds: int) -> Dict[str, float]:
    """The pack's own work per Analyze, without gRPC: the servicer called in-process
    on the requests (best of `rounds`), in microseconds per call."""
    from pulumi_policy import EnforcementLevel

    from policypack import crossguard, routing
    from policypack.registry import PACK_NAME

    os.environ.update(ENGINE_ENV)  # the same per-request runtime settings as in the process
    classes = {"routing": routing.servicer_class()}
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


def analyze_stack_ms(size: int, rounds: int, resources: Optional[list] = None) -> float:
    from tests.engine.harness import pb

    resources = resources if resources is not None else stack(size)
    req = pb.AnalyzeStackRequest(resources=[r.stack_resource() for r in resources])
    times: List[float] = []
    with PackProcess() as pack:
        pack.boot()
        pack.stub.AnalyzeStack(req)
        for _ in range(rounds):
            t0 = time.perf_counter()
            pack.stub.AnalyzeStack(req)
            times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def principal_stack_ms(rounds: int, size: int = 3000, principals: int = 300) -> Dict[str, float]:
    """The 3,000-resource, 300-principal stack: AnalyzeStack (routing servicer, median) and the
    scanner's evaluate() of every rule in-process (best of `rounds`), in milliseconds."""
    from tests.engine.harness import marshal

    from policypack.evaluate import evaluate
    from policypack.model import Resource, from_engine
    from policypack.registry import RULES

    resources = principal_stack(size, principals)
    analyze_ms = analyze_stack_ms(size, rounds, resources)
    model = [Resource(type=r.type, name=r.name, urn=r.urn, props=from_engine(marshal(r.props)),
                      dependencies=tuple(r.dependencies),
                      property_dependencies={k: tuple(v) for k, v in r.property_dependencies.items()})
             for r in resources]
    evaluate(model, RULES)  # warm-up: IAM database and caches
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        evaluate(model, RULES)
        best = min(best, time.perf_counter() - t0)
    # keyguard access and keyguard diff of the same stack (diff: against itself, so both sides
    # are analysed in full), each on fresh Stack objects as a new command would build them.
    from policypack.access.diff import diff
    from policypack.access.reach import analyse
    from policypack.model import Stack

    access_best = diff_best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        analyse(Stack(model))
        access_best = min(access_best, time.perf_counter() - t0)
        t0 = time.perf_counter()
        diff(Stack(model), Stack(model))
        diff_best = min(diff_best, time.perf_counter() - t0)
    return {"resources": len(resources), "analyze_stack_ms": analyze_ms,
            "scan_ms": best * 1000, "access_ms": access_best * 1000, "diff_ms": diff_best * 1000}


_FLOOR = "import json, sys, time; t = time.perf_counter(); json.load(open(sys.argv[1])); print(time.perf_counter() - t)"
# Peak RSS from VmHWM: getrusage's ru_maxrss survives exec, so a child forked from this
# (large) process would report the parent's size.
_SCAN = ("import sys; from policypack.cli import main; code = main(sys.argv[1:]); "
         "hwm = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')]; "
         "print(hwm[0], file=sys.stderr); sys.exit(0 if code < 2 else code)")


def scan_at_scale(sizes: List[int], tmp: Path) -> List[Dict[str, float]]:
    """`keyguard scan --format json` on generated exports, each in a fresh process as a user runs
    it (interpreter start included), against `json.load` of the same file in another."""
    rows = []
    for n in sizes:
        path = tmp / f"export-{n}.json"
        write_export(n, path)
        floor = float(subprocess.run([str(VENV_PYTHON), "-c", _FLOOR, str(path)], check=True,
                                     capture_output=True, text=True).stdout)
        t0 = time.perf_counter()
        proc = subprocess.run([str(VENV_PYTHON), "-c", _SCAN, "scan", str(path), "--format", "json",
                               "--output", str(tmp / f"report-{n}.json")], capture_output=True, text=True)
        seconds = time.perf_counter() - t0
        if proc.returncode != 0:
            raise RuntimeError(f"scan of {n} resources failed: {proc.stderr.strip()}")
        rss_kib = int(proc.stderr.strip().splitlines()[-1])
        rows.append({"n": n, "bytes": path.stat().st_size, "floor": floor, "scan": seconds, "rss_mib": rss_kib / 1024})
        path.unlink()
    return rows


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
    sizes = [1000, 10000] if quick else [1000, 10000, 100000]

    with tempfile.TemporaryDirectory(prefix="keyguard-bench-") as tmp_name:
        tmp = Path(tmp_name)
        null = null_pack_dir(tmp)
        starts = startups(runs, {"keyguard": REPO, "null": null})
        s, s_null = starts["keyguard"], starts["null"]
        packs = {"routing": {}, "null": {"root": null}}
        rates = analyze_rates(packs, calls, rounds)
        rates4 = analyze_rates({k: packs[k] for k in ("routing", "null")}, calls, rounds, callers=4)
        work = servicer_us_per_call(calls, rounds)
        stacks = {"routing": analyze_stack_ms(size, rounds)}
        big_stacks = {n: analyze_stack_ms(n, 3, stack_from_export(n)) for n in (1000, 10000)}
        scans = scan_at_scale(sizes, tmp)
        principals = principal_stack_ms(rounds)
        imports = heaviest_imports()

    w = 52
    print(f"{'keyguard pack benchmark':<{w}} value")
    print("-" * (w + 22))
    print(f"{'start-up to port printed (median of ' + str(runs) + ')':<{w}} {s['port_ms']:8.0f} ms "
          f"(null pack {s_null['port_ms']:.0f} ms)")
    print(f"{'start-up to GetAnalyzerInfo answered':<{w}} {s['info_ms']:8.0f} ms "
          f"(null pack {s_null['info_ms']:.0f} ms)")
    print(f"{'Analyze, routing servicer (' + str(calls) + ' calls)':<{w}} {rates['routing']:8.0f} calls/s")
    print(f"{'Analyze, null pack':<{w}} {rates['null']:8.0f} calls/s")
    print(f"{'Analyze ratio routing / null pack':<{w}} {rates['routing'] / rates['null']:8.2f} x")
    print(f"{'Analyze, 4 callers, routing':<{w}} {rates4['routing']:8.0f} calls/s")
    print(f"{'Analyze, 4 callers, null pack':<{w}} {rates4['null']:8.0f} calls/s")
    print(f"{'Analyze ratio routing / null pack, 4 callers':<{w}} {rates4['routing'] / rates4['null']:8.2f} x")
    print(f"{'pack work per Analyze, routing (no gRPC)':<{w}} {work['routing']:8.0f} us")
    print(f"{'AnalyzeStack ' + str(size + 1) + ' resources, routing (median)':<{w}} {stacks['routing']:8.1f} ms")
    for n, ms in big_stacks.items():
        print(f"{'AnalyzeStack ' + format(n, ',') + ' resources (export mix), routing':<{w}} {ms:8.0f} ms")
    print(f"{'AnalyzeStack growth 1,000 -> 10,000':<{w}} {big_stacks[10000] / big_stacks[1000]:8.1f} x")
    print()
    print("keyguard scan --format json on generated exports (fresh process each):")
    print(f"  {'resources':>10} {'size':>9} {'json.load':>10} {'scan':>9} {'x floor':>8} {'peak RSS':>10}")
    for r in scans:
        print(f"  {r['n']:>10,} {r['bytes'] / 2 ** 20:>7.1f}MB {r['floor']:>9.2f}s {r['scan']:>8.2f}s "
              f"{r['scan'] / r['floor']:>7.1f}x {r['rss_mib']:>7.0f} MiB")
    for a, b in zip(scans, scans[1:]):
        print(f"  growth {a['n']:,} -> {b['n']:,}: {b['scan'] / a['scan']:.1f}x "
              f"(marginal {(b['scan'] - a['scan']) / (b['n'] - a['n']) * 1e6:.0f} us per resource)")
    n = principals["resources"]
    print(f"{'AnalyzeStack ' + str(n) + ' resources, 300 principals':<{w}} {principals['analyze_stack_ms']:8.1f} ms")
    print(f"{'scan evaluate() of the same stack, all rules':<{w}} {principals['scan_ms']:8.1f} ms")
    print(f"{'keyguard access analysis of the same stack':<{w}} {principals['access_ms']:8.1f} ms "
          f"({principals['access_ms'] / principals['scan_ms']:.2f}x scan)")
    print(f"{'keyguard diff of the same stack against itself':<{w}} {principals['diff_ms']:8.1f} ms "
          f"({principals['diff_ms'] / principals['scan_ms']:.2f}x scan)")
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
