"""The real Pulumi CLI, offline, against a local file backend: helpers for the e2e tests.

Which CLI: `KEYGUARD_PULUMI=/path/to/pulumi` if set, else `pulumi` on PATH, else the one
`make pulumi` built into `.tools/pulumi/<version>/bin/`. With none of them the tests skip
with one line saying why, except under `CI=true`, where they fail: CI must run them.

How the pack is started: `--policy-pack .` (the engine asks the Python language host,
`pulumi-language-python`, to start the pack directory) when that host is found next to
the CLI or on PATH. The Go module proxy does not serve the language host's module, so
`make pulumi` cannot build it; without it the pack is passed as the executable
`tests/e2e/bin/keyguard-policy-pack`, which the engine launches as a binary analyzer
plugin (see that file). Programs that go through preview and up are Pulumi YAML, run by
pulumi-language-yaml, which `make pulumi` builds next to the CLI.

Nothing is downloaded: PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION makes a missing plugin
an error, PULUMI_SKIP_UPDATE_CHECK stops the version check, PULUMI_HOME and the backend
live in a temporary directory shared by the whole session.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple


REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PACK_LAUNCHER = HERE / "bin" / "keyguard-policy-pack"
PROVIDER_DIR = REPO / "tests" / "provider"
PASSPHRASE = "keyguard-e2e-not-a-secret"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
SIG_KEY = "4dabf18193072939515e22adb298388d"
TIMEOUT = 300


def pinned_version() -> str:
    """The Pulumi version tools/pulumi/go.mod pins (what `make pulumi` builds)."""
    text = (REPO / "tools" / "pulumi" / "go.mod").read_text()
    m = re.search(r"github\.com/pulumi/pulumi/pkg/v3 (v\S+)", text)
    assert m, "tools/pulumi/go.mod does not pin github.com/pulumi/pulumi/pkg/v3"
    return m.group(1)


def built_cli() -> Path:
    return REPO / ".tools" / "pulumi" / pinned_version() / "bin" / "pulumi"


def find_cli() -> Tuple[Optional[str], str]:
    """(path to a pulumi CLI or None, where it came from or why there is none)."""
    chosen = os.environ.get("KEYGUARD_PULUMI")
    if chosen:
        if os.path.isfile(chosen) and os.access(chosen, os.X_OK):
            return chosen, "KEYGUARD_PULUMI"
        return None, f"KEYGUARD_PULUMI={chosen} is not an executable file"
    on_path = shutil.which("pulumi")
    if on_path:
        return on_path, "PATH"
    built = built_cli()
    if built.is_file():
        return str(built), "make pulumi"
    return None, ("no Pulumi CLI: set KEYGUARD_PULUMI, put pulumi on PATH, or run `make pulumi` "
                  "(needs Go; `make test` does it when go is on PATH)")


def find_language_host(cli: str, language: str = "python") -> Optional[str]:
    search = os.pathsep.join([os.path.dirname(cli), os.environ.get("PATH", "")])
    return shutil.which(f"pulumi-language-{language}", path=search)


@dataclass
class Ran:
    args: Sequence[str]
    code: int
    out: str
    err: str

    def __str__(self) -> str:
        return (f"pulumi {' '.join(self.args)} -> exit {self.code}\n--- stdout\n{self.out[-4000:]}"
                f"\n--- stderr\n{self.err[-4000:]}")


@dataclass(frozen=True)
class Violation:
    policy: str
    urn: str
    level: str


class Engine:
    """One PULUMI_HOME and one file backend for the session; runs the CLI in it."""

    def __init__(self, cli: str, source: str, root: Path):
        self.cli = cli
        self.source = source
        self.root = root
        self.language_host = find_language_host(cli)
        self.yaml_host = find_language_host(cli, "yaml")
        home, state = root / "home", root / "state"
        home.mkdir(parents=True)
        state.mkdir(parents=True)
        path = [os.path.dirname(cli), str(PROVIDER_DIR), os.environ.get("PATH", "")]
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith("PULUMI_") and k not in ("KEYGUARD_PULUMI",)}
        self.env.update({
            "PATH": os.pathsep.join(path),
            "PULUMI_HOME": str(home),
            "PULUMI_BACKEND_URL": f"file://{state}",
            "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "PULUMI_SKIP_CONFIRMATIONS": "true",
            "PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK": "true",
            "NO_COLOR": "1",
            # `--event-log` is registered only when debug commands are on (3.274.1: env.DebugCommands).
            "PULUMI_DEBUG_COMMANDS": "true",
        })
        self._projects: Dict[str, Path] = {}

    @property
    def pack(self) -> str:
        """What to pass as --policy-pack: the pack directory when a language host can start it."""
        return str(REPO) if self.language_host else str(PACK_LAUNCHER)

    def run(self, *args: str, cwd: Optional[Path] = None, timeout: float = TIMEOUT) -> Ran:
        argv = [str(a) for a in args]
        proc = subprocess.run([self.cli, *argv, "--non-interactive"] if argv and argv[0] != "version" else
                              [self.cli, *argv], cwd=str(cwd or self.root), env=self.env,
                              capture_output=True, text=True, timeout=timeout)
        return Ran(argv, proc.returncode, proc.stdout, proc.stderr)

    def project(self, name: str) -> Path:
        """A directory with a bare Pulumi.yaml named `name`, for stacks that only hold imported state."""
        if name not in self._projects:
            d = self.root / "projects" / name
            d.mkdir(parents=True)
            (d / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n")
            self._projects[name] = d
        return self._projects[name]

    def yaml_program(self, name: str, body: str, stack: str = "dev") -> Path:
        """A Pulumi YAML program in its own project directory, with a fresh stack selected."""
        d = self.root / "yaml" / name
        d.mkdir(parents=True)
        (d / "Pulumi.yaml").write_text(f"name: {name}\nruntime: yaml\n{body}")
        r = self.run("stack", "init", stack, cwd=d)
        assert r.code == 0, str(r)
        return d

    def import_stack(self, export_file: Path) -> Tuple[Path, str]:
        """`pulumi stack init` + `pulumi stack import` under the project and stack its URNs name.

        An export whose secrets are `plaintext` must name the stack's own secrets provider
        (as `pulumi stack export --show-secrets` of that stack would): without one, 3.274.1's
        import panics with "attempt to encrypt value". So the passphrase provider's salt that
        `stack init` wrote to Pulumi.<stack>.yaml goes into the imported copy.
        """
        doc = json.loads(Path(export_file).read_text())
        project, stack = project_and_stack(doc)
        cwd = self.project(project)
        r = self.run("stack", "init", stack, cwd=cwd)
        assert r.code == 0, str(r)
        salt = re.search(r"^encryptionsalt: (\S+)", (cwd / f"Pulumi.{stack}.yaml").read_text(), re.M)
        assert salt, f"no encryptionsalt in Pulumi.{stack}.yaml"
        doc["deployment"]["secrets_providers"] = {"type": "passphrase", "state": {"salt": salt.group(1)}}
        staged = cwd / f"import-{stack}.json"
        staged.write_text(json.dumps(doc))
        r = self.run("stack", "import", "--file", str(staged), "--stack", stack, cwd=cwd)
        assert r.code == 0, str(r)
        return cwd, stack

    def analyze(self, cwd: Path, stack: Optional[str], config: Optional[Mapping[str, Any]] = None,
                file: Optional[Path] = None) -> Tuple[Ran, List[dict]]:
        """`pulumi policy analyze --policy-pack <pack> --json` on a stack (or `--file`)."""
        args = ["policy", "analyze", "--policy-pack", self.pack, "--json"]
        args += ["--file", str(file)] if file is not None else ["--stack", stack]
        if config is not None:
            cfg = cwd / f"policy-config-{stack or Path(file).stem}.json"
            cfg.write_text(json.dumps(config))
            args += ["--policy-pack-config", str(cfg)]
        r = self.run(*args, cwd=cwd)
        return r, json_events(r.out)


_PRINTED = re.compile(r"^\s+- \[(mandatory|advisory)\](?: \[severity: \w+\])?\s+(\S+)\s+\(([^:()]+:[^:()]+:[^:()]+): ([^()]+)\)\s*$")


def printed_violations(out: str) -> Set[Tuple[str, str, str]]:
    """(policy, level, resource name) of each violation the CLI printed under "Policies:"."""
    found = set()
    for line in out.splitlines():
        m = _PRINTED.match(line)
        if m:
            found.add((m.group(2), m.group(1), m.group(4).strip()))
    return found


def json_events(out: str) -> List[dict]:
    """Engine events from `--json` output (one object per line, or concatenated objects)."""
    events, dec, i = [], json.JSONDecoder(), 0
    while i < len(out):
        while i < len(out) and out[i].isspace():
            i += 1
        if i >= len(out):
            break
        obj, i = dec.raw_decode(out, i)
        events.append(obj)
    return events


def violations_of(events: Iterable[Mapping[str, Any]]) -> Set[Violation]:
    out = set()
    for e in events:
        pe = e.get("policyEvent")
        if pe:
            out.add(Violation(pe["policyName"], pe.get("resourceUrn", ""), pe["enforcementLevel"].lower()))
    return out


CANT_RUN = "can't run policy "


def decided_violations_of(events: Iterable[Mapping[str, Any]]) -> Set[Violation]:
    """The policy events that are violations: without the engine's advisory "can't run policy
    ... during preview" notice, which is keyguard's unknown (a value it could not read)."""
    return {v for v, e in _policy_events(events) if not e.get("message", "").startswith(CANT_RUN)}


def undecided_policies_of(events: Iterable[Mapping[str, Any]]) -> Set[str]:
    """The policies the engine said it could not run on some value."""
    return {v.policy for v, e in _policy_events(events) if e.get("message", "").startswith(CANT_RUN)}


def _policy_events(events: Iterable[Mapping[str, Any]]):
    for e in events:
        pe = e.get("policyEvent")
        if pe:
            yield Violation(pe["policyName"], pe.get("resourceUrn", ""), pe["enforcementLevel"].lower()), pe


def project_and_stack(export: Mapping[str, Any]) -> Tuple[str, str]:
    urn = export["deployment"]["resources"][0]["urn"]  # urn:pulumi:<stack>::<project>::...
    stack, project = urn.split("::")[0].split(":", 2)[2], urn.split("::")[1]
    return project, stack


def _engine_value(value: Any) -> Any:
    from policypack.model import UNKNOWN

    if value is UNKNOWN:
        return "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    if isinstance(value, Mapping):
        return {k: _engine_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_engine_value(v) for v in value]
    return value


def _secret(value: Any) -> dict:
    return {SIG_KEY: SECRET_SIG, "plaintext": json.dumps(value)}


# Outputs the AWS provider's schema marks secret (the stand-in provider marks the same).
PROVIDER_SECRET_OUTPUTS = {"aws:apigateway/apiKey:ApiKey": ("value",),
                           "aws:secretsmanager/secretVersion:SecretVersion": ("secretString", "secretBinary")}


def export_of(resources: Sequence[Any], project: str, stack: str) -> dict:
    """A `pulumi stack export` (version 3) of resources recorded by run_program under mocks.

    URNs are rewritten to `project`/`stack`, so that each export imports into a stack of its
    own. Outputs the provider or `additionalSecretOutputs` mark secret are secrets in the
    `plaintext` form `pulumi stack export --show-secrets` writes; `pulumi stack import`
    encrypts them with the stack's passphrase.
    """
    def urn(u: Optional[str]) -> Optional[str]:
        if not u:
            return u
        parts = u.split("::")
        parts[0], parts[1] = f"urn:pulumi:{stack}", project
        return "::".join(parts)

    out = []
    for r in resources:
        secret = set(r.additional_secret_outputs) | set(PROVIDER_SECRET_OUTPUTS.get(r.type, ()))
        outputs = {k: (_secret(_engine_value(v)) if k in secret else _engine_value(v)) for k, v in r.props.items()}
        raw = {"urn": urn(r.urn), "custom": r.custom, "type": r.type, "outputs": outputs}
        if r.custom:
            raw["id"] = r.id or r.name
            raw["inputs"] = {k: (_secret(_engine_value(v)) if k in secret else _engine_value(v))
                             for k, v in (r.inputs or {}).items()}
        else:
            raw["inputs"] = {}
        if r.parent:
            raw["parent"] = urn(r.parent)
        if r.dependencies:
            raw["dependencies"] = [urn(d) for d in r.dependencies]
        if r.property_dependencies:
            raw["propertyDependencies"] = {k: [urn(d) for d in v] for k, v in r.property_dependencies.items()}
        if r.additional_secret_outputs:
            raw["additionalSecretOutputs"] = list(r.additional_secret_outputs)
        out.append(raw)
    return {"version": 3, "deployment": {"manifest": manifest(), "resources": out}}


def manifest() -> dict:
    """A deployment manifest the CLI accepts: its magic cookie is the SHA-256 of the version."""
    import hashlib

    version = pinned_version()
    return {"time": "2026-12-01T00:00:00Z", "magic": hashlib.sha256(version.encode()).hexdigest(),
            "version": version}


def scan_violations(export_file: Path, config: Optional[Path] = None) -> Set[Violation]:
    """What `keyguard scan --format json` reports as failing on the same export."""
    from policypack.cli import run
    import io

    argv = ["scan", str(export_file), "--format", "json"]
    if config is not None:
        argv += ["--config", str(config)]
    out, err = io.StringIO(), io.StringIO()
    code = run(argv, stdout=out, stderr=err)
    assert code in (0, 1), err.getvalue()
    findings = json.loads(out.getvalue())["findings"]
    return {Violation(f["policy"], f["urn"], f["enforcement"]) for f in findings if f["status"] == "fail"}


def scan_undecided_policies(export_file: Path) -> Set[str]:
    """The policies `keyguard scan` reports unknown on some resource of the export."""
    from policypack.cli import run
    import io

    out, err = io.StringIO(), io.StringIO()
    assert run(["scan", str(export_file), "--format", "json"], stdout=out, stderr=err) in (0, 1), err.getvalue()
    return {f["policy"] for f in json.loads(out.getvalue())["findings"] if f["status"] == "unknown"}
