"""Wall time of the real `pulumi policy analyze` on one 1,000-resource stack export, three ways:

- a no-op Python policy pack (one policy that never reports): the engine's own cost of loading the
  state and driving an analyzer; the CLI refuses to analyze with no pack at all, so this is the
  "no pack" baseline;
- keyguard;
- AwsGuard (`@pulumi/awsguard` from npm, every policy mandatory), in benchmarks/awsguard.

Each pack's *added* time is its median minus the baseline's; the report gives keyguard's added
time as a ratio to AwsGuard's. Needs a Pulumi CLI (see tests/e2e/e2e_engine.find_cli) and, for
AwsGuard, `npm install` in benchmarks/awsguard (`make bench` does it).

When the language hosts are missing (the Go module proxy serves neither pulumi-language-python
nor pulumi-language-nodejs), each pack is passed to the engine as an executable that starts it
the way the host would (tests/e2e/bin/keyguard-policy-pack and the scripts written below).
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

from tests.e2e.e2e_engine import Engine, find_cli, manifest
from tests.engine.harness import SECRET_SIG, SIG_KEY, Secret, Unknown

from .workload import stack

ROOT = Path(__file__).resolve().parent.parent

AWSGUARD = ROOT / "benchmarks" / "awsguard"

NOOP_MAIN = '''from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy

PolicyPack(name="noop", enforcement_level=EnforcementLevel.ADVISORY, policies=[
    ResourceValidationPolicy(name="noop", description="reports nothing",
                             validate=lambda args, report_violation: None)])
'''


def _state_value(v: Any, path: str) -> Any:
    """A deployed stack has no unknowns: give each one a plausible value; secrets stay secret."""
    if isinstance(v, Unknown):
        return f"arn:aws:iam::111122223333:role/{path.replace('.', '-')}"
    if isinstance(v, Secret):
        return {SIG_KEY: SECRET_SIG, "plaintext": json.dumps(_state_value(v.value, path))}
    if isinstance(v, dict):
        return {k: _state_value(x, f"{path}.{k}") for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_state_value(x, f"{path}.{i}") for i, x in enumerate(v)]
    return v


def export_file(n: int, dest: Path) -> Path:
    resources = []
    everything = stack(n)
    root_urn = everything[0].urn
    for r in everything:
        props = _state_value(dict(r.props), r.name)
        custom = r.type != "pulumi:pulumi:Stack"
        raw = {"urn": r.urn, "custom": custom, "type": r.type, "inputs": props if custom else {},
               "outputs": props}
        if custom:
            raw["id"] = r.name
            raw["parent"] = root_urn
        if r.dependencies:
            raw["dependencies"] = list(r.dependencies)
        if r.property_dependencies:
            raw["propertyDependencies"] = {k: list(v) for k, v in r.property_dependencies.items()}
        resources.append(raw)
    doc = {"version": 3, "deployment": {"manifest": manifest(), "resources": resources}}
    dest.write_text(json.dumps(doc))
    return dest


def _launcher(path: Path, body: str) -> str:
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)
    return str(path)


def packs(engine: Engine, work: Path) -> Dict[str, str]:
    """name -> what to pass as --policy-pack."""
    noop = work / "noop"
    noop.mkdir()
    (noop / "__main__.py").write_text(NOOP_MAIN)
    py = ROOT / ".venv" / "bin" / "python"
    out = {}
    if engine.language_host:
        (noop / "PulumiPolicy.yaml").write_text(
            f"runtime:\n  name: python\n  options:\n    virtualenv: {ROOT / '.venv'}\n")
        out["no-op pack"] = str(noop)
    else:
        out["no-op pack"] = _launcher(work / "noop-pack", f'cd "{noop}" && exec "{py}" -u -m pulumi.policy "$@" "{noop}"')
    out["keyguard"] = engine.pack
    if (AWSGUARD / "node_modules" / "@pulumi" / "awsguard").is_dir():
        if shutil.which("pulumi-language-nodejs", path=os.pathsep.join([os.path.dirname(engine.cli),
                                                                          os.environ.get("PATH", "")])):
            out["AwsGuard"] = str(AWSGUARD)
        else:
            run_pack = AWSGUARD / "node_modules" / "@pulumi" / "pulumi" / "cmd" / "run-policy-pack"
            out["AwsGuard"] = _launcher(work / "awsguard-pack",
                                        f'cd "{AWSGUARD}" && exec node "{run_pack}" "$@" "{AWSGUARD}"')
    return out


def time_analyze(engine: Engine, pack: str, export: Path, runs: int) -> Dict[str, Any]:
    times: List[float] = []
    last: Optional[Any] = None
    for _ in range(runs):
        t0 = time.perf_counter()
        last = engine.run("policy", "analyze", "--policy-pack", pack, "--file", str(export), "--json",
                          timeout=900)
        times.append(time.perf_counter() - t0)
    violations = sum(1 for line in last.out.splitlines() if '"policyEvent"' in line)
    ok = last.code == 0 or "mandatory policy violations" in last.err
    return {"median_s": statistics.median(times), "runs": times, "violations": violations, "ok": ok,
            "error": "" if ok else (last.err.strip().splitlines() or ["?"])[-1][:300]}


def main(argv: List[str]) -> int:
    n = 1000
    runs = 3 if "--quick" in argv else 5
    cli, source = find_cli()
    if cli is None:
        print(f"pulumi policy analyze timings: skipped ({source})")
        return 0
    with tempfile.TemporaryDirectory(prefix="keyguard-bench-") as tmp:
        work = Path(tmp)
        engine = Engine(cli, source, work / "engine")
        version = engine.run("version").out.strip()
        export = export_file(n - 1, work / "stack.json")  # n - 1 resources plus the root Stack
        results = {name: time_analyze(engine, pack, export, runs) for name, pack in packs(engine, work).items()}
    base = results["no-op pack"]["median_s"]
    w = 46
    print(f"pulumi policy analyze, {n} resources, CLI {version} ({source}), median of {runs}")
    print("-" * (w + 30))
    for name, r in results.items():
        added = r["median_s"] - base
        note = "" if r["ok"] else f"  FAILED: {r['error']}"
        print(f"{name:<{w}} {r['median_s']:7.2f} s  (+{added:5.2f} s, {r['violations']} violations){note}")
    if "AwsGuard" in results and results["AwsGuard"]["ok"]:
        kg = results["keyguard"]["median_s"] - base
        ag = results["AwsGuard"]["median_s"] - base
        print(f"{'keyguard added time / AwsGuard added time':<{w}} {kg / ag:7.2f} x")
    else:
        print("AwsGuard: not measured (run `npm ci` in benchmarks/awsguard)")
    if not engine.language_host:
        print("packs started as binary analyzer plugins (no pulumi-language-python/nodejs here)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
