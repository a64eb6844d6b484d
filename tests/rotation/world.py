"""A moto account holding one usage plan, one Pulumi-made API key and its secret, plus the
bookkeeping Secrets Manager does around a rotation, so tests can drive the handler step by step.
"""
from __future__ import annotations

import importlib.util
import json
import uuid
from pathlib import Path

import boto3
from botocore.exceptions import ClientError, ReadTimeoutError
from moto.core import DEFAULT_ACCOUNT_ID
from moto.secretsmanager.models import secretsmanager_backends

ROOT = Path(__file__).resolve().parents[2]
REGION = "us-east-1"
SECRET_NAME = "keyguard/api-key"
CURRENT, PENDING, PREVIOUS = "AWSCURRENT", "AWSPENDING", "AWSPREVIOUS"


def load(name: str):
    """Import a file of infra/rotation/ the way Lambda does: as a top-level module, alone."""
    spec = importlib.util.spec_from_file_location(f"keyguard_rotation_{name}", ROOT / "infra" / "rotation" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


handler_module = load("handler")
permissions = load("permissions")


class Faults:
    """botocore hooks on the default session: record every call the handler makes and fail
    the Nth one of a step. An error before the call never reaches AWS (a timeout there looks
    the same to the handler); a timeout after it hides a call that did succeed."""

    KINDS = ("error-before", "timeout-after")

    def __init__(self, session):
        self.calls: list[tuple[str, str]] = []
        self.armed = False
        self.plan: tuple[int, str] | None = None
        session.events.register("before-call", self._before)
        session.events.register("after-call", self._after)

    def arm(self, nth: int | None = None, kind: str | None = None, action=None):
        """Fail call `nth` with `kind`, or run `action` just before it."""
        self.armed, self.count, self.fired, self.action = True, 0, False, action
        self.plan = (nth, kind) if nth is not None else None

    def disarm(self):
        self.armed = False

    def _fire(self, when: str, model):
        if not self.armed or self.plan is None or self.fired:
            return
        nth, kind = self.plan
        if self.count == nth and self.action and when == "before":
            self.fired = True
            self.action()
        elif self.count == nth and kind and kind.endswith(when):
            self.fired = True
            if kind.startswith("timeout"):
                raise ReadTimeoutError(endpoint_url=f"https://{model.service_model.endpoint_prefix}.test")
            raise ClientError({"Error": {"Code": "InternalFailure", "Message": "injected"}}, model.name)

    def _before(self, model, **_):
        if not self.armed:
            return
        self.count += 1
        self.calls.append((model.service_model.service_name, model.name))
        self._fire("before", model)

    def _after(self, model, **_):
        self._fire("after", model)


def _faults() -> Faults:
    """The default session, with its hooks, outlives the worlds: building a session costs
    a tenth of a second, which the fault matrix and the race would pay hundreds of times."""
    session = boto3.DEFAULT_SESSION
    if session is None or not hasattr(session, "keyguard_faults"):
        session = boto3.setup_default_session(region_name=REGION) or boto3.DEFAULT_SESSION
        session.keyguard_faults = Faults(session)
    session.keyguard_faults.disarm()
    session.keyguard_faults.calls.clear()
    return session.keyguard_faults


class World:
    def __init__(self):
        self.faults = _faults()
        self.sm = boto3.client("secretsmanager", region_name=REGION)
        self.apigw = boto3.client("apigateway", region_name=REGION)
        api = self.apigw.create_rest_api(name="keyguard")
        self.plan_id = self.apigw.create_usage_plan(
            name="keyguard", apiStages=[{"apiId": api["id"], "stage": "prod"}],
            throttle={"rateLimit": 10, "burstLimit": 20}, quota={"limit": 1000, "period": "DAY"},
        )["id"]
        # The stack's own key: untagged, named by Pulumi, not by the function.
        key = self.apigw.create_api_key(name="keyguard-key-1a2b3c", enabled=True)
        self.initial_key = key["id"]
        self.apigw.create_usage_plan_key(usagePlanId=self.plan_id, keyId=key["id"], keyType="API_KEY")
        value = {"apiKeyId": key["id"], "value": key["value"], "usagePlanId": self.plan_id,
                 "createdAt": "2026-01-01T00:00:00+00:00"}
        self.arn = self.sm.create_secret(Name=SECRET_NAME, SecretString=json.dumps(value))["ARN"]
        self.enable_rotation()

    def session_client(self, service: str):
        return boto3.client(service, region_name=REGION)

    # -- Secrets Manager's side of a rotation -----------------------------
    @property
    def backend_secret(self):
        return secretsmanager_backends[DEFAULT_ACCOUNT_ID][REGION].secrets[SECRET_NAME]

    def enable_rotation(self, enabled: bool = True):
        # What RotateSecret's configuration part leaves behind, without starting a rotation.
        secret = self.backend_secret
        secret.rotation_requested = True
        secret.rotation_enabled = enabled
        secret.auto_rotate_after_days = 30
        secret.rotation_lambda_arn = f"arn:aws:lambda:{REGION}:{DEFAULT_ACCOUNT_ID}:function:keyguard-rotation"

    def start(self, token: str | None = None) -> str:
        """RotateSecret's bookkeeping: a value-less version labelled AWSPENDING."""
        token = token or str(uuid.uuid4())
        secret = self.backend_secret
        secret.remove_version_stages_from_old_versions([PENDING])
        secret.versions[token] = {"createdate": 0, "version_id": token, "version_stages": [PENDING]}
        return token

    def step(self, step: str, token: str, secret_id: str | None = None):
        return handler_module.handler(
            {"Step": step, "SecretId": secret_id or self.arn, "ClientRequestToken": token}, None)

    def calls_per_step(self) -> dict[str, int]:
        """How many AWS calls each step of one clean rotation makes."""
        token, counts = self.start(), {}
        for step in handler_module.STEPS:
            self.faults.arm()
            self.step(step, token)
            self.faults.disarm()
            counts[step] = self.faults.count
        return counts

    def rotate(self) -> str:
        token = self.start()
        for step in handler_module.STEPS:
            self.step(step, token)
        return token

    # -- observed state -----------------------------------------------------
    def stages(self) -> dict[str, set[str]]:
        versions = self.sm.list_secret_version_ids(SecretId=self.arn, IncludeDeprecated=True)["Versions"]
        return {v["VersionId"]: set(v.get("VersionStages") or ()) for v in versions}

    def holder(self, stage: str) -> str | None:
        held = [v for v, s in self.stages().items() if stage in s]
        assert len(held) <= 1, f"{stage} on {held}"
        return held[0] if held else None

    def value(self, version: str) -> dict | None:
        try:
            return json.loads(self.sm.get_secret_value(SecretId=self.arn, VersionId=version)["SecretString"])
        except ClientError:
            return None

    def key_of(self, stage: str) -> str | None:
        version = self.holder(stage)
        value = self.value(version) if version else None
        return value["apiKeyId"] if value else None

    def keys(self) -> dict[str, dict]:
        return {k["id"]: k for k in self.apigw.get_api_keys(includeValues=True, limit=500)["items"]}

    def attached(self) -> set[str]:
        return {k["id"] for k in self.apigw.get_usage_plan_keys(usagePlanId=self.plan_id)["items"]}

    def snapshot(self):
        return (sorted((v, sorted(s)) for v, s in self.stages().items()),
                sorted((k["id"], k["enabled"]) for k in self.keys().values()), sorted(self.attached()))

    def check_invariants(self):
        """What must hold after any step, failed or not."""
        stages = self.stages()
        currents = [v for v, s in stages.items() if CURRENT in s]
        assert len(currents) == 1, f"AWSCURRENT on {currents}"
        current = self.value(currents[0])
        keys = self.keys()
        key = keys.get(current["apiKeyId"])
        assert key and key["enabled"], "current key missing or disabled"
        assert key["value"] == current["value"], "current key value differs from the secret"
        assert current["apiKeyId"] in self.attached(), "current key not on the usage plan"
        live = {v for v, s in stages.items() if s & {CURRENT, PREVIOUS, PENDING}}
        live_keys = {self.value(v)["apiKeyId"] for v in live if self.value(v)}
        pending = next((v for v, s in stages.items() if PENDING in s and CURRENT not in s), None)
        for key in keys.values():
            if not key["enabled"] or key["id"] in live_keys:
                continue
            # A key createSecret made before failing to store it: its version is still pending.
            made_for = (key.get("tags") or {}).get(handler_module.TAG_VERSION)
            assert pending and made_for == pending, f"enabled key {key['id']} belongs to no live version"
