"""Starting the pack as the Pulumi engine expects: keyguard's servicer inside pulumi-policy's
PolicyPack, or one line saying why it cannot start.

PolicyPack starts the gRPC server, prints its port and never returns; it takes its
servicer class from a private module global, which `install_servicer` replaces with
keyguard's (routing.py), and sizes its server's thread pool from another, which it caps
(SERVER_WORKERS). When that servicer cannot run on the installed pulumi-policy,
the pack refuses to start: pulumi-policy's own servicer would judge less (no stack phase
for resource rules) and fail on values keyguard answers, so a silent fallback would
report a different verdict for the same stack.
"""
from __future__ import annotations

import sys
from concurrent import futures
from typing import Any, Optional

from pulumi_policy import EnforcementLevel, PolicyPack
from pulumi_policy import policy as _sdk

from . import routing
from .crossguard import PACK_DESCRIPTION, build_policies
from .registry import PACK_NAME


# The gRPC server's worker threads. pulumi-policy starts four; keyguard's handlers hold the
# GIL for nearly all of their work, so threads beyond two only pass it back and forth while
# a second still overlaps one request's gRPC hand-off with another's rules. On the 2-core
# bench machine, the realistic request mix with 4 callers (docs/performance.md, fourth
# round): 3,442-3,977 calls/s at 243-280 us CPU per request with two threads, 2,570-3,037
# at 313-373 us with four, 2,819 with one; with 8 callers two threads still lead.
SERVER_WORKERS = 2


class CannotServe(RuntimeError):
    """The installed pulumi-policy cannot host keyguard's servicer; str(e) is one line."""


class _CappedFutures:
    """`concurrent.futures` as PolicyPack sees it, its thread pools capped at SERVER_WORKERS.

    PolicyPack builds its server's pool inline from the module global `futures`, with no
    argument to size it, so the module it sees is the only place to set the size."""

    def __getattr__(self, name: str) -> Any:
        return getattr(futures, name)

    @staticmethod
    def ThreadPoolExecutor(max_workers: Optional[int] = None,  # noqa: N802 - the module's name
                           *args: Any, **kwargs: Any) -> futures.ThreadPoolExecutor:
        workers = SERVER_WORKERS if max_workers is None else min(max_workers, SERVER_WORKERS)
        return futures.ThreadPoolExecutor(workers, *args, **kwargs)


def install_servicer() -> None:
    reason = routing.unsupported_reason()
    if reason is not None:
        raise CannotServe(reason)
    # pulumi-policy exposes no hook for its servicer: replace its private module global.
    _sdk._PolicyAnalyzerServicer = routing.servicer_class()  # type: ignore[misc]
    if getattr(_sdk, "futures", None) is futures:
        _sdk.futures = _CappedFutures()  # type: ignore[attr-defined,assignment]


def serve() -> None:
    """Start the pack's gRPC server; never returns."""
    try:
        install_servicer()
    except CannotServe as e:
        print(f"keyguard: cannot start the policy pack: {e}", file=sys.stderr)
        raise SystemExit(1) from None
    PolicyPack(
        name=PACK_NAME,
        policies=build_policies(),
        enforcement_level=EnforcementLevel.ADVISORY,
        description=PACK_DESCRIPTION,
        display_name="keyguard",
        # pulumi-policy takes one provider; AWS is where the bundled stack runs, and the tags
        # name the other clouds the pack judges.
        provider="aws",
        tags=["secrets", "kms", "iam", "api-keys", "aws", "azure", "gcp"],
    )
