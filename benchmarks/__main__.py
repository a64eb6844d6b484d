"""`make bench`: what the pack costs every preview and every scan, measured end to end.

- start-up: process start to port printed, and to the first GetAnalyzerInfo answered,
  for keyguard, a null Python pack (one policy that does nothing) and AwsGuard;
- Analyze calls per second over a light resource mix (most types judged by no rule), for
  keyguard (its routing servicer, the only one it starts on) and the null pack, sequentially
  and with 4 concurrent callers;
- the same over issue 23's realistic mix (`workload.analyze_mix`: requests spread evenly over
  the fifteen types keyguard judges, with key, trust and identity policies), for keyguard,
  the null pack and AwsGuard (benchmarks/yardstick.py), sequentially and with 4 callers;
- the pack's own CPU per Analyze, in-process, on both mixes;
- AnalyzeStack time for about 200 resources, and for 2,000 and
  8,000 resources of a generated stack export's mix (routing servicer): growth per 4x, in
  wall time and in the pack's CPU;
- `keyguard scan --format json` on generated exports of 1,000, 10,000 and 100,000
  resources, against the `json.load` floor of the same file, with peak RSS against its, with
  policypack's bytecode compiled and the caches of derived data written (as a user's scans run
  after pip's install and their first scan), and a machine's first scan without those caches;
  the same scans with every policy disabled (the null pack's counterpart: what start-up,
  reading, decoding and the report cost before any rule runs);
  and, up to 10,000 resources, the scan's CPU phase by phase (benchmarks/phases.py);
- a deployed stack of 3,000 resources around 300 roles, users and groups (`principal_stack`):
  AnalyzeStack through the routing servicer (every stack rule plus the IAM stack phase,
  which builds the principal model once), and the scanner's in-process evaluation of
  every rule over it;
- `keyguard access` and `keyguard diff` on a 10,000-resource export, when the build has them;
- the CPU to get the IAM action index in a fresh process, without and with its cache;
- the heaviest imports at start-up (`-X importtime`);
- issue 23's goals as ratios within this one run, each marked holds or MISSED, with the
  rules loaded per provider family and the load average (the cores are shared);
- `pulumi policy analyze` wall time on a 1,000-resource stack with a no-op pack, keyguard
  and AwsGuard, through the real CLI (benchmarks/analyze.py).

Results are printed, not written: they depend on the machine.
Usage: python -m benchmarks [--quick]   (--quick: fewer rounds, exports up to 10,000)
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

from tests.engine.harness import ENGINE_ENV, VENV_PYTHON, PackProcess, Res

from . import yardstick
from .phases import scan_phases
from .workload import (
    analyze_mix,
    principal_stack,
    resource_mix,
    stack,
    stack_from_export,
    write_export,
)

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


Factory = Callable[[], PackProcess]


def startups(runs: int, packs: Dict[str, Factory]) -> Dict[str, Dict[str, float]]:
    """Median start-up per pack, the packs taking turns run by run."""
    to_port: Dict[str, List[float]] = {name: [] for name in packs}
    to_info: Dict[str, List[float]] = {name: [] for name in packs}
    for _ in range(runs):
        for name, factory in packs.items():
            with factory() as pack:
                to_port[name].append(pack.port_seconds)
                pack.analyzer_info()
                to_info[name].append(time.perf_counter() - pack.started_at)
    return {name: {"port_ms": statistics.median(to_port[name]) * 1000,
                   "info_ms": statistics.median(to_info[name]) * 1000} for name in packs}


def _process_cpu(pid: int) -> float:
    """User and system CPU seconds of a process so far (/proc/PID/stat, clock ticks)."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def analyze_rates(packs: Dict[str, Factory], resources: List[Res], rounds: int, callers: int = 1,
                  cpu_us: Optional[Dict[str, float]] = None) -> Dict[str, float]:
    """Analyze calls per second for each pack, best of `rounds` passes over the requests of
    `resources`. The packs run side by side and take turns round by round, so a load spike
    on the shared machine hits them alike. With `callers` threads, each sends its share of
    the requests at the same time. `cpu_us`, when given, receives each pack process's CPU
    per request (least over the rounds): what other jobs on the cores do not change."""
    requests = [r.analyze_request() for r in resources]  # marshal once: measure the pack, not us
    shares = [requests[i::callers] for i in range(callers)]
    best = {name: 0.0 for name in packs}
    procs = {name: factory() for name, factory in packs.items()}
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
                c0 = _process_cpu(pack.proc.pid)
                t0 = time.perf_counter()
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                best[name] = max(best[name], len(requests) / (time.perf_counter() - t0))
                if cpu_us is not None:
                    used = (_process_cpu(pack.proc.pid) - c0) / len(requests) * 1e6
                    cpu_us[name] = min(cpu_us.get(name, used), used)
    finally:
        for pack in procs.values():
            pack.close()
    return best


def servicer_us_per_call(resources: List[Res], rounds: int) -> Dict[str, float]:
    """The pack's own work per Analyze, without gRPC: the servicer called in-process on the
    requests (best of `rounds`), in microseconds of CPU per call."""
    from pulumi_policy import EnforcementLevel

    from policypack import crossguard, routing
    from policypack.registry import PACK_NAME

    os.environ.update(ENGINE_ENV)  # the same per-request runtime settings as in the process
    classes = {"routing": routing.servicer_class()}
    requests = [r.analyze_request() for r in resources]
    out: Dict[str, float] = {}
    for mode, cls in classes.items():
        servicer = cls(PACK_NAME, "0.0.1", crossguard.build_policies(), EnforcementLevel.ADVISORY)
        for req in requests[:50]:  # first-use imports and databases
            servicer.Analyze(req, None)
        best = float("inf")
        for _ in range(rounds):
            t0 = time.process_time()  # CPU, not wall: other jobs on the cores do not count
            for req in requests:
                servicer.Analyze(req, None)
            best = min(best, (time.process_time() - t0) / len(requests))
        out[mode] = best * 1e6
    return out


def analyze_cpu_split(resources: List[Res], callers: int = 4) -> Dict[str, Dict[str, float]]:
    """Where an Analyze request's CPU goes under `callers` concurrent callers: the servicer
    behind a real gRPC server (pulumi-policy's: 4 worker threads) in this process, called
    over loopback; microseconds of CPU per request for the whole process (client, gRPC,
    protobuf and servicer) and for the servicer's Analyze alone (its threads' CPU). What is
    left is gRPC's and the client's, which no pack can remove."""
    from concurrent import futures

    import grpc
    from tests.engine.harness import pb_grpc
    from pulumi_policy import EnforcementLevel

    from policypack import crossguard, routing
    from policypack.registry import PACK_NAME

    os.environ.update(ENGINE_ENV)
    requests = [r.analyze_request() for r in resources]
    shares = [requests[i::callers] for i in range(callers)]
    out: Dict[str, Dict[str, float]] = {}
    for mode, cls in (("routing", routing.servicer_class()),):
        servicer = cls(PACK_NAME, "0.0.1", crossguard.build_policies(), EnforcementLevel.ADVISORY)
        inside = [0.0]
        lock = threading.Lock()
        analyze = servicer.Analyze

        def timed(req, ctx, analyze=analyze, inside=inside, lock=lock):
            t = time.thread_time()
            resp = analyze(req, ctx)
            spent = time.thread_time() - t
            with lock:
                inside[0] += spent
            return resp
        servicer.Analyze = timed
        server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        pb_grpc.add_AnalyzerServicer_to_server(servicer, server)
        port = server.add_insecure_port("127.0.0.1:0")
        server.start()
        channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        stub = pb_grpc.AnalyzerStub(channel)
        try:
            for req in requests[:50]:
                stub.Analyze(req)
            inside[0] = 0.0
            c0, w0 = time.process_time(), time.perf_counter()
            threads = [threading.Thread(target=lambda share=share: [stub.Analyze(r) for r in share])
                       for share in shares]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            cpu, wall = time.process_time() - c0, time.perf_counter() - w0
        finally:
            channel.close()
            server.stop(0)
        out[mode] = {"process_us": cpu / len(requests) * 1e6, "servicer_us": inside[0] / len(requests) * 1e6,
                     "rate": len(requests) / wall}
    return out


def analyze_stack_times(size: int, rounds: int, resources: Optional[list] = None) -> Dict[str, float]:
    """AnalyzeStack of one stack, `rounds` times after a warm-up call: the median wall time
    and the mean CPU the pack process spent on a call, in milliseconds. The CPU is what a
    busy neighbour on the shared cores inflates much less: one run's median of three calls at
    8,000 resources has read a third above the runs just after it. It is read over all the
    calls at once, since /proc counts it in clock ticks (10 ms, a tenth of a small stack's
    call), and the pack is idle between calls."""
    from tests.engine.harness import pb

    resources = resources if resources is not None else stack(size)
    req = pb.AnalyzeStackRequest(resources=[r.stack_resource() for r in resources])
    times: List[float] = []
    with PackProcess() as pack:
        pack.boot()
        pack.stub.AnalyzeStack(req)
        c0 = _process_cpu(pack.proc.pid)
        for _ in range(rounds):
            t0 = time.perf_counter()
            pack.stub.AnalyzeStack(req)
            times.append(time.perf_counter() - t0)
        cpu = _process_cpu(pack.proc.pid) - c0
    return {"ms": statistics.median(times) * 1000, "cpu_ms": cpu / rounds * 1000}


def principal_stack_ms(rounds: int, size: int = 3000, principals: int = 300) -> Dict[str, float]:
    """The 3,000-resource, 300-principal stack: AnalyzeStack (routing servicer, median) and the
    scanner's evaluate() of every rule in-process (best of `rounds`), in milliseconds."""
    from tests.engine.harness import marshal

    from policypack.evaluate import evaluate
    from policypack.model import Resource, from_engine
    from policypack.registry import RULES

    resources = principal_stack(size, principals)
    analyze_ms = analyze_stack_times(size, rounds, resources)["ms"]
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
    return {"resources": len(resources), "analyze_stack_ms": analyze_ms,
            "scan_ms": best * 1000}


_FLOOR = ("import json, sys, time; t = time.perf_counter(); json.load(open(sys.argv[1])); t = time.perf_counter() - t; "
          "hwm = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')]; print(t, hwm[0])")
# Peak RSS from VmHWM: getrusage's ru_maxrss survives exec, so a child forked from this
# (large) process would report the parent's size.
_SCAN = ("import sys; from policypack.cli import main; code = main(sys.argv[1:]); "
         "hwm = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')]; "
         "print(hwm[0], file=sys.stderr); sys.exit(0 if code < 2 else code)")


_INDEX = "import time; t = time.process_time(); from policypack.iam import actions; actions._index(); print(time.process_time() - t)"


def cold_iam_index_ms(tmp: Path) -> Dict[str, float]:
    """CPU to get the IAM action index in a fresh process, with no cache (a scan's first run on
    a machine, or a CI runner without a persistent home) and with the cache the first run wrote
    (every later run; the scans below are timed with it)."""
    env = {**os.environ, "KEYGUARD_CACHE_DIR": str(tmp / "iam-cache")}
    runs = [float(subprocess.run([str(VENV_PYTHON), "-c", _INDEX], check=True, capture_output=True, text=True,
                                 env=env).stdout) for _ in range(2)]
    subprocess.run([str(VENV_PYTHON), "-c", _INDEX], check=True, capture_output=True)  # the usual cache, warm
    return {"cold_ms": runs[0] * 1000, "cached_ms": runs[1] * 1000}


def _children_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _scan_process(path: Path, report: Path, env: Optional[Dict[str, str]] = None,
                  config: Optional[Path] = None) -> "subprocess.CompletedProcess[str]":
    extra = ["--config", str(config)] if config else []
    return subprocess.run([str(VENV_PYTHON), "-c", _SCAN, "scan", str(path), "--format", "json",
                           "--output", str(report), *extra], capture_output=True, text=True, env=env)


def _every_policy_disabled(tmp: Path) -> Path:
    """A --policy-pack-config that disables every policy: the scan it gives is the null pack's
    counterpart for `keyguard scan`, what this design costs before any rule judges anything
    (interpreter start, imports, reading, decoding, the report and its writing)."""
    from policypack.registry import RULES

    path = tmp / "every-policy-disabled.json"
    path.write_text(json.dumps({rule.name: "disabled" for rule in RULES}), encoding="utf-8")
    return path


def first_scan(tmp: Path, n: int = 1000) -> Dict[str, float]:
    """A scan in a fresh process with no cache of derived data yet (KEYGUARD_CACHE_DIR empty):
    a machine's first scan, which builds the IAM action index, the framework catalogue, the
    detect-secrets screen and cloudsplaining's lists (policypack/cachefiles.py) and writes
    them for every later scan. The scans of `scan_at_scale` then run with them, as every scan
    but a machine's first does."""
    path = tmp / f"export-first-{n}.json"
    write_export(n, path)
    env = {**os.environ, "KEYGUARD_CACHE_DIR": str(tmp / "first-scan-cache")}
    c0 = _children_cpu()
    t0 = time.perf_counter()
    proc = _scan_process(path, tmp / "report-first.json", env)
    seconds = time.perf_counter() - t0
    cpu = _children_cpu() - c0
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"first scan failed: {proc.stderr.strip()}")
    path.unlink()
    return {"n": n, "scan": seconds, "scan_cpu": cpu}


def scan_at_scale(sizes: List[int], tmp: Path) -> List[Dict[str, float]]:
    """`keyguard scan --format json` on generated exports, each in a fresh process as a user runs
    it (interpreter start included), against `json.load` of the same file in another. A small
    scan first writes the caches of derived data wherever they are missing (see `first_scan`)."""
    warm = tmp / "export-warm.json"
    write_export(50, warm)
    _scan_process(warm, tmp / "report-warm.json")
    warm.unlink()
    rows = []
    no_policies = _every_policy_disabled(tmp)
    for n in sizes:
        path = tmp / f"export-{n}.json"
        write_export(n, path)
        c0 = _children_cpu()
        t0 = time.perf_counter()
        floor_s, floor_kib = subprocess.run([str(VENV_PYTHON), "-c", _FLOOR, str(path)], check=True,
                                            capture_output=True, text=True).stdout.split()
        # The floor's whole process as well: what issue 23 quoted at 1,000 resources (0.03 s),
        # the same start and exit a scan's process pays.
        floor_process = time.perf_counter() - t0
        floor = float(floor_s)
        c1 = _children_cpu()
        t0 = time.perf_counter()
        proc = _scan_process(path, tmp / f"report-{n}.json")
        seconds = time.perf_counter() - t0
        c2 = _children_cpu()
        if proc.returncode != 0:
            raise RuntimeError(f"scan of {n} resources failed: {proc.stderr.strip()}")
        rss_kib = int(proc.stderr.strip().splitlines()[-1])
        t0 = time.perf_counter()
        null = _scan_process(path, tmp / f"report-null-{n}.json", config=no_policies)
        null_seconds = time.perf_counter() - t0
        c3 = _children_cpu()
        if null.returncode != 0:
            raise RuntimeError(f"scan of {n} resources with every policy disabled failed: {null.stderr.strip()}")
        rows.append({"n": n, "bytes": path.stat().st_size, "floor": floor, "floor_process": floor_process,
                     "scan": seconds, "rss_mib": rss_kib / 1024,
                     "floor_rss_mib": int(floor_kib) / 1024,
                     # CPU of the whole process each (interpreter start included): what the shared
                     # cores' other jobs do not inflate as they inflate wall time.
                     "floor_cpu": c1 - c0, "scan_cpu": c2 - c1,
                     "null_scan": null_seconds, "null_scan_cpu": c3 - c2,
                     "phases": scan_phases(path, tmp / f"report-phases-{n}.json") if n <= 10_000 else None})
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


def rules_by_cloud() -> Dict[str, int]:
    """How many rules of each provider family the registry holds: the bench measures the
    pack with whatever rules it has, so a figure is only comparable with its rule count."""
    from policypack.registry import RULES

    out: Dict[str, int] = {}
    for rule in RULES:
        families = {t.split(":", 1)[0] for t in rule.resource_types} or {"any"}
        key = "aws" if families <= {"aws", "pulumi"} else "/".join(sorted(families - {"pulumi"}))
        out[key] = out.get(key, 0) + 1
    return out


def cli_command_times(tmp: Path, n: int = 10000) -> Dict[str, float]:
    """Wall time of `keyguard access` and `keyguard diff` (when this build has them) on a
    generated export of `n` resources, fresh process each; diff compares the export with a
    copy in which every fifth role policy also reads every secret and decrypts with every key."""
    from policypack.cli import _parser

    commands = {a for a in _parser()._subparsers._group_actions[0].choices}  # noqa: SLF001
    wanted = [c for c in ("access", "diff") if c in commands]
    if not wanted:
        return {}
    from .workload import export

    base = tmp / f"base-{n}.json"
    head = tmp / f"head-{n}.json"
    doc = export(n)
    base.write_text(json.dumps(doc))
    wide = {"Sid": "ReadEverySecret", "Effect": "Allow", "Action": ["secretsmanager:GetSecretValue", "kms:Decrypt"],
            "Resource": "*"}
    for k, r in enumerate(x for x in doc["deployment"]["resources"] if x["type"] == "aws:iam/rolePolicy:RolePolicy"):
        if k % 5 == 0:
            policy = json.loads(r["inputs"]["policy"])
            policy["Statement"].append(wide)
            r["inputs"]["policy"] = r["outputs"]["policy"] = json.dumps(policy)
    head.write_text(json.dumps(doc))
    argvs = {"access": ["access", str(base), "--format", "json", "--output", str(tmp / "access.json")],
             "diff": ["diff", str(base), str(head), "--format", "json", "--output", str(tmp / "diff.json"),
                      "--fail-on", "none"]}
    out: Dict[str, float] = {}
    for name in wanted:
        t0 = time.perf_counter()
        proc = subprocess.run([str(VENV_PYTHON), "-m", "policypack.cli", *argvs[name]], capture_output=True, text=True)
        out[name] = time.perf_counter() - t0
        if proc.returncode not in (0, 1):
            raise RuntimeError(f"keyguard {name} failed: {proc.stderr.strip()[-300:]}")
    return out


def _ratio_row(label: str, value: Optional[float], goal: str) -> str:
    if value is None:
        return f"  {label:<58} {'n/a':>7}   {goal:<7} not measured"
    if goal == "-":  # printed beside the goals for reading them, judged by none
        return f"  {label:<58} {value:7.2f}   {goal:<7} no goal"
    bound = float(goal[2:])
    holds = value <= bound if goal.startswith("<=") else value >= bound
    return f"  {label:<58} {value:7.2f}   {goal:<7} {'holds' if holds else 'MISSED'}"


def main(argv: List[str]) -> int:
    quick = "--quick" in argv
    runs, calls, rounds, size = (3, 100, 2, 200) if quick else (7, 400, 5, 200)
    mix_calls = 600 if quick else 3000
    sizes = [1000, 10000] if quick else [1000, 10000, 100000]
    why_no_awsguard = yardstick.available()
    load_before = os.getloadavg()
    # Bytecode as an installed pack has it (pip compiles at install; PYTHONDONTWRITEBYTECODE, set
    # on some CI machines and in this project's sandbox, would otherwise make every process
    # compile policypack's ~150 modules from source: 0.1-0.15 s of each scan). Said in the output.
    subprocess.run([str(VENV_PYTHON), "-m", "compileall", "-q", str(REPO / "policypack")], check=True)

    with tempfile.TemporaryDirectory(prefix="keyguard-bench-") as tmp_name:
        tmp = Path(tmp_name)
        null = null_pack_dir(tmp)
        factories: Dict[str, Factory] = {
            "routing": lambda: PackProcess(),
            "null": lambda: PackProcess(root=null),
        }
        if why_no_awsguard is None:
            factories["AwsGuard"] = yardstick.AwsGuardProcess
        start_packs = {"keyguard": factories["routing"], "null": factories["null"]}
        if "AwsGuard" in factories:
            start_packs["AwsGuard"] = factories["AwsGuard"]
        starts = startups(runs, start_packs)
        s, s_null = starts["keyguard"], starts["null"]
        light = resource_mix(calls)
        rates = analyze_rates({k: factories[k] for k in ("routing", "null")}, light, rounds)
        rates4 = analyze_rates({k: factories[k] for k in ("routing", "null")}, light, rounds, callers=4)
        mix = analyze_mix(mix_calls)
        real_packs = dict(factories)
        # The realistic mix is where the goals are judged: as many rounds as the light one,
        # since on shared cores one round's rate can be half the next one's.
        real_cpu: Dict[str, float] = {}
        real4_cpu: Dict[str, float] = {}
        real = analyze_rates(real_packs, mix, rounds, cpu_us=real_cpu)
        real4 = analyze_rates(real_packs, mix, rounds, callers=4, cpu_us=real4_cpu)
        work = servicer_us_per_call(light, rounds)
        work_mix = servicer_us_per_call(mix, max(2, rounds - 2))
        split = analyze_cpu_split(mix)
        stacks = {"routing": analyze_stack_times(size, rounds)["ms"]}
        big_stacks = {n: analyze_stack_times(n, 5, stack_from_export(n)) for n in (2000, 8000)}
        cold_ms = cold_iam_index_ms(tmp)
        first = first_scan(tmp)
        scans = scan_at_scale(sizes, tmp)
        principals = principal_stack_ms(rounds)
        commands = cli_command_times(tmp)
        imports = heaviest_imports()
    load_after = os.getloadavg()

    w = 52
    print(f"{'keyguard pack benchmark':<{w}} value")
    print("-" * (w + 22))
    print(f"{'rules loaded, by provider family':<{w}} " + ", ".join(f"{k} {v}" for k, v in rules_by_cloud().items()))
    print(f"{'load average before / after (1 min)':<{w}} {load_before[0]:8.1f} / {load_after[0]:.1f}")
    print(f"{'start-up to port printed (median of ' + str(runs) + ')':<{w}} {s['port_ms']:8.0f} ms "
          f"(null pack {s_null['port_ms']:.0f} ms)")
    print(f"{'start-up to GetAnalyzerInfo answered':<{w}} {s['info_ms']:8.0f} ms "
          f"(null pack {s_null['info_ms']:.0f} ms)")
    if "AwsGuard" in starts:
        print(f"{'AwsGuard start-up to GetAnalyzerInfo answered':<{w}} {starts['AwsGuard']['info_ms']:8.0f} ms")
    print(f"{'Analyze, routing servicer (' + str(calls) + ' calls, light mix)':<{w}} {rates['routing']:8.0f} calls/s")
    print(f"{'Analyze, null pack':<{w}} {rates['null']:8.0f} calls/s")
    print(f"{'Analyze ratio routing / null pack':<{w}} {rates['routing'] / rates['null']:8.2f} x")
    print(f"{'Analyze, 4 callers, routing':<{w}} {rates4['routing']:8.0f} calls/s")
    print(f"{'Analyze, 4 callers, null pack':<{w}} {rates4['null']:8.0f} calls/s")
    print(f"{'Analyze ratio routing / null pack, 4 callers':<{w}} {rates4['routing'] / rates4['null']:8.2f} x")
    print(f"{'pack work per Analyze, routing (no gRPC, CPU)':<{w}} {work['routing']:8.0f} us")
    print(f"realistic Analyze mix ({len(mix):,} requests over 15 judged types, issue 23):")
    for name in real:
        print(f"  {name:<{w - 2}} {real[name]:8.0f} calls/s, 4 callers {real4[name]:.0f} calls/s "
              f"({real4[name] / real[name]:.2f}x from concurrency); pack process CPU per request "
              f"{real_cpu[name]:.0f} us, 4 callers {real4_cpu[name]:.0f} us")
    print(f"{'  pack work per Analyze, in-process (CPU)':<{w}} {work_mix['routing']:8.0f} us")
    print("  where a request's CPU goes, 4 callers, server and client in one process (us per request):")
    for mode, row in split.items():
        print(f"    {mode:<10} whole process {row['process_us']:6.0f}, servicer.Analyze {row['servicer_us']:6.0f} "
              f"({row['servicer_us'] / row['process_us']:.0%}), gRPC, protobuf and client "
              f"{row['process_us'] - row['servicer_us']:6.0f}")
    print(f"{'AnalyzeStack ' + str(size + 1) + ' resources, routing (median)':<{w}} {stacks['routing']:8.1f} ms")
    for count, timed in big_stacks.items():
        print(f"{'AnalyzeStack ' + format(count, ',') + ' resources (export mix), routing':<{w}} {timed['ms']:8.0f} ms "
              f"(pack CPU {timed['cpu_ms']:.0f} ms)")
    growth = big_stacks[8000]["ms"] / big_stacks[2000]["ms"]
    growth_cpu = big_stacks[8000]["cpu_ms"] / big_stacks[2000]["cpu_ms"]
    print(f"{'AnalyzeStack growth 2,000 -> 8,000':<{w}} {growth:8.2f} x (pack CPU {growth_cpu:.2f} x)")
    print()
    print("keyguard scan --format json on generated exports (fresh process each):")
    print("  (wall: json.load timed inside its process, the scan as a whole process; CPU: both whole processes)")
    print("  (policypack's bytecode compiled before timing, as pip compiles it at install; the caches of")
    print("   derived data written by an earlier scan, as on a machine after its first scan)")
    print("  (process: json.load's whole process, wall; no policies: the same scan with every policy")
    print("   disabled, the null pack's counterpart: start, imports, reading, decoding, the report)")
    print(f"  {'resources':>10} {'size':>9} {'json.load':>10} {'process':>8} {'scan':>9} {'x floor':>8} "
          f"{'CPU x floor':>12} {'peak RSS':>10} {'x floor':>8} {'no policies':>12} {'x floor':>8}")
    for r in scans:
        print(f"  {r['n']:>10,} {r['bytes'] / 2 ** 20:>7.1f}MB {r['floor']:>9.2f}s {r['floor_process']:>7.2f}s "
              f"{r['scan']:>8.2f}s "
              f"{r['scan'] / r['floor']:>7.1f}x {r['scan_cpu']:>6.2f}/{r['floor_cpu']:.2f}s "
              f"{r['rss_mib']:>7.0f} MiB {r['rss_mib'] / r['floor_rss_mib']:>7.1f}x "
              f"{r['null_scan']:>11.2f}s {r['null_scan'] / r['floor']:>7.1f}x")
    print(f"  a machine's first scan, {first['n']:,} resources, no cache of derived data yet: "
          f"{first['scan']:.2f} s, CPU {first['scan_cpu']:.2f} s")
    print(f"  IAM action index in a fresh process (CPU): {cold_ms['cold_ms']:.0f} ms without its cache, "
          f"{cold_ms['cached_ms']:.0f} ms with it (the scans above ran with it)")
    for r in scans:
        if r.get("phases"):
            print(f"  where {r['n']:,} resources' CPU goes (s; json.load alone {r['floor']:.3f} s): "
                  + ", ".join(f"{k} {v:.3f}" for k, v in r["phases"].items()))
    for a, b in zip(scans, scans[1:]):
        print(f"  growth {a['n']:,} -> {b['n']:,}: {b['scan'] / a['scan']:.1f}x "
              f"(marginal {(b['scan'] - a['scan']) / (b['n'] - a['n']) * 1e6:.0f} us per resource)")
    n = principals["resources"]
    print(f"{'AnalyzeStack ' + str(n) + ' resources, 300 principals':<{w}} {principals['analyze_stack_ms']:8.1f} ms")
    print(f"{'scan evaluate() of the same stack, all rules':<{w}} {principals['scan_ms']:8.1f} ms")
    for name, seconds in commands.items():
        print(f"{'keyguard ' + name + ', 10,000-resource export':<{w}} {seconds:8.2f} s")
    if not commands:
        print("keyguard access / diff: not in this build")
    print()
    print("heaviest top-level imports at start-up (cumulative):")
    for name, us in imports:
        print(f"  {name:<30} {us / 1000:8.1f} ms")
    print()
    by_n = {r["n"]: r for r in scans}
    ag = "AwsGuard" in real
    print("issue 23's goals, this run:")
    print(_ratio_row("scan of 10,000 resources / json.load floor", by_n[10000]["scan"] / by_n[10000]["floor"], "<=3"))
    print(_ratio_row("scan of 1,000 resources / json.load floor", by_n[1000]["scan"] / by_n[1000]["floor"], "<=10"))
    print(_ratio_row("  the same in wall time, whole processes, 10,000 resources",
                     by_n[10000]["scan"] / by_n[10000]["floor_process"], "<=3"))
    print(_ratio_row("  the same in wall time, whole processes, 1,000 resources",
                     by_n[1000]["scan"] / by_n[1000]["floor_process"], "<=10"))
    print(_ratio_row("  the same in CPU, whole processes, 10,000 resources",
                     by_n[10000]["scan_cpu"] / by_n[10000]["floor_cpu"], "<=3"))
    print(_ratio_row("  the same in CPU, whole processes, 1,000 resources",
                     by_n[1000]["scan_cpu"] / by_n[1000]["floor_cpu"], "<=10"))
    print(_ratio_row("  no policy enabled (the design's floor), 10,000 resources",
                     by_n[10000]["null_scan"] / by_n[10000]["floor"], "<=3"))
    print(_ratio_row("  no policy enabled (the design's floor), 1,000 resources",
                     by_n[1000]["null_scan"] / by_n[1000]["floor"], "<=10"))
    print(_ratio_row("scan of 10,000 resources, peak RSS / json.load's",
                     by_n[10000]["rss_mib"] / by_n[10000]["floor_rss_mib"], "<=2"))
    print(_ratio_row("Analyze, realistic mix, 4 callers / null pack", real4["routing"] / real4["null"], ">=0.8"))
    print(_ratio_row("Analyze, realistic mix, 4 callers / AwsGuard",
                     real4["routing"] / real4["AwsGuard"] if ag else None, ">=1.0"))
    # Information, not a goal: the issue set its Analyze goals with 4 callers, where its
    # figures had keyguard CPU-bound (sequentially it stood at 1.33x AwsGuard).
    print(_ratio_row("  the same sequentially",
                     real["routing"] / real["AwsGuard"] if ag else None, "-"))
    print(_ratio_row("  in pack CPU per request, 4 callers: null pack / keyguard",
                     real4_cpu["null"] / real4_cpu["routing"], ">=0.8"))
    print(_ratio_row("  in pack CPU per request, 4 callers: AwsGuard / keyguard",
                     real4_cpu["AwsGuard"] / real4_cpu["routing"] if ag else None, ">=1.0"))
    print(_ratio_row("AnalyzeStack growth per 4x resources (2,000 -> 8,000)", growth, "<=5"))
    print(_ratio_row("  the same in the pack's CPU", growth_cpu, "<=5"))
    print(_ratio_row("start-up to GetAnalyzerInfo / AwsGuard's",
                     s["info_ms"] / starts["AwsGuard"]["info_ms"] if "AwsGuard" in starts else None, "<=0.25"))
    if why_no_awsguard:
        print(f"  AwsGuard left out: {why_no_awsguard}")
    print()
    # The same pack inside the real engine, next to no pack and AwsGuard.
    from . import analyze

    return analyze.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
