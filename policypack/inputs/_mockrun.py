"""Child process of `run_program`: run one Pulumi program under mocks and dump what it registered.

Usage: python _mockrun.py MAIN PROJECT STACK OUT_JSON   (run as a script, by path)

It runs in the program's interpreter (its own virtualenv when it has one), so it
imports nothing from keyguard: only the standard library, the program's pulumi, and
its siblings (_mockvalues, _policydoc, _mock_gcp, _mock_azure), loaded by path under private names.

It behaves like `pulumi preview` (the SDK runs in dry-run mode): outputs the mocks
do not model are unknown, and `apply` callbacks on them do not run. The monitor never
deserialises a request into SDK objects: it reads the wire form (secrets, unknowns
and all) and answers in the wire form, on whatever thread the SDK calls it. Resource
references are declined, so a resource passed as an argument arrives as its id (what
a provider sees) and propertyDependencies still name it.

PULUMI_CONFIG carries the config; keys listed in PULUMI_CONFIG_SECRET_KEYS whose value
is the unknown sentinel are encrypted values keyguard cannot read: the program gets an
unknown secret for them.

The output file gets one JSON object: {"resources": [...], "notes": [...]} on success,
each resource shaped like an entry of `pulumi stack export` (type, urn, id, custom,
inputs, outputs, parent, dependencies, propertyDependencies, additionalSecretOutputs,
remote), or {"error": {"type", "message", "where", "module", "key"}} when the program
failed: the program's own exception, not the last line the interpreter printed.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import runpy
import sys
import traceback
from types import ModuleType
from typing import Any, Dict, List

_HERE = os.path.dirname(os.path.abspath(__file__))
# Run as a script, Python put this directory first on sys.path: the program must not
# import keyguard's modules by accident (`import export`), so take it off again.
if sys.path and os.path.abspath(sys.path[0] or ".") == _HERE:
    del sys.path[0]

STACK_TYPE = "pulumi:pulumi:Stack"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_keyguard_mock{name}", os.path.join(_HERE, f"{name}.py"))
    assert spec is not None and spec.loader is not None  # a .py file next to this one
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _wire(message: Any) -> Dict[str, Any]:
    """A protobuf Struct as plain JSON, in the engine's encoding (no SDK objects rebuilt)."""
    from google.protobuf import json_format

    return json_format.MessageToDict(message) if message is not None else {}


def _struct(value: Dict[str, Any]) -> Any:
    from google.protobuf import struct_pb2

    s = struct_pb2.Struct()
    s.update(value)
    return s


def _plain(value: Any, values: ModuleType) -> Any:
    """Call arguments with secrets unwrapped."""
    if isinstance(value, dict):
        if values.is_secret(value):
            return _plain(value.get("value"), values)
        return {k: _plain(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, values) for v in value]
    return value


def make_monitor(values: ModuleType, region: str) -> Any:
    from pulumi.runtime import mocks as pmocks
    from pulumi.runtime.proto import resource_pb2
    from google.protobuf import empty_pb2

    class _Unused(pmocks.Mocks):  # the recording monitor answers everything itself
        def new_resource(self, args: Any) -> Any:  # pragma: no cover - never called
            raise NotImplementedError

        def call(self, args: Any) -> Any:  # pragma: no cover - never called
            raise NotImplementedError

    class RecordingMonitor(pmocks.MockMonitor):
        """Answers the SDK in the wire form and keeps what the engine would store."""

        def __init__(self) -> None:
            super().__init__(_Unused())
            self.model = values.OutputModel(region)
            self.records: Dict[str, Dict[str, Any]] = {}
            self.stack_outputs: Dict[str, Any] = {}
            self.notes: List[Dict[str, str]] = []

        def GetDeploymentInfo(self, request: Any) -> Any:
            info = super().GetDeploymentInfo(request)  # type: ignore[no-untyped-call]  # pulumi's mocks are untyped
            kept = [f for f in info.supportedFeatures
                    if f != resource_pb2.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES]
            return resource_pb2.DeploymentInfo(supportedFeatures=kept)

        def SupportsFeature(self, request: Any) -> Any:
            has = request.id not in ("outputValues", "resourceReferences")
            return type("SupportsFeatureResponse", (object,), {"hasSupport": has})

        def RegisterResource(self, request: Any) -> Any:
            urn = self.make_urn(request.parent, request.type, request.name)
            if request.type == STACK_TYPE:
                self.records[urn] = {"urn": urn, "type": STACK_TYPE, "custom": False, "id": None,
                                     "inputs": None, "outputs": {}, "parent": None, "dependencies": [],
                                     "propertyDependencies": {}, "additionalSecretOutputs": []}
                return resource_pb2.RegisterResourceResponse(urn=urn)
            inputs = values.scrub(_wire(request.object))
            secret_outputs = list(request.additionalSecretOutputs)
            custom = bool(request.custom)
            ident, state = self.model.new_resource(request.type, request.name, inputs, secret_outputs, custom)
            self.records[urn] = {
                "urn": urn, "type": request.type, "custom": custom, "id": ident if custom else None,
                "inputs": inputs, "outputs": state, "parent": request.parent or None,
                "dependencies": list(request.dependencies),
                "propertyDependencies": {k: list(v.urns) for k, v in request.propertyDependencies.items()},
                "additionalSecretOutputs": secret_outputs,
            }
            if request.remote:
                self.notes.append({
                    "kind": "multi-language-component", "urn": urn, "type": request.type,
                    "message": f"{request.type} {request.name!r} is a multi-language component: under mocks it "
                               "registers none of its children (roles, policies, functions), so they were not "
                               "judged; run `pulumi preview --policy-pack` on this stack to judge them"})
            self.resources[urn] = pmocks.MockMonitor.ResourceRegistration(urn, ident, state)
            return resource_pb2.RegisterResourceResponse(urn=urn, id=ident, object=_struct(state))

        def ReadResource(self, request: Any) -> Any:
            # An existing resource (`Resource.get`, a StackReference): nothing keyguard can know.
            urn = self.make_urn(request.parent, request.type, request.name)
            state = dict(_wire(request.properties))
            for prop in self.model.declared_outputs(request.type):
                state.setdefault(prop, values.UNKNOWN)
            if request.type == "pulumi:pulumi:StackReference":
                state.update({"name": request.id or request.name, "outputs": values.UNKNOWN,
                              "secretOutputNames": values.UNKNOWN})
            return resource_pb2.ReadResourceResponse(urn=urn, properties=_struct(state))

        def Invoke(self, request: Any) -> Any:
            args = _plain(values.scrub(_wire(request.args)), values)
            if request.tok == "pulumi:pulumi:getResource":
                rec = self.records.get(args.get("urn"))
                ret = {"urn": args.get("urn"), "id": rec["id"] if rec else values.UNKNOWN,
                       "state": rec["outputs"] if rec else {}}
            else:
                try:
                    ret = self.model.call(request.tok, args)
                except ValueError as exc:  # arguments the provider would refuse: the program sees why
                    from pulumi.runtime.proto import provider_pb2

                    return resource_pb2.ResourceInvokeResponse(
                        failures=[provider_pb2.CheckFailure(property="", reason=str(exc))])
            return resource_pb2.ResourceInvokeResponse(failures=None, **{"return": _struct(ret)})

        def RegisterResourceOutputs(self, request: Any) -> Any:
            if request.urn.split("::")[2:3] == [STACK_TYPE]:
                # The root is registered empty first; keep every output any registration carried.
                self.stack_outputs.update(values.scrub(_wire(request.outputs)))
            return empty_pb2.Empty()

        def dump(self) -> List[Dict[str, Any]]:
            out = []
            for rec in self.records.values():
                if rec["type"] == STACK_TYPE:
                    rec = dict(rec, outputs=dict(self.stack_outputs))
                out.append(rec)
            return out

    return RecordingMonitor()


def _secure_config_is_unknown(sentinel: str) -> None:
    """Encrypted config values are unknown secrets: `Output.secret(<sentinel>)` is an unknown output."""
    import pulumi
    from pulumi.output import Unknown

    original = pulumi.Output.secret

    def secret(val: Any) -> Any:
        # pulumi's Unknown() is untyped
        return original(Unknown() if isinstance(val, str) and val == sentinel else val)  # type: ignore[no-untyped-call]

    pulumi.Output.secret = staticmethod(secret)  # type: ignore[method-assign]


def _where(exc: BaseException, project_dir: str) -> str:
    """file:line of the deepest frame of the program's own code, or ""."""
    frames = traceback.extract_tb(exc.__traceback__)
    mine = [f for f in frames if os.path.abspath(f.filename).startswith(project_dir + os.sep)
            and os.sep + "site-packages" + os.sep not in f.filename]
    if not mine:
        return ""
    f = mine[-1]
    return f"{os.path.relpath(f.filename, project_dir)}:{f.lineno}"


# The SDK wraps an exception raised while it serialises an input in one whose message
# ends with the original's type and message, and whose cause is not always the original.
_WRAPPED = re.compile(r"^While processing (?:input|resource): .*?\n(\w+) has risen: (.*)$", re.S)


def _error(exc: BaseException, project_dir: str) -> Dict[str, Any]:
    err: Dict[str, Any] = {"type": type(exc).__name__, "message": str(exc).strip(), "where": _where(exc, project_dir)}
    wrapped = _WRAPPED.match(err["message"])
    while wrapped:
        err.update(type=wrapped.group(1), message=wrapped.group(2).strip())
        wrapped = _WRAPPED.match(err["message"])
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        err["module"] = exc.name
    key = getattr(exc, "key", None)
    if type(exc).__name__ == "ConfigMissingError" and isinstance(key, str):
        err["key"] = key
    if isinstance(exc, (TypeError, AttributeError)):
        sdk = _sdk_of(exc)
        if sdk:
            err["sdk"] = sdk
    return err


# pulumi_aws, and community providers named the other way round (pinecone_pulumi).
_SDK_MODULE = re.compile(r"module '((?:pulumi_[A-Za-z0-9]|[A-Za-z0-9]+_pulumi\b)[A-Za-z0-9_]*)")
_SDK_PATH = re.compile(r"[\\/]site-packages[\\/]((?:pulumi_[A-Za-z0-9]|[A-Za-z0-9]+_pulumi[\\/])[A-Za-z0-9_]*)")


def _sdk_of(exc: BaseException) -> Dict[str, str]:
    """The provider SDK an argument or attribute error names (`module 'pulumi_aws.ec2' has no
    attribute ...`) or was raised in (`Eip._internal_init() got an unexpected keyword
    argument 'vpc'`), with its installed version: a program written for another major."""
    m = _SDK_MODULE.search(str(exc))
    package = m.group(1) if m else None
    obj = getattr(exc, "obj", None)  # AttributeError on an object: `'Deployment' object has no attribute ...`
    if package is None and obj is not None:
        owner = type(obj).__module__ or ""
        package = owner if _SDK_MODULE.search(f"module '{owner}") else None
    if package is None:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            hit = _SDK_PATH.search(frame.filename)
            if hit:
                package = hit.group(1)
                break
    if package is None:
        return {}
    package = re.split(r"[./\\\\]", package)[0]
    dist = package.replace("_", "-")
    try:
        from importlib.metadata import version

        return {"package": dist, "version": version(dist)}
    except Exception:  # noqa: BLE001 - not an installed distribution: say nothing
        return {}


def _raised_by_sdk(exc: BaseException) -> bool:
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and f"{os.sep}pulumi{os.sep}" in frames[-1].filename


def _cause(exc: BaseException) -> BaseException:
    """The program's exception inside the SDK's wrappers ("While processing input: ... has
    risen", RunError chains, exception groups)."""
    seen = set()
    while id(exc) not in seen:
        seen.add(id(exc))
        inner = getattr(exc, "exceptions", None)
        if inner:
            exc = inner[0]
        elif exc.__cause__ is not None and (_raised_by_sdk(exc) or type(exc).__name__ == "RunError"):
            exc = exc.__cause__
        else:
            break
    return exc


def main(argv: List[str]) -> Dict[str, Any]:
    main_path, project, stack, out_path = argv
    values = _load("_mockvalues")
    _load("_policydoc")
    _load("_mock_gcp")
    _load("_mock_azure")
    config = json.loads(os.environ.get("PULUMI_CONFIG") or "{}")
    import pulumi
    from pulumi.runtime import settings as psettings
    from pulumi.runtime.stack import run_in_stack
    from pulumi.runtime.sync_await import _sync_await

    _secure_config_is_unknown(values.UNKNOWN)
    credential_like = _credential_names()
    if credential_like is not None:
        _placeholder_environment(credential_like)
        _record_plain_secret_reads(credential_like)
    region = config.get("aws:region") or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    monitor = make_monitor(values, region if isinstance(region, str) and region != values.UNKNOWN else "us-east-1")
    pulumi.runtime.set_mocks(monitor.mocks, project, stack, preview=True, monitor=monitor)

    # Run the program as the language host does: inside a fresh root stack, which
    # registers the exports when the program ends, then wait for every RPC.
    psettings.set_root_resource(None)  # type: ignore[arg-type]
    if os.path.isfile(main_path):
        sys.path.insert(0, os.path.dirname(main_path))  # runpy does this itself for a directory
    # run_in_stack ignores what a non-awaitable result is (here the module's globals).
    _sync_await(run_in_stack(lambda: runpy.run_path(main_path, run_name="__main__")))  # type: ignore[arg-type,return-value]
    return {"resources": monitor.dump(), "notes": monitor.notes, "plain_secret_reads": PLAIN_SECRET_READS}


# Credentials a program reads from its environment. The parent withholds every
# variable with a credential-like name (KEYGUARD_SECRET_NAMES carries the catalogue's name
# patterns) and the program gets a recognisable placeholder for each, present or not, so
# that `os.environ["OPENAI_API_KEY"]` neither fails nor sees a real key; keyguard's formats
# (secrets/ai_formats.py ENV_PLACEHOLDER) know the placeholder as secret material and judge
# where it flows.
ENV_PLACEHOLDER_PREFIX = "kgenv_"


def env_placeholder(name: str) -> str:
    import hashlib

    safe = re.sub(r"[^A-Za-z0-9_]", "_", name)[:64]
    return f"{ENV_PLACEHOLDER_PREFIX}{safe}_{hashlib.sha256(name.encode()).hexdigest()[:12]}"


_ACCOUNT_VARIABLES = ("USER", "LOGNAME", "USERNAME", "HOME")


def _account_variable(key: str) -> str:
    if key == "HOME":
        return os.path.expanduser("~")
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no passwd entry for this uid (containers)
        return "keyguard"


def _credential_names() -> Any:
    """The catalogue's test of a credential-like name (sent by the parent as pattern text),
    or None when the parent sent none."""
    raw = os.environ.get("KEYGUARD_SECRET_NAMES")
    if not raw:
        return None
    spec = json.loads(raw)
    secret, reference, public = (re.compile(p, re.IGNORECASE) for p in spec["patterns"])
    # Cloud and Pulumi variables stay withheld, not replaced: the provider's own credentials are
    # no program's, and PULUMI_CONFIG_<KEY> is how the SDK looks config up.
    withheld = tuple(spec["withheld_prefixes"])

    def credential_like(name: Any) -> bool:
        return (isinstance(name, str) and not name.startswith(withheld) and bool(secret.search(name))
                and not reference.search(name) and not public.search(name))
    return credential_like


# Config values with a credential-like key that the program read in plaintext (Config.get,
# require, get_int...), not with get_secret/require_secret: (full key, value).
PLAIN_SECRET_READS: List[Dict[str, Any]] = []


def _record_plain_secret_reads(credential_like: Any) -> None:
    import pulumi

    original = pulumi.Config._get

    def _get(self: Any, key: str, use: Any = None, instead_of: Any = None) -> Any:
        value = original(self, key, use, instead_of)
        # The SDK passes `use` (the secret variant) only from the plain readers.
        if use is not None and isinstance(value, str) and credential_like(key.rsplit(":", 1)[-1]):
            PLAIN_SECRET_READS.append({"key": self.full_key(key), "value": value})
        return value

    pulumi.Config._get = _get  # type: ignore[method-assign]


def _placeholder_environment(credential_like: Any) -> None:

    base = os.environ

    class PlaceholderEnviron(type(base)):  # type: ignore[misc]
        def __getitem__(self, key: Any) -> Any:
            if credential_like(key):
                return env_placeholder(key)
            try:
                return super().__getitem__(key)
            except KeyError:
                if key in _ACCOUNT_VARIABLES:  # ordinary, but absent in CI containers
                    return _account_variable(key)
                raise

        def __contains__(self, key: Any) -> bool:
            return credential_like(key) or key in _ACCOUNT_VARIABLES or super().__contains__(key)

    env = PlaceholderEnviron(base._data, base.encodekey, base.decodekey,  # type: ignore[attr-defined]
                             base.encodevalue, base.decodevalue)
    del env["KEYGUARD_SECRET_NAMES"]
    os.environ = env  # os.getenv reads os.environ at call time


def _jsonable(value: Any) -> Any:
    return repr(value)


if __name__ == "__main__":
    _out = sys.argv[4] if len(sys.argv) == 5 else None
    _project_dir = os.path.abspath(os.path.dirname(sys.argv[1])) if len(sys.argv) > 1 else ""
    if len(sys.argv) > 1 and os.path.isdir(sys.argv[1]):
        _project_dir = os.path.abspath(sys.argv[1])
    try:
        _result = main(sys.argv[1:])
        _code = 0
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, whole
        if isinstance(exc, SystemExit) and exc.code in (0, None):
            _result, _code = {"error": {"type": "SystemExit", "message": "the program exited early"}}, 3
        else:
            _result, _code = {"error": _error(_cause(exc), _project_dir)}, 3
    if _out:
        with open(_out, "w", encoding="utf-8") as fh:
            json.dump(_result, fh, default=_jsonable)
    sys.stdout.flush()
    # Skip interpreter shutdown: a program's threads and the SDK's event loop would only
    # add noise (or hang) after the result is written.
    os._exit(_code)
