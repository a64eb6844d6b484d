"""What the mocks answer for a program run under mocks: resource outputs and function results.

The runner behaves like `pulumi preview`: an output it cannot know is unknown, so a rule
says it could not decide instead of judging a value the runner made up. What it does
model is what rules link resources by, derived for every resource type from the
installed provider package (the resource class's declared output properties):

- the id, and an ARN and a physical name wherever the class declares `arn` / `name`
  (service-specific ARN shapes for the types whose ARNs rules read, a generic
  `arn:aws:<service>:<region>:<account>:<type>/<name>` for the rest);
- the outputs the provider computes and marks secret (additionalSecretOutputs) get a
  generated value, marked secret, so that a secret that flows into an export, an environment or
  a parameter is recognised by value, as it would be in the real stack;
- every other output the class declares as always present is unknown; an unset
  optional one is absent, as in a preview.

Google Cloud resources and functions are modelled in _mock_gcp, Azure's (both providers) in _mock_azure.

Functions: getCallerIdentity, getRegion, getPartition and iam.getPolicyDocument (a pure
function of its arguments, see _policydoc) are answered; any other function gets
unknown results in the shape its result type declares, so the program runs on.

Standalone on purpose: the runner loads this file by path in the program's interpreter
(the program's own virtualenv), where keyguard's package may not be importable.
"""
from __future__ import annotations

import importlib
import re
import secrets
import string
import typing
import uuid
from collections import abc
from types import ModuleType
from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Tuple, cast

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
ACCOUNT = "111122223333"
# How many elements a list result of an unanswered function has: its values are unknown,
# and a program that indexes the list (availability zones, subnet ids) runs on.
UNKNOWN_LIST_LENGTH = 3
_ALNUM = string.ascii_letters + string.digits

# Services whose ARN prefix differs from the provider module's name.
_ARN_SERVICE = {"cloudwatch": "logs", "cognito": "cognito-idp", "elasticache": "elasticache",
                "lb": "elasticloadbalancing", "alb": "elasticloadbalancing", "appautoscaling": "application-autoscaling",
                "cloudfront": "cloudfront", "ecr": "ecr", "sfn": "states", "opensearch": "es"}
# Global services: no region in the ARN.
_GLOBAL = {"iam", "s3", "cloudfront", "route53", "organizations"}


def _token(n: int, alphabet: str = _ALNUM) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(n))


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _kebab(name: str) -> str:
    return _snake(name).replace("_", "-")


def secret(value: Any) -> Dict[str, Any]:
    return {SIG_KEY: SECRET_SIG, "value": value}


def is_secret(value: Any) -> bool:
    return isinstance(value, Mapping) and value.get(SIG_KEY) == SECRET_SIG


def unwrap(value: Any) -> Any:
    return value.get("value") if is_secret(value) else value


def _split_token(token: str) -> Optional[Tuple[str, str, str]]:
    """`aws:iam/role:Role` -> ("aws", "iam", "Role"); None for tokens of another shape."""
    parts = token.split(":")
    if len(parts) != 3:
        return None
    pkg, module, member = parts
    return pkg, module.split("/")[0], member


def _python_module(pkg: str, module: str) -> str:
    base = "pulumi_" + pkg.replace("-", "_")
    return base if module == "index" else f"{base}.{module.replace('-', '_')}"


def resource_class(token: str) -> Optional[type]:
    """The installed SDK's class for a resource type token, or None."""
    split = _split_token(token)
    if split is None:
        return None
    pkg, module, member = split
    try:
        return getattr(importlib.import_module(_python_module(pkg, module)), member, None)
    except Exception:  # noqa: BLE001 - a package the program does not have: nothing is declared
        return None


def function_result_class(token: str) -> Optional[type]:
    """The installed SDK's result class for a function token (`aws:ec2/getVpc:getVpc`), or None."""
    split = _split_token(token)
    if split is None:
        return None
    pkg, module, member = split
    name = member[0].upper() + member[1:] + "Result"
    try:
        mod = importlib.import_module(f"{_python_module(pkg, module)}.{_snake(member)}")
    except Exception:  # noqa: BLE001
        # A member with an acronym (getPublicIPAddress) is not snake-cased letter by letter;
        # the package module exports its result class too.
        try:
            mod = importlib.import_module(_python_module(pkg, module))
        except Exception:  # noqa: BLE001
            return None
    return getattr(mod, name, None)


def _declared(cls: Optional[type], resource: bool) -> Dict[str, Any]:
    """Wire name -> type of every property the class declares (function results)."""
    if cls is None:
        return {}
    try:
        from pulumi import _types

        return dict(_types.resource_types(cls) if resource else _types.output_type_types(cls))
    except Exception:  # noqa: BLE001 - an SDK without this helper: nothing declared
        return {}


def _optional(annotation: Any) -> bool:
    """Whether a getter's `Output[...]` return annotation says the output may be absent."""
    if isinstance(annotation, str):
        return "Optional[" in annotation
    args = typing.get_args(annotation)
    inner = args[0] if args else annotation
    return typing.get_origin(inner) is typing.Union and type(None) in typing.get_args(inner)


def computed_outputs(cls: Optional[type]) -> Tuple[str, ...]:
    """Wire names of the outputs a resource always has (not Optional): set by the program or
    computed by the provider. An unset Optional output is absent, as in a preview."""
    if cls is None:
        return ()
    try:
        from pulumi import _types

        names = _types.resource_py_to_pulumi_names(cls)
    except Exception:  # noqa: BLE001
        return ()
    out = []
    for py_name, wire in names.items():
        fget = getattr(getattr(cls, py_name, None), "fget", None)
        annotation = getattr(fget, "__annotations__", {}).get("return")
        if annotation is not None and not _optional(annotation):
            out.append(wire)
    return tuple(out)


# The SDK builds a function's result object in the program's process and type-checks each
# field, so an unknown cannot travel there as the SDK's Unknown: a string field gets this
# text instead, and the monitor turns any value that carries it back into an unknown.
UNKNOWN_TEXT = "keyguard-unknown-result-7d1e5f0a"


# How deep an object-typed field is filled with unknown fields (result types can nest, or refer
# to themselves); deeper objects are absent.
_OBJECT_DEPTH = 3


def unknown_of(typ: Any, depth: int = 0) -> Any:
    """A function result field whose value is not known, in the shape `typ` declares: text that
    the monitor reads as unknown, lists of it, empty maps, None for numbers and booleans, and an
    object of unknown fields for an object type (a program reads `result.dns_settings.fqdn`)."""
    origin = typing.get_origin(typ)
    if origin is typing.Union:
        args = [a for a in typing.get_args(typ) if a is not type(None)]
        return unknown_of(args[0], depth) if args else None
    if origin in (abc.Sequence, list, abc.MutableSequence):
        (elem,) = typing.get_args(typ) or (str,)
        return [UNKNOWN_TEXT] * UNKNOWN_LIST_LENGTH if elem is str else []
    if origin in (abc.Mapping, dict, abc.MutableMapping):
        return {}
    if isinstance(typ, type) and typ is not str and depth < _OBJECT_DEPTH:
        fields = _declared(typ, resource=False)
        if fields:
            return {name: unknown_of(t, depth + 1) for name, t in fields.items()}
    return UNKNOWN_TEXT if typ is str else None


def _echo(value: Any, typ: Any) -> Any:
    """An argument the result repeats, as the provider would type it ("true" for a bool is true)."""
    origin = typing.get_origin(typ)
    if origin is typing.Union:
        args = [a for a in typing.get_args(typ) if a is not type(None)]
        typ = args[0] if args else typ
    if typ is bool and isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if typ in (int, float) and isinstance(value, str):
        try:
            return typ(value)
        except ValueError:
            return None
    if typ in (bool, int, float, str) and not isinstance(value, typ):
        return unknown_of(typ)
    return value


def scrub(value: Any) -> Any:
    """A wire value with every string that carries UNKNOWN_TEXT made unknown: a value computed
    from an unknown function result is itself unknown."""
    if isinstance(value, str):
        return UNKNOWN if UNKNOWN_TEXT in value else value
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()}
    return value


class OutputModel:
    """Outputs for registered resources, kept per run (an ApiKey's value for its UsagePlanKey)."""

    def __init__(self, region: str) -> None:
        self.region = region
        self.api_keys: Dict[str, Any] = {}  # ApiKey id -> value (as registered, maybe secret)
        self._declared: Dict[str, Tuple[str, ...]] = {}

    def declared_outputs(self, token: str) -> Tuple[str, ...]:
        """The outputs a resource of this type always has (the installed SDK's declaration)."""
        if token not in self._declared:
            self._declared[token] = computed_outputs(resource_class(token))
        return self._declared[token]

    def _arn(self, service: str, rest: str) -> str:
        region = "" if service in _GLOBAL else self.region
        return f"arn:aws:{service}:{region}:{ACCOUNT}:{rest}"

    def new_resource(self, token: str, name: str, inputs: Dict[str, Any], secret_outputs: Sequence[str],
                     custom: bool) -> Tuple[str, Dict[str, Any]]:
        """(id, state) for a new resource: the inputs, the modelled outputs, and every other
        declared output unknown. Values are in the engine's wire form (secrets signed)."""
        if not custom:
            return "", {}
        physical = unwrap(inputs.get("name"))
        if not isinstance(physical, str) or not physical:
            prefix = unwrap(inputs.get("namePrefix"))
            physical = (prefix if isinstance(prefix, str) else f"{name}-") + _token(7).lower()
        declared = self.declared_outputs(token)
        special = _SPECIAL.get(token)
        out: Dict[str, Any] = special(self, physical, inputs) if special else {}
        if not special and token.startswith("aws:"):
            out.update(self._generic(token, physical, declared))
        elif not special and token.startswith("gcp:"):
            out.update(_sibling("_mock_gcp").outputs(token, physical, inputs))
        elif token.startswith(("azure-native:", "azure:")):
            out.update(_sibling("_mock_azure").resource_outputs(token, name, inputs))
        ident = out.pop("__id", None) or physical
        state = {**inputs, **{k: v for k, v in out.items() if k not in inputs or inputs[k] is None}}
        for prop in secret_outputs:
            if state.get(prop) is None and prop in declared:
                state[prop] = _token(40)
        for prop in declared:
            if prop not in state and prop not in ("id", "urn"):
                state[prop] = UNKNOWN
        if token.startswith("azure-native:"):
            state = _sibling("_mock_azure").native_state(state)
        for prop in secret_outputs:
            if prop in state and not is_secret(state[prop]) and state[prop] != UNKNOWN:
                state[prop] = secret(state[prop])
        if token == "aws:apigateway/apiKey:ApiKey":
            self.api_keys[ident] = state.get("value")
        return ident, state

    def _generic(self, token: str, physical: str, declared: Sequence[str]) -> Dict[str, Any]:
        split = _split_token(token)
        out: Dict[str, Any] = {}
        if split is None:
            return out
        _, module, member = split
        if "arn" in declared:
            service = _ARN_SERVICE.get(module, module)
            out["arn"] = self._arn(service, f"{_kebab(member)}/{physical}")
        if "name" in declared:
            out["name"] = physical
        return out

    def call(self, token: str, args: Mapping[str, Any]) -> Dict[str, Any]:
        if token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:user/deployer",
                    "userId": "AIDAEXAMPLE", "id": ACCOUNT}
        if token == "aws:index/getRegion:getRegion":
            region = args.get("name") or args.get("region") or self.region
            return {"name": region, "region": region, "id": region,
                    "endpoint": f"ec2.{region}.amazonaws.com"}
        if token == "aws:index/getPartition:getPartition":
            return {"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws",
                    "reverseDnsPrefix": "com.amazonaws"}
        if token == "aws:iam/getPolicyDocument:getPolicyDocument":
            from_file = _sibling("_policydoc")
            try:
                return cast(Dict[str, Any], from_file.policy_document(args))
            except from_file.Unknowable:
                return {**args, "json": UNKNOWN, "minifiedJson": UNKNOWN, "id": UNKNOWN}
        cloud = "_mock_gcp" if token.startswith("gcp:") else \
            "_mock_azure" if token.startswith(("azure-native:", "azure:")) else None
        if cloud is not None:
            answered = _sibling(cloud).call(token, args)
            if answered is not None:
                return cast(Dict[str, Any], answered)
        declared = _declared(function_result_class(token), resource=False)
        return {prop: _echo(args[prop], typ) if prop in args else unknown_of(typ) for prop, typ in declared.items()}


def _sibling(name: str) -> ModuleType:
    """A module next to this file, loaded by the runner under a private name."""
    import sys

    return sys.modules[f"_keyguard_mock{name}"]


# Service-specific outputs for the types whose ARNs, ids and names rules link by.
def _kms_key(m: OutputModel, physical: str, inputs: Dict[str, Any]) -> Dict[str, Any]:
    key_id = str(uuid.uuid4())
    return {"__id": key_id, "keyId": key_id, "arn": m._arn("kms", f"key/{key_id}")}


def _kms_alias(m: OutputModel, physical: str, inputs: Dict[str, Any]) -> Dict[str, Any]:
    return {"__id": physical, "name": physical, "arn": m._arn("kms", physical)}


def _iam_path(inputs: Dict[str, Any]) -> str:
    path = unwrap(inputs.get("path"))
    return path if isinstance(path, str) and path.startswith("/") else "/"


def _iam(kind: str) -> Callable[[OutputModel, str, Dict[str, Any]], Dict[str, Any]]:
    def model(m: OutputModel, physical: str, inputs: Dict[str, Any]) -> Dict[str, Any]:
        arn = f"arn:aws:iam::{ACCOUNT}:{kind}{_iam_path(inputs)}{physical}"
        out = {"__id": arn if kind == "policy" else physical, "arn": arn, "name": physical}
        if kind in ("role", "user", "group"):
            out["uniqueId"] = {"role": "AROA", "user": "AIDA", "group": "AGPA"}[kind] + _token(17).upper()
        if kind == "policy":
            out["policyId"] = "ANPA" + _token(17).upper()
        return out
    return model


def _role_policy(m: OutputModel, physical: str, inputs: Dict[str, Any]) -> Dict[str, Any]:
    return {"__id": f"{unwrap(inputs.get('role'))}:{physical}", "name": physical}


def _secret(m: OutputModel, physical: str, inputs: Dict[str, Any]) -> Dict[str, Any]:
    arn = m._arn("secretsmanager", f"secret:{physical}-{_token(6)}")
    return {"__id": arn, "arn": arn, "name": physical}


def _secret_version(m: OutputModel, physical: str, inputs: Dict[str, Any]) -> Dict[str, Any]:
    version = str(uuid.uuid4())
    secret_id = unwrap(inputs.get("secretId"))
    return {"__id": f"{secret_id}|{version}", "arn": secret_id, "versionId": version,
            "versionStages": ["AWSCURRENT"]}


def _rotation(m: OutputModel, physical: str, inputs: Dict[str, Any]) -> Dict[str, Any]:
    return {"__id": unwrap(inputs.get("secretId")), "rotationEnabled": True}


def _function(m: OutputModel, physical: str, inputs: Dict[str, Any]) -> Dict[str, Any]:
    arn = m._arn("lambda", f"function:{physical}")
    return {"__id": physical, "arn": arn, "name": physical, "qualifiedArn": f"{arn}:$LATEST",
            "invokeArn": f"arn:aws:apigateway:{m.region}:lambda:path/2015-03-31/functions/{arn}/invocations",
            "version": "$LATEST"}


def _permission(m: OutputModel, physical: str, inputs: Dict[str, Any]) -> Dict[str, Any]:
    return {"__id": unwrap(inputs.get("statementId")) or physical}


def _log_group(m: OutputModel, physical: str, inputs: Dict[str, Any]) -> Dict[str, Any]:
    return {"__id": physical, "name": physical, "arn": m._arn("logs", f"log-group:{physical}")}


def _parameter(m: OutputModel, physical: str, inputs: Dict[str, Any]) -> Dict[str, Any]:
    return {"__id": physical, "name": physical, "arn": m._arn("ssm", f"parameter/{physical.lstrip('/')}")}


def _bucket(m: OutputModel, physical: str, inputs: Dict[str, Any]) -> Dict[str, Any]:
    bucket = unwrap(inputs.get("bucket")) or physical
    return {"__id": bucket, "bucket": bucket, "arn": f"arn:aws:s3:::{bucket}",
            "bucketDomainName": f"{bucket}.s3.amazonaws.com"}


def _topic(m: OutputModel, physical: str, inputs: Dict[str, Any]) -> Dict[str, Any]:
    arn = m._arn("sns", physical)
    return {"__id": arn, "arn": arn, "name": physical}


def _queue(m: OutputModel, physical: str, inputs: Dict[str, Any]) -> Dict[str, Any]:
    url = f"https://sqs.{m.region}.amazonaws.com/{ACCOUNT}/{physical}"
    return {"__id": url, "url": url, "arn": m._arn("sqs", physical), "name": physical}


def _table(m: OutputModel, physical: str, inputs: Dict[str, Any]) -> Dict[str, Any]:
    return {"__id": physical, "name": physical, "arn": m._arn("dynamodb", f"table/{physical}")}


def _apigateway(m: OutputModel, physical: str, inputs: Dict[str, Any], typ: str) -> Dict[str, Any]:
    gw = f"arn:aws:apigateway:{m.region}::"
    ident = _token(10).lower()
    if typ == "restApi":
        return {"__id": ident, "name": physical, "rootResourceId": _token(10).lower(),
                "arn": f"{gw}/restapis/{ident}", "executionArn": m._arn("execute-api", ident)}
    if typ == "apiKey":
        return {"__id": ident, "name": physical, "value": unwrap(inputs.get("value")) or _token(40),
                "arn": f"{gw}/apikeys/{ident}", "enabled": inputs.get("enabled", True),
                # A fixed creation time: programs put it in the secret they store (rotation metadata).
                "createdDate": "2026-01-01T00:00:00Z"}
    if typ == "usagePlan":
        return {"__id": ident, "name": physical, "arn": f"{gw}/usageplans/{ident}"}
    if typ == "usagePlanKey":
        key_id = unwrap(inputs.get("keyId"))
        value = m.api_keys.get(key_id) if isinstance(key_id, str) else None
        return {"__id": key_id if isinstance(key_id, str) else ident, "name": physical,
                "value": unwrap(value) if value is not None else UNKNOWN}
    if typ == "stage":
        api = unwrap(inputs.get("restApi"))
        stage = unwrap(inputs.get("stageName")) or physical
        return {"__id": f"ags-{api}-{stage}", "arn": f"{gw}/restapis/{api}/stages/{stage}",
                "executionArn": m._arn("execute-api", f"{api}/{stage}"),
                "invokeUrl": f"https://{api}.execute-api.{m.region}.amazonaws.com/{stage}"}
    if typ == "resource":
        return {"__id": ident, "path": "/" + str(unwrap(inputs.get("pathPart")) or "")}
    return {"__id": ident}


def _gw(typ: str) -> Callable[[OutputModel, str, Dict[str, Any]], Dict[str, Any]]:
    return lambda m, physical, inputs: _apigateway(m, physical, inputs, typ)


_SPECIAL: Dict[str, Callable[[OutputModel, str, Dict[str, Any]], Dict[str, Any]]] = {
    "aws:kms/key:Key": _kms_key,
    "aws:kms/alias:Alias": _kms_alias,
    "aws:iam/role:Role": _iam("role"),
    "aws:iam/user:User": _iam("user"),
    "aws:iam/group:Group": _iam("group"),
    "aws:iam/policy:Policy": _iam("policy"),
    "aws:iam/rolePolicy:RolePolicy": _role_policy,
    "aws:secretsmanager/secret:Secret": _secret,
    "aws:secretsmanager/secretVersion:SecretVersion": _secret_version,
    "aws:secretsmanager/secretRotation:SecretRotation": _rotation,
    "aws:lambda/function:Function": _function,
    "aws:lambda/permission:Permission": _permission,
    "aws:cloudwatch/logGroup:LogGroup": _log_group,
    "aws:ssm/parameter:Parameter": _parameter,
    "aws:s3/bucket:Bucket": _bucket,
    "aws:s3/bucketV2:BucketV2": _bucket,
    "aws:sns/topic:Topic": _topic,
    "aws:sqs/queue:Queue": _queue,
    "aws:dynamodb/table:Table": _table,
    **{f"aws:apigateway/{t}:{t[0].upper()}{t[1:]}": _gw(t)
       for t in ("restApi", "apiKey", "usagePlan", "usagePlanKey", "stage", "resource")},
}
