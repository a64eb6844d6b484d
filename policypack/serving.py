"""Starting the pack as the Pulumi engine expects: keyguard's servicer inside pulumi-policy's
PolicyPack, or one line saying why it cannot start.

PolicyPack starts the gRPC server, prints its port and never returns; it takes its
servicer class from a private module global, which `install_servicer` replaces with
keyguard's (routing.py). When that servicer cannot run on the installed pulumi-policy,
the pack refuses to start: pulumi-policy's own servicer would judge less (no stack phase
for resource rules) and fail on values keyguard answers, so a silent fallback would
report a different verdict for the same stack.
"""
from __future__ import annotations

import sys
from pulumi_policy import EnforcementLevel, PolicyPack
from pulumi_policy import policy as _sdk

from . import routing
from .crossguard import PACK_DESCRIPTION, build_policies
from .registry import PACK_NAME


class CannotServe(RuntimeError):
    """The installed pulumi-policy cannot host keyguard's servicer; str(e) is one line."""


def install_servicer() -> None:
    reason = routing.unsupported_reason()
    if reason is not None:
        raise CannotServe(reason)
    # pulumi-policy exposes no hook for its servicer: replace its private module global.
    _sdk._PolicyAnalyzerServicer = routing.servicer_class()  # type: ignore[misc]


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
