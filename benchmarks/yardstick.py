"""AwsGuard as a pack process the engine harness can speak to, next to keyguard and a null pack.

`@pulumi/awsguard` (benchmarks/awsguard, installed by `npm ci` there; `make bench` does it) runs
under Node's policy-pack runner, started as the Node language host would start it. Its
Configure needs a properties object for every policy, even an empty one, which the engine
always sends and the harness's reconcile leaves out when a policy has no config.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Optional

import grpc
from tests.engine.harness import DUMMY_ENGINE, PackProcess, pb, reconcile

AWSGUARD = Path(__file__).resolve().parent / "awsguard"
_RUNNER = AWSGUARD / "node_modules" / "@pulumi" / "pulumi" / "cmd" / "run-policy-pack"


def available() -> Optional[str]:
    """Why AwsGuard cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node not found"
    if not (AWSGUARD / "node_modules" / "@pulumi" / "awsguard").is_dir():
        return "run `npm ci` in benchmarks/awsguard"
    return None


class AwsGuardProcess(PackProcess):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(root=AWSGUARD, **kwargs)
        self.argv = ["node", str(_RUNNER), DUMMY_ENGINE, str(AWSGUARD)]

    def boot(self, config: Any = None, operation: str = "preview") -> pb.AnalyzerInfo:
        try:
            self.configure_stack(dry_run=operation == "preview")
        except grpc.RpcError as e:  # a runner without ConfigureStack is still a pack
            if e.code() != grpc.StatusCode.UNIMPLEMENTED:
                raise
        info = self.analyzer_info()
        req = pb.ConfigureAnalyzerRequest()
        for name, msg in reconcile(info.policies, config).items():
            msg.properties.SetInParent()
            req.policyConfig[name].CopyFrom(msg)
        self.stub.Configure(req, timeout=self.timeout)
        return info
