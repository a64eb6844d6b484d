"""`python -m benchmarks.hostile`: what one large or hostile value costs the pack.

Each line times one rule evaluation (or one helper call) on a value shaped the
way issue 13 found slow: a long letter-and-digit run in a Lambda environment
variable and in a SecretVersion, a long base64 stack output, a long cron
day-of-month list, and an IAM action with many wildcards. Results are printed,
not asserted: they depend on the machine. Tests count steps instead
(tests/hardening/test_growth.py).

Usage: python -m benchmarks.hostile [--quick]
"""
from __future__ import annotations

import base64
import json
import sys
import time
from typing import Callable, List, Tuple

from policypack.evaluate import evaluate
from policypack.model import Resource
from policypack.registry import BY_NAME, RULES

_FN = "aws:lambda/function:Function"
_SV = "aws:secretsmanager/secretVersion:SecretVersion"
_STACK = "pulumi:pulumi:Stack"


def _run(policy: str, resources: List[Resource]) -> float:
    t0 = time.perf_counter()
    evaluate(resources, [BY_NAME[policy]])
    return time.perf_counter() - t0


def _alnum(n: int) -> str:
    return ("a1B2c3D4e5" * (n // 10 + 1))[:n]


def _lambda_env(n: int) -> float:
    fn = Resource(_FN, "fn", f"urn:{_FN}::fn", {"environment": {"variables": {"BLOB": _alnum(n)}}})
    return _run("lambda-environment-no-secrets", [fn])


def _secret_string(n: int) -> float:
    sv = Resource(_SV, "sv", f"urn:{_SV}::sv", {"secretString": _alnum(n)})
    root = Resource(_STACK, "st", f"urn:{_STACK}::st", {})
    return _run("apigateway-api-key-stored-in-secret", [sv, root])


def _base64_output(n: int) -> float:
    blob = base64.b64encode(bytes(range(256)) * (n // 341 + 1)).decode()[:n]
    root = Resource(_STACK, "st", f"urn:{_STACK}::st", {"bundle": blob})
    return _run("stack-exports-no-secrets", [root])


def _cron_dom(n: int) -> float:
    from policypack.schedule import longest_gap_days

    days = ",".join(str(1 + i % 28) for i in range(n // 3 + 1))[:n].rstrip(",")
    expr = f"cron(0 0 {days} * ? *)"
    longest_gap_days.cache_clear()
    t0 = time.perf_counter()
    try:
        longest_gap_days(expr)
    except ValueError:
        pass
    return time.perf_counter() - t0


def _iam_wildcards(n: int) -> float:
    from policypack.iam import actions

    action = "s3:" + ("a*" * (n // 2))[: n - 3]
    actions.expand.cache_clear()
    doc = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": action, "Resource": "*"}]})
    pol = Resource("aws:iam/policy:Policy", "p", "urn:aws:iam/policy:Policy::p", {"policy": doc})
    actions._index()  # the IAM database load is not the value's cost
    t0 = time.perf_counter()
    evaluate([pol], RULES)
    return time.perf_counter() - t0


CASES: List[Tuple[str, Callable[[int], float], Tuple[int, ...], Tuple[int, ...]]] = [
    ("lambda env var, letter-digit run", _lambda_env, (10_000, 30_000), (10_000, 30_000, 60_000)),
    ("SecretVersion.secretString, letter-digit run", _secret_string, (16_000, 65_536), (16_000, 65_536)),
    ("stack output, base64", _base64_output, (100_000,), (100_000, 1_000_000)),
    ("cron day-of-month list", _cron_dom, (2_000,), (2_000, 10_000)),
    ("IAM action with many '*'", _iam_wildcards, (20_000,), (20_000, 500_000)),
]


def main(argv: List[str]) -> int:
    quick = "--quick" in argv
    from policypack.secrets import credential_shape

    credential_shape("x" * 40)  # first-use imports (detect-secrets) are not a value's cost
    print(f"{'hostile value':<46} {'bytes':>10} {'seconds':>9}")
    print("-" * 67)
    for label, fn, quick_sizes, sizes in CASES:
        for n in quick_sizes if quick else sizes:
            print(f"{label:<46} {n:>10,} {fn(n):>9.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
