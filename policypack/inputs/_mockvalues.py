"""Outputs a real deployment would give, invented for programs run under mocks.

Rules link resources by id, ARN and name, and the secret detector compares
values with secret-bearing outputs (ApiKey.value), so the mocks must return
outputs shaped like AWS's: ARNs in each service's format, physical names,
and a generated API key that the UsagePlanKey repeats.
"""
from __future__ import annotations

import secrets
import string
import uuid
from typing import Any, Dict, Mapping, Optional, Tuple

from pulumi.runtime.mocks import MockCallArgs, MockResourceArgs, Mocks

ACCOUNT = "111122223333"
_ALNUM = string.ascii_letters + string.digits


def _token(n: int, alphabet: str = _ALNUM) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(n))


class RealisticMocks(Mocks):
    def __init__(self, config: Mapping[str, str]) -> None:
        self.region = config.get("aws:region") or "us-east-1"
        self.api_keys: Dict[str, str] = {}  # ApiKey id -> value

    def call(self, args: MockCallArgs) -> dict:
        tok = args.token
        if tok == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:user/deployer",
                    "userId": "AIDAEXAMPLE", "id": ACCOUNT}
        if tok == "aws:index/getRegion:getRegion":
            return {"name": self.region, "region": self.region, "id": self.region}
        if tok == "aws:index/getPartition:getPartition":
            return {"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws"}
        return dict(args.args)

    def new_resource(self, args: MockResourceArgs) -> Tuple[Optional[str], dict]:
        inputs = dict(args.inputs)
        out = self._outputs(args.typ, args.name, inputs)
        state = {**inputs, **out}
        return state.pop("__id", None) or f"{args.name}-{_token(7).lower()}", state

    def _arn(self, service: str, rest: str, region: bool = True) -> str:
        return f"arn:aws:{service}:{self.region if region else ''}:{ACCOUNT}:{rest}"

    def _outputs(self, typ: str, name: str, inputs: Dict[str, Any]) -> Dict[str, Any]:
        physical = inputs.get("name") or f"{name}-{_token(7).lower()}"
        region = self.region
        if typ == "aws:kms/key:Key":
            key_id = str(uuid.uuid4())
            return {"__id": key_id, "keyId": key_id, "arn": self._arn("kms", f"key/{key_id}")}
        if typ == "aws:kms/alias:Alias":
            return {"__id": physical, "arn": self._arn("kms", physical)}
        if typ == "aws:iam/role:Role":
            return {"__id": physical, "name": physical, "uniqueId": "AROA" + _token(17).upper(),
                    "arn": f"arn:aws:iam::{ACCOUNT}:role{inputs.get('path') or '/'}{physical}"}
        if typ == "aws:iam/policy:Policy":
            arn = f"arn:aws:iam::{ACCOUNT}:policy{inputs.get('path') or '/'}{physical}"
            return {"__id": arn, "arn": arn, "name": physical}
        if typ == "aws:iam/rolePolicy:RolePolicy":
            return {"__id": f"{inputs.get('role')}:{physical}", "name": physical}
        if typ == "aws:secretsmanager/secret:Secret":
            arn = self._arn("secretsmanager", f"secret:{physical}-{_token(6)}")
            return {"__id": arn, "arn": arn, "name": physical}
        if typ == "aws:secretsmanager/secretVersion:SecretVersion":
            version = str(uuid.uuid4())
            secret = inputs.get("secretId")
            return {"__id": f"{secret}|{version}", "arn": secret, "versionId": version,
                    "versionStages": ["AWSCURRENT"]}
        if typ == "aws:secretsmanager/secretRotation:SecretRotation":
            return {"__id": inputs.get("secretId"), "rotationEnabled": True}
        if typ == "aws:lambda/function:Function":
            arn = self._arn("lambda", f"function:{physical}")
            return {"__id": physical, "arn": arn, "name": physical, "qualifiedArn": f"{arn}:$LATEST",
                    "invokeArn": f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations",
                    "version": "$LATEST"}
        if typ == "aws:lambda/permission:Permission":
            return {"__id": inputs.get("statementId") or physical}
        if typ == "aws:cloudwatch/logGroup:LogGroup":
            return {"__id": physical, "name": physical, "arn": self._arn("logs", f"log-group:{physical}")}
        if typ == "aws:ssm/parameter:Parameter":
            return {"__id": physical, "name": physical, "arn": self._arn("ssm", f"parameter/{physical.lstrip('/')}")}
        if typ.startswith("aws:apigateway/"):
            return self._apigateway(typ, physical, inputs)
        return {}

    def _apigateway(self, typ: str, physical: str, inputs: Dict[str, Any]) -> Dict[str, Any]:
        region = self.region
        gw = f"arn:aws:apigateway:{region}::"
        ident = _token(10).lower()
        if typ == "aws:apigateway/restApi:RestApi":
            return {"__id": ident, "name": physical, "rootResourceId": _token(10).lower(),
                    "arn": f"{gw}/restapis/{ident}",
                    "executionArn": self._arn("execute-api", ident)}
        if typ == "aws:apigateway/apiKey:ApiKey":
            value = inputs.get("value") or _token(40)
            self.api_keys[ident] = value
            return {"__id": ident, "name": physical, "value": value, "arn": f"{gw}/apikeys/{ident}",
                    "enabled": inputs.get("enabled", True),
                    "createdDate": "2026-01-01T00:00:00Z"}
        if typ == "aws:apigateway/usagePlan:UsagePlan":
            return {"__id": ident, "name": physical, "arn": f"{gw}/usageplans/{ident}"}
        if typ == "aws:apigateway/usagePlanKey:UsagePlanKey":
            key_id = inputs.get("keyId")
            return {"__id": key_id or ident, "name": physical,
                    "value": self.api_keys.get(key_id, _token(40))}
        if typ == "aws:apigateway/stage:Stage":
            api = inputs.get("restApi")
            stage = inputs.get("stageName") or physical
            return {"__id": f"ags-{api}-{stage}", "arn": f"{gw}/restapis/{api}/stages/{stage}",
                    "executionArn": self._arn("execute-api", f"{api}/{stage}"),
                    "invokeUrl": f"https://{api}.execute-api.{region}.amazonaws.com/{stage}"}
        if typ == "aws:apigateway/resource:Resource":
            return {"__id": ident, "path": "/" + str(inputs.get("pathPart") or "")}
        return {"__id": ident}
