"""TEST STAND-IN for the AWS provider plugin (`pulumi-resource-aws`), like moto is for AWS.

It is NOT the AWS provider and never calls AWS. The end-to-end tests put this directory on
PATH so that the real Pulumi engine loads it as `pulumi-resource-aws` (the real provider
binary cannot be built here). It speaks the ResourceProvider gRPC protocol with the stubs
shipped in the `pulumi` Python package:

- Check returns the inputs; Diff compares old and new inputs;
- Create returns a deterministic id and outputs = inputs plus the computed attributes the
  stack and the examples read (unknown during preview, as with the real provider) (`arn`, `id`, `name`, `invokeUrl`, `rootResourceId`, an API
  key's `value`, ...); Read, Update and Delete work on those;
- Invoke answers the data sources the programs call (caller identity, region, partition);
- outputs are secret exactly where the real provider's schema marks them secret
  (`ApiKey.value` yes, `UsagePlanKey.value` no: the stack's own additionalSecretOutputs
  has to protect the latter, as with the real provider).

Started as `python aws_standin.py <engine address>`; prints its port, as plugins do.
"""
from __future__ import annotations

import hashlib
import json
import sys
from concurrent import futures
from typing import Any, Dict

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

# What pulumi-aws 7.51.1's SDK asks the engine for.
VERSION = "7.51.1"
ACCOUNT = "123456789012"
REGION = "us-east-1"
SIG = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

# Outputs the real provider's schema marks secret.
SECRET_OUTPUTS = {
    "aws:apigateway/apiKey:ApiKey": {"value"},
    "aws:secretsmanager/secretVersion:SecretVersion": {"secretString", "secretBinary"},
    "aws:iam/accessKey:AccessKey": {"secret", "sesSmtpPasswordV4"},
}


# A schema just wide enough for the resources and data sources the e2e programs use (Pulumi
# YAML resolves types through it). Every property is `Any`; `secret` follows the real schema.
_RESOURCES = {
    "aws:kms/key:Key": ["description", "enableKeyRotation", "rotationPeriodInDays", "deletionWindowInDays",
                        "policy", "keyUsage", "customerMasterKeySpec", "bypassPolicyLockoutSafetyCheck",
                        "tags", "arn", "keyId"],
    "aws:secretsmanager/secret:Secret": ["name", "description", "kmsKeyId", "recoveryWindowInDays", "policy",
                                         "tags", "arn"],
    "aws:secretsmanager/secretVersion:SecretVersion": ["secretId", "secretString", "secretBinary", "arn",
                                                      "versionId"],
    "aws:secretsmanager/secretRotation:SecretRotation": ["secretId", "rotationLambdaArn", "rotationRules",
                                                         "rotateImmediately"],
    "aws:apigateway/apiKey:ApiKey": ["name", "description", "enabled", "value", "tags", "arn"],
    "aws:apigateway/usagePlan:UsagePlan": ["name", "description", "apiStages", "throttleSettings",
                                           "quotaSettings", "arn"],
    "aws:apigateway/usagePlanKey:UsagePlanKey": ["keyId", "keyType", "usagePlanId", "name", "value"],
    "aws:iam/role:Role": ["name", "assumeRolePolicy", "inlinePolicies", "managedPolicyArns", "arn", "uniqueId"],
    "aws:iam/rolePolicy:RolePolicy": ["name", "role", "policy"],
    "aws:ssm/parameter:Parameter": ["name", "type", "value", "arn"],
}
_FUNCTIONS = {
    "aws:index/getCallerIdentity:getCallerIdentity": ["accountId", "arn", "userId", "id"],
    "aws:index/getRegion:getRegion": ["name", "region", "id", "description", "endpoint"],
    "aws:index/getPartition:getPartition": ["partition", "dnsSuffix", "reverseDnsPrefix", "id"],
}


def schema() -> dict:
    def props(rtype, names):
        secret = SECRET_OUTPUTS.get(rtype, set())
        return {n: {"$ref": "pulumi.json#/Any", **({"secret": True} if n in secret else {})} for n in names}

    return {
        "name": "aws", "version": VERSION,
        "meta": {"moduleFormat": "(.*)(?:/[^/]*)"},
        "resources": {t: {"properties": props(t, n), "inputProperties": props(t, n)} for t, n in _RESOURCES.items()},
        "functions": {t: {"outputs": {"properties": props(t, n), "type": "object"}} for t, n in _FUNCTIONS.items()},
    }


def _dict(s: struct_pb2.Struct) -> Dict[str, Any]:
    return json_format.MessageToDict(s) if s is not None else {}


def _struct(d: Dict[str, Any]) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    s.update(d)
    return s


def _plain(v: Any) -> Any:
    if isinstance(v, dict) and v.get(SIG) == SECRET_SIG:
        return v.get("value")
    return v


def _secret(v: Any) -> Any:
    if isinstance(v, dict) and v.get(SIG) == SECRET_SIG:
        return v
    return {SIG: SECRET_SIG, "value": v}


def _urn_parts(urn: str):
    # urn:pulumi:<stack>::<project>::<qualified type>::<name>
    parts = urn.split("::")
    return parts[2].split("$")[-1], parts[3]


def _digest(*parts: str, n: int = 10) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:n]


def computed(rtype: str, urn: str, inputs: Dict[str, Any], rid: str) -> Dict[str, Any]:
    """Attributes AWS computes; deterministic in the URN so runs are reproducible."""
    _, name = _urn_parts(urn)
    module = rtype.split(":")[1].split("/")[0]
    service = {"lambda": "lambda", "cloudwatch": "logs", "apigateway": "apigateway"}.get(module, module)
    out: Dict[str, Any] = {"id": rid}
    rname = _plain(inputs.get("name")) or f"{name}-{_digest(urn, n=7)}"
    if rtype == "aws:apigateway/restApi:RestApi":
        out["rootResourceId"] = _digest(urn, "root")
        out["executionArn"] = f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{rid}"
    if rtype == "aws:apigateway/stage:Stage":
        out["invokeUrl"] = f"https://{_plain(inputs.get('restApi'))}.execute-api.{REGION}.amazonaws.com/{_plain(inputs.get('stageName'))}"
    if rtype == "aws:apigateway/apiKey:ApiKey" and inputs.get("value") in (None, ""):
        out["value"] = "standin" + _digest(urn, "apikey", n=33)
    if rtype == "aws:kms/key:Key":
        out["keyId"] = rid
        out["arn"] = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{rid}"
    elif rtype == "aws:iam/role:Role" or rtype == "aws:iam/policy:Policy":
        out["arn"] = f"arn:aws:iam::{ACCOUNT}:{'role' if 'role' in rtype else 'policy'}/{rname}"
        out["uniqueId"] = "AROA" + _digest(urn, n=16).upper()
    elif rtype == "aws:lambda/function:Function":
        out["arn"] = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{rname}"
        out["invokeArn"] = f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{out['arn']}/invocations"
    elif rtype == "aws:secretsmanager/secret:Secret":
        out["arn"] = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{rname}-{_digest(urn, n=6)}"
    else:
        out["arn"] = f"arn:aws:{service}:{REGION}:{ACCOUNT}:{name}/{rid}"
    if "name" not in inputs and rtype != "aws:apigateway/usagePlanKey:UsagePlanKey":
        out["name"] = rname
    if rtype == "aws:secretsmanager/secretVersion:SecretVersion":
        out["versionId"] = _digest(urn, "version", n=32)
        out["arn"] = _plain(inputs.get("secretId"))
    return out


class StandInAws(provider_pb2_grpc.ResourceProviderServicer):
    def __init__(self) -> None:
        # UsagePlanKey.value is the API key's value: remember each ApiKey's value by id.
        self.api_keys: Dict[str, Any] = {}

    # --- plugin and configuration -------------------------------------------------------
    def GetPluginInfo(self, request, context):
        return plugin_pb2.PluginInfo(version=VERSION)

    def GetSchema(self, request, context):
        return provider_pb2.GetSchemaResponse(schema=json.dumps(schema()))

    def CheckConfig(self, request, context):
        return provider_pb2.CheckResponse(inputs=request.news)

    def DiffConfig(self, request, context):
        return provider_pb2.DiffResponse(changes=provider_pb2.DiffResponse.DIFF_NONE)

    def Configure(self, request, context):
        return provider_pb2.ConfigureResponse(acceptSecrets=True, supportsPreview=True, acceptResources=True)

    def Cancel(self, request, context):
        return empty_pb2.Empty()

    # --- data sources ---------------------------------------------------------------------
    def Invoke(self, request, context):
        tok = request.tok
        if tok == "aws:index/getCallerIdentity:getCallerIdentity":
            ret = {"accountId": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:user/standin",
                   "userId": "AIDASTANDIN", "id": ACCOUNT}
        elif tok == "aws:index/getRegion:getRegion":
            ret = {"name": REGION, "region": REGION, "id": REGION, "description": "US East (N. Virginia)",
                   "endpoint": f"ec2.{REGION}.amazonaws.com"}
        elif tok == "aws:index/getPartition:getPartition":
            ret = {"partition": "aws", "dnsSuffix": "amazonaws.com", "reverseDnsPrefix": "com.amazonaws",
                   "id": "aws"}
        else:
            return provider_pb2.InvokeResponse(failures=[provider_pb2.CheckFailure(
                property="", reason=f"the stand-in AWS provider does not implement {tok}")])
        return provider_pb2.InvokeResponse(**{"return": _struct(ret)})

    # --- resources ------------------------------------------------------------------------
    def Check(self, request, context):
        return provider_pb2.CheckResponse(inputs=request.news)

    def Diff(self, request, context):
        olds, news = _dict(request.olds), _dict(request.news)
        keys = sorted(k for k in set(olds) | set(news) if olds.get(k) != news.get(k))
        change = provider_pb2.DiffResponse.DIFF_SOME if keys else provider_pb2.DiffResponse.DIFF_NONE
        return provider_pb2.DiffResponse(changes=change, diffs=keys)

    def _outputs(self, rtype: str, urn: str, inputs: Dict[str, Any], rid: str) -> Dict[str, Any]:
        out = dict(inputs)
        out.update(computed(rtype, urn, inputs, rid))
        if rtype == "aws:apigateway/apiKey:ApiKey":
            self.api_keys[rid] = _plain(out["value"])
        if rtype == "aws:apigateway/usagePlanKey:UsagePlanKey":
            key_id = _plain(inputs.get("keyId"))
            out["value"] = self.api_keys.get(key_id, UNKNOWN if key_id is None else f"standin-value-of-{key_id}")
            out["keyType"] = inputs.get("keyType", "API_KEY")
        for k in SECRET_OUTPUTS.get(rtype, ()):
            if k in out:
                out[k] = _secret(out[k])
        return out

    def Create(self, request, context):
        rtype, _ = _urn_parts(request.urn)
        inputs = _dict(request.properties)
        if request.preview:
            # As the real provider: during preview what AWS computes is not known yet.
            unknown = {k: UNKNOWN for k in computed(rtype, request.urn, inputs, "preview") if k not in inputs}
            if rtype == "aws:apigateway/usagePlanKey:UsagePlanKey":
                unknown["value"] = UNKNOWN
            return provider_pb2.CreateResponse(id="", properties=_struct({**inputs, **unknown}))
        rid = inputs.get("name") if rtype == "aws:cloudwatch/logGroup:LogGroup" else None
        rid = _plain(rid) or _digest(request.urn, n=12)
        return provider_pb2.CreateResponse(id=rid, properties=_struct(self._outputs(rtype, request.urn, inputs, rid)))

    def Read(self, request, context):
        props = _dict(request.properties)
        if props.get("value") is not None and request.urn and _urn_parts(request.urn)[0] == "aws:apigateway/apiKey:ApiKey":
            self.api_keys[request.id] = _plain(props["value"])
        return provider_pb2.ReadResponse(id=request.id, properties=request.properties, inputs=request.inputs)

    def Update(self, request, context):
        rtype, _ = _urn_parts(request.urn)
        news = _dict(request.news)
        return provider_pb2.UpdateResponse(properties=_struct(self._outputs(rtype, request.urn, news, request.id)))

    def Delete(self, request, context):
        return empty_pb2.Empty()


def main() -> None:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(StandInAws(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    server.wait_for_termination()


if __name__ == "__main__":
    main()
