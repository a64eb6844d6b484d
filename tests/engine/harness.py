"""Act as the Pulumi engine towards the policy pack, over its real gRPC protocol.

The pack is started the way the CLI starts a local Python pack
(`<venv python> -u -m pulumi.policy <engineAddress> <abs pack dir>`, working
directory the pack dir), its port is read from the first line of stdout, and
requests are built with the engine's own protobuf stubs and its wire encoding
of values: secrets as the signature object, unknowns as the per-kind sentinel
strings, numbers as doubles (a `Struct` has no integers).

pulumi.policy parses the engine address but never dials it (policy packs do
not log through the engine in the Python SDK), so a dummy address is enough.

`PackProcess` is a context manager that always ends the process: terminate,
then kill after a timeout, whatever happened in between.
"""
from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2 as pb
from pulumi.runtime.proto import analyzer_pb2_grpc as pb_grpc
from pulumi.runtime.proto import plugin_pb2

from tests.builders import urn

REPO_ROOT = Path(__file__).resolve().parents[2]
VENV_PYTHON = REPO_ROOT / ".venv" / "bin" / "python"
DUMMY_ENGINE = "127.0.0.1:1"

SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"

UNKNOWN_BOOL = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7"
UNKNOWN_NUMBER = "3eeb2bf0-c639-47a8-9e75-3b44932eb421"
UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
UNKNOWN_ARRAY = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2"
UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff"
UNKNOWN_SENTINELS = {UNKNOWN_BOOL, UNKNOWN_NUMBER, UNKNOWN_STRING, UNKNOWN_ARRAY, UNKNOWN_OBJECT,
                     "030794c1-ac77-496b-92df-f27374a8bd58", "e48ece36-62e2-4504-bad9-02848725956a"}

# Stack config and identity in the pack's environment. pulumi-policy reads them when present
# (and re-applies them on every request, so they belong in the measured path). The real
# engine (3.274.1) does NOT put them there: it sends them in ConfigureStack, which
# pulumi-policy 1.21 reduces to the stack tags. tests/e2e runs the pack without them.
ENGINE_ENV = {
    "PULUMI_CONFIG": json.dumps({"example:aws:region": "us-east-1"}),
    "PULUMI_ORGANIZATION": "organization", "PULUMI_PROJECT": "example",
    "PULUMI_STACK": "dev", "PULUMI_DRY_RUN": "true",
}

LEVELS = {"advisory": pb.ADVISORY, "mandatory": pb.MANDATORY, "remediate": pb.REMEDIATE,
          "disabled": pb.DISABLED}
LEVEL_NAMES = {v: k for k, v in LEVELS.items()}
SEVERITIES = {"low": pb.POLICY_SEVERITY_LOW, "medium": pb.POLICY_SEVERITY_MEDIUM,
              "high": pb.POLICY_SEVERITY_HIGH, "critical": pb.POLICY_SEVERITY_CRITICAL}

PREVIEW_PREFIX = "can't run policy "


class Secret:
    """A value the engine would carry as a secret."""

    def __init__(self, value: Any):
        self.value = value

    def __repr__(self) -> str:
        return "Secret(...)"


class Unknown:
    """A value the engine does not know yet; `kind` picks the sentinel."""

    def __init__(self, sentinel: str = UNKNOWN_STRING):
        self.sentinel = sentinel


def unknown_like(value: Any) -> Unknown:
    """The sentinel the engine would use for an unknown of this value's kind."""
    if isinstance(value, bool):
        return Unknown(UNKNOWN_BOOL)
    if isinstance(value, (int, float)):
        return Unknown(UNKNOWN_NUMBER)
    if isinstance(value, (list, tuple)):
        return Unknown(UNKNOWN_ARRAY)
    if isinstance(value, Mapping):
        return Unknown(UNKNOWN_OBJECT)
    return Unknown(UNKNOWN_STRING)


def marshal(value: Any) -> Any:
    """A Python value as the engine puts it on the wire (before Struct conversion).

    `Secret`/`Unknown` markers become the signature object and sentinels; the
    model's own UNKNOWN singleton (used by rule examples) is a string unknown.
    """
    if isinstance(value, Secret):
        return {SIG_KEY: SECRET_SIG, "value": marshal(value.value)}
    if isinstance(value, Unknown):
        return value.sentinel
    if type(value).__name__ == "_Unknown":  # policypack.model.UNKNOWN, without importing the pack here
        return UNKNOWN_STRING
    if isinstance(value, Mapping):
        return {str(k): marshal(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [marshal(v) for v in value]
    return value


def to_struct(props: Mapping[str, Any]) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    json_format.ParseDict(marshal(props), s)
    return s


def from_struct(s: struct_pb2.Struct) -> Dict[str, Any]:
    return json_format.MessageToDict(s)


def is_secret(value: Any) -> bool:
    return isinstance(value, Mapping) and value.get(SIG_KEY) == SECRET_SIG


@dataclass
class Res:
    """One resource as the engine describes it to the pack."""

    type: str
    name: str
    props: Mapping[str, Any] = field(default_factory=dict)
    urn: str = ""
    parent: str = ""
    dependencies: Sequence[str] = ()
    property_dependencies: Mapping[str, Sequence[str]] = field(default_factory=dict)
    additional_secret_outputs: Sequence[str] = ()
    # The real engine names each resource's provider resource (type, urn, name, inputs) in
    # every Analyze, Remediate and AnalyzeStack entry; None leaves the field out.
    provider: Optional["Res"] = None

    def __post_init__(self) -> None:
        if not self.urn:
            self.urn = urn(self.type, self.name, project="example")

    def options(self) -> pb.AnalyzerResourceOptions:
        # The engine always sets customTimeouts (empty unless the program set them).
        return pb.AnalyzerResourceOptions(additionalSecretOutputs=list(self.additional_secret_outputs),
                                          parent=self.parent, customTimeouts=pb.AnalyzerResourceOptions.CustomTimeouts())

    def provider_resource(self) -> Optional[pb.AnalyzerProviderResource]:
        if self.provider is None:
            return None
        p = self.provider
        return pb.AnalyzerProviderResource(type=p.type, properties=to_struct(p.props), urn=p.urn, name=p.name)

    def analyze_request(self) -> pb.AnalyzeRequest:
        return pb.AnalyzeRequest(type=self.type, properties=to_struct(self.props), urn=self.urn,
                                 name=self.name, options=self.options(), provider=self.provider_resource())

    def stack_resource(self) -> pb.AnalyzerResource:
        return pb.AnalyzerResource(
            type=self.type, properties=to_struct(self.props), urn=self.urn, name=self.name,
            options=self.options(), provider=self.provider_resource(),
            parent=self.parent, dependencies=list(self.dependencies),
            propertyDependencies={k: pb.AnalyzerPropertyDependencies(urns=list(v))
                                  for k, v in self.property_dependencies.items()})


@dataclass(frozen=True)
class Diag:
    """An AnalyzeDiagnostic reduced to what tests compare."""

    policy: str
    level: str
    severity: int
    urn: str
    message: str

    @property
    def preview(self) -> bool:
        return self.message.startswith(PREVIEW_PREFIX)


@dataclass(frozen=True)
class Answer:
    diagnostics: Tuple[Diag, ...]
    not_applicable: Tuple[Tuple[str, str], ...]

    def of(self, policy: str) -> List[Diag]:
        return [d for d in self.diagnostics if d.policy == policy]

    def not_applicable_to(self, policy: str) -> bool:
        return any(p == policy for p, _ in self.not_applicable)

    def normalized(self) -> Tuple:
        return (tuple(sorted((d.policy, d.level, d.severity, d.urn, d.message) for d in self.diagnostics)),
                tuple(sorted(self.not_applicable)))


def _answer(resp: pb.AnalyzeResponse) -> Answer:
    return Answer(
        tuple(Diag(d.policyName, LEVEL_NAMES[d.enforcementLevel], d.severity, d.urn, d.message)
              for d in resp.diagnostics),
        tuple((n.policy_name, n.reason) for n in resp.not_applicable),
    )


def reconcile(policies: Sequence[pb.PolicyInfo], config: Optional[Mapping[str, Any]]) -> Dict[str, pb.PolicyConfig]:
    """What the CLI sends in Configure for a `--policy-pack-config` file's content.

    Like the engine's ReconcilePolicyPackConfig: every policy starts at its own
    level with its schema defaults; "all" sets only the level of every policy;
    a policy's entry then sets its level and properties. The "all" key itself
    is passed through as the engine does.
    """
    result: Dict[str, Tuple[str, Dict[str, Any]]] = {}
    for p in policies:
        schema = json_format.MessageToDict(p.configSchema.properties) if p.HasField("configSchema") else {}
        defaults = {k: v["default"] for k, v in schema.items() if "default" in v}
        result[p.name] = (LEVEL_NAMES[p.enforcementLevel], defaults)
    given: Dict[str, Tuple[str, Dict[str, Any]]] = {}
    for name, entry in (config or {}).items():
        if isinstance(entry, str):
            given[name] = (entry, {})
        else:
            props = dict(entry)
            given[name] = (props.pop("enforcementLevel", ""), props)
    if "all" in given and given["all"][0]:
        result = {k: (given["all"][0], v) for k, (_, v) in result.items()}
    for name, (level, props) in given.items():
        old_level, old_props = result.get(name, ("", {}))
        result[name] = (level or old_level, {**old_props, **props})
    out = {}
    for name, (level, props) in result.items():
        msg = pb.PolicyConfig(enforcementLevel=LEVELS.get(level, pb.ADVISORY))
        if props:
            json_format.ParseDict(props, msg.properties)
        out[name] = msg
    return out


class PackError(RuntimeError):
    pass


class PackProcess:
    """The policy pack as a child process, spoken to as the engine does.

    `python_flags` go before `-u`
    (e.g. ["-X", "importtime"]); stderr is kept in a file for `stderr_text()`.
    """

    def __init__(self, root: Path = REPO_ROOT, env: Optional[Mapping[str, str]] = None,
                 python: Optional[Path] = None, python_flags: Sequence[str] = (), timeout: float = 60.0,
                 engine_env: bool = True):
        self.root = Path(root).resolve()
        self.python = Path(python or VENV_PYTHON)
        self.timeout = timeout
        self.env = dict(os.environ)
        self.env.pop("PYTHONPATH", None)
        if engine_env:  # False: the environment the real engine gives (no ENGINE_ENV)
            self.env.update(ENGINE_ENV)
        else:
            for k in ENGINE_ENV:
                self.env.pop(k, None)
        self.env.update(env or {})
        self.argv = [str(self.python), *python_flags, "-u", "-m", "pulumi.policy", DUMMY_ENGINE, str(self.root)]
        self.proc: Optional[subprocess.Popen] = None
        self.channel: Optional[grpc.Channel] = None
        self.stub: Optional[pb_grpc.AnalyzerStub] = None
        self.port: Optional[int] = None
        self.started_at = 0.0
        self.port_seconds = 0.0
        self._stderr = tempfile.TemporaryFile()
        self._info: Optional[pb.AnalyzerInfo] = None

    # -- life cycle ---------------------------------------------------------
    def start(self) -> "PackProcess":
        if self.proc is not None:
            # A second process would replace the first, which close() would then never end.
            raise PackError("this PackProcess was started already (entering `with` starts it)")
        self.started_at = time.perf_counter()
        self.proc = subprocess.Popen(self.argv, cwd=self.root, env=self.env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=self._stderr)
        try:
            line = self._read_port_line()
            self.port_seconds = time.perf_counter() - self.started_at
            self.port = int(line)
            self.channel = grpc.insecure_channel(f"127.0.0.1:{self.port}")
            grpc.channel_ready_future(self.channel).result(timeout=self.timeout)
            self.stub = pb_grpc.AnalyzerStub(self.channel)
        except BaseException:
            self.close()
            raise
        return self

    def _read_port_line(self) -> str:
        assert self.proc and self.proc.stdout
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + self.timeout
        buf = b""
        while b"\n" not in buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise PackError(f"no port on stdout within {self.timeout:.0f}s; stderr:\n{self.stderr_text()}")
            ready, _, _ = select.select([fd], [], [], min(left, 0.5))
            if ready:
                chunk = os.read(fd, 4096)
                if not chunk:
                    raise PackError(f"pack exited with {self.proc.wait()} before printing a port; "
                                    f"stderr:\n{self.stderr_text()}")
                buf += chunk
        line = buf.split(b"\n", 1)[0].decode().strip()
        if not line.isdigit():
            raise PackError(f"first stdout line is not a port: {line!r}; stderr:\n{self.stderr_text()}")
        return line

    def close(self, timeout: float = 5.0) -> Optional[int]:
        """End the process whatever state it is in; returns its exit code."""
        if self.channel is not None:
            self.channel.close()
            self.channel = None
        code = None
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=timeout)
            code = self.proc.returncode
            if self.proc.stdout:
                self.proc.stdout.close()
        return code

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stderr_text(self) -> str:
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    def __enter__(self) -> "PackProcess":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the engine's calls, in its order ------------------------------------
    def handshake(self) -> Optional[pb.AnalyzerHandshakeResponse]:
        """pulumi-policy's Python servicer does not implement Handshake; the engine
        then carries on, and so does this (None)."""
        try:
            return self.stub.Handshake(pb.AnalyzerHandshakeRequest(
                engine_address=DUMMY_ENGINE, root_directory=str(self.root), program_directory=str(self.root)),
                timeout=self.timeout)
        except grpc.RpcError as e:
            if e.code() == grpc.StatusCode.UNIMPLEMENTED:
                return None
            raise

    def configure_stack(self, stack: str = "dev", project: str = "example", dry_run: bool = True,
                        tags: Optional[Mapping[str, str]] = None,
                        config: Optional[Mapping[str, str]] = None) -> None:
        """Stack identity and config (namespaced keys, string values), as the engine sends
        them in preview and up; `pulumi policy analyze` sends no ConfigureStack."""
        self.stub.ConfigureStack(pb.AnalyzerStackConfigureRequest(
            stack=stack, project=project, organization="organization", dry_run=dry_run, tags=dict(tags or {}),
            config=dict(config or {})), timeout=self.timeout)

    def plugin_info(self) -> plugin_pb2.PluginInfo:
        return self.stub.GetPluginInfo(empty_pb2.Empty(), timeout=self.timeout)

    def analyzer_info(self) -> pb.AnalyzerInfo:
        self._info = self.stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=self.timeout)
        return self._info

    def configure(self, config: Optional[Mapping[str, Any]] = None) -> Dict[str, pb.PolicyConfig]:
        """Configure as the CLI does for `--policy-pack-config` with this content
        (None: no file). Every call starts again from the policies' defaults."""
        info = self._info or self.analyzer_info()
        msgs = reconcile(info.policies, config)
        req = pb.ConfigureAnalyzerRequest()
        for name, msg in msgs.items():
            req.policyConfig[name].CopyFrom(msg)
        self.stub.Configure(req, timeout=self.timeout)
        return msgs

    def boot(self, config: Optional[Mapping[str, Any]] = None, operation: str = "preview") -> pb.AnalyzerInfo:
        """The engine's opening sequence: Handshake, ConfigureStack (preview and up only;
        dry_run in preview), GetPluginInfo, GetAnalyzerInfo, Configure. Checked against
        the real CLI 3.274.1 (tests/e2e, docs/testing.md)."""
        if operation not in ("preview", "up", "analyze"):
            raise ValueError(f"operation must be preview, up or analyze, not {operation!r}")
        self.handshake()
        if operation != "analyze":
            self.configure_stack(dry_run=operation == "preview")
        self.plugin_info()
        info = self.analyzer_info()
        self.configure(config)
        return info

    def analyze(self, res: Res) -> Answer:
        return _answer(self.stub.Analyze(res.analyze_request(), timeout=self.timeout))

    def analyze_stack(self, resources: Sequence[Res]) -> Answer:
        req = pb.AnalyzeStackRequest(resources=[r.stack_resource() for r in resources])
        return _answer(self.stub.AnalyzeStack(req, timeout=self.timeout))

    def remediate(self, res: Res) -> pb.RemediateResponse:
        return self.stub.Remediate(res.analyze_request(), timeout=self.timeout)

    def cancel(self) -> bool:
        """The engine's last call before it stops the pack. pulumi-policy leaves it
        unimplemented, which the engine tolerates; True when the pack implemented it."""
        try:
            self.stub.Cancel(empty_pb2.Empty(), timeout=self.timeout)
            return True
        except grpc.RpcError as e:
            if e.code() == grpc.StatusCode.UNIMPLEMENTED:
                return False
            raise


def remediated_props(resp: pb.RemediateResponse, policy: str) -> Optional[Dict[str, Any]]:
    """The properties a policy's remediation handed back (wire form), or None."""
    for r in resp.remediations:
        if r.policyName == policy and r.HasField("properties"):
            return from_struct(r.properties)
    return None


def example_resources(example: Any, outputs: bool = False) -> List[Res]:
    """A rule example's resources as the engine would describe them (URNs as the
    example builds them, links from its property dependencies).

    The engine has no id field for a resource; with `outputs` (AnalyzeStack sends
    outputs) an example's id goes into the properties as "id", where pulumi-aws,
    a bridged provider, keeps it in a resource's outputs."""
    out = []
    for r in example.resources:
        built = r.build()
        props = dict(r.props)
        if outputs and built.id is not None:
            props.setdefault("id", built.id)
        out.append(Res(type=built.type, name=built.name, props=props, urn=built.urn,
                       parent=built.parent or "", dependencies=built.dependencies,
                       property_dependencies=dict(built.property_dependencies),
                       additional_secret_outputs=built.additional_secret_outputs))
    return out


def run_self_check() -> None:  # pragma: no cover - manual smoke test
    with PackProcess() as pack:
        info = pack.boot()
        print(json.dumps({"port": pack.port, "policies": [p.name for p in info.policies],
                          "startup_ms": round(pack.port_seconds * 1000)}, indent=2))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run_self_check())
