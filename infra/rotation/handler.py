"""Secrets Manager rotation function for an API Gateway API key.

The secret holds {"apiKeyId", "value", "usagePlanId", "createdAt"} in every version.
Each step is safe to retry: Secrets Manager re-invokes a failed step with the same token,
and a step may have half-run (a timeout can hide a call that did succeed).
Only the Lambda runtime's boto3 is used.
"""
import json
import os
from datetime import datetime, timezone

import boto3
from botocore.exceptions import ClientError

STEPS = ("createSecret", "setSecret", "testSecret", "finishSecret")
CURRENT, PENDING, PREVIOUS = "AWSCURRENT", "AWSPENDING", "AWSPREVIOUS"
# Tags let a retried createSecret find the key it made before a crash, and let
# finishSecret find keys whose version never received a value.
TAG_SECRET, TAG_VERSION = "keyguard:secret-arn", "keyguard:version-id"


class RotationError(Exception):
    """The event or the secret's state forbids this step; nothing was changed."""


def _flag(name):
    return os.environ.get(name, "false").strip().lower() in ("1", "true", "yes")


def _key_prefix():
    return os.environ.get("KEY_NAME_PREFIX", "keyguard-rotation-")


def log(level, message, **fields):
    # One JSON object per line; callers pass ids only, never a key value.
    print(json.dumps({"level": level, "message": message, **fields}, default=str), flush=True)


def _error_code(exc):
    return exc.response.get("Error", {}).get("Code", "") if isinstance(exc, ClientError) else ""


def handler(event, context):
    event = event if isinstance(event, dict) else {}
    step, secret_id, token = event.get("Step"), event.get("SecretId"), event.get("ClientRequestToken")
    try:
        if step not in STEPS:
            raise RotationError(f"unknown rotation step {step!r}; expected one of {', '.join(STEPS)}")
        if not secret_id or not token:
            raise RotationError("event needs SecretId and ClientRequestToken")
        rotation = Rotation(boto3.client("secretsmanager"), boto3.client("apigateway"), secret_id, token)
        rotation.validate(step)
        if rotation.superseded:
            rotation.log("info", "this rotation finished and a later one has since; nothing to do", step=step)
            return
        if rotation.already_current and step != "finishSecret":
            rotation.log("info", "version is already AWSCURRENT; nothing to do", step=step)
            return
        getattr(rotation, step)()
    except Exception as exc:
        # Messages carry ids only; Secrets Manager sees the failure and retries the step.
        log("error", "step failed", step=step, secretId=secret_id, versionId=token,
            error=type(exc).__name__, detail=str(exc))
        raise


class Rotation:
    def __init__(self, sm, apigw, secret_id, token):
        self.sm, self.apigw, self.token = sm, apigw, token
        self.secret_id = secret_id
        self.arn = secret_id
        self.stages = {}
        self.already_current = False
        self.superseded = False

    def log(self, level, message, **fields):
        log(level, message, secretArn=self.arn, versionId=self.token, **fields)

    # -- validation -------------------------------------------------------
    def validate(self, step):
        meta = self.sm.describe_secret(SecretId=self.secret_id)
        self.arn = meta["ARN"]
        if not meta.get("RotationEnabled"):
            raise RotationError(f"rotation is not enabled on secret {self.arn}")
        self.stages = {v: set(s) for v, s in meta.get("VersionIdsToStages", {}).items()}
        stages = self.stages.get(self.token)
        if stages is None:
            raise RotationError(f"version {self.token} is not a version of secret {self.arn}")
        self.already_current = CURRENT in stages
        if not self.already_current and PENDING not in stages:
            if step == "finishSecret" and PREVIOUS in stages and self._finished_value():
                # A late retry of a finishSecret whose move took effect before a later
                # rotation finished: AWSPREVIOUS only ever lands on a version that was
                # AWSCURRENT. Changing anything now would undo the later rotation.
                self.superseded = True
                self.log("info", "step started", step=step)
                return
            raise RotationError(f"version {self.token} of secret {self.arn} is not staged AWSPENDING")
        self.log("info", "step started", step=step)

    def _holder(self, stage):
        return next((v for v, s in self.stages.items() if stage in s), None)

    # -- secret values ----------------------------------------------------
    def _read(self, **selector):
        raw = self.sm.get_secret_value(SecretId=self.arn, **selector).get("SecretString")
        try:
            value = json.loads(raw) if isinstance(raw, str) else None
        except ValueError:
            value = None
        if not isinstance(value, dict):
            raise RotationError(f"secret {self.arn} version {selector} does not hold a JSON object")
        return value

    def _value(self, **selector):
        """A version's value, refused unless it is well formed: apiKeyId, value and usagePlanId
        non-empty strings, and createdAt an ISO 8601 time."""
        value = self._read(**selector)
        missing = [f for f in ("apiKeyId", "value", "usagePlanId", "createdAt")
                   if not isinstance(value.get(f), str) or not value[f]]
        if not missing:
            try:
                datetime.fromisoformat(value["createdAt"].replace("Z", "+00:00"))
            except ValueError:
                missing = ["createdAt"]
        if missing:
            raise RotationError(f"secret {self.arn} version {selector} lacks a well-formed {', '.join(missing)}")
        return value

    def _finished_value(self):
        try:
            return self._value(VersionId=self.token)
        except ClientError as exc:
            if _error_code(exc) == "ResourceNotFoundException":
                return None
            raise
        except RotationError:
            return None

    def _pending_value(self):
        """The AWSPENDING value of this token, or None when createSecret has not stored it yet."""
        try:
            return self._value(VersionId=self.token, VersionStage=PENDING)
        except ClientError as exc:
            if _error_code(exc) == "ResourceNotFoundException":
                return None
            raise

    # -- API Gateway ------------------------------------------------------
    def _find_own_key(self):
        """A key made for this token by an earlier, interrupted createSecret."""
        for key in self._tagged_keys(include_values=True):
            if key["tags"].get(TAG_VERSION) == self.token:
                return key
        return None

    def _tagged_keys(self, include_values=False):
        kwargs = {"nameQuery": _key_prefix(), "includeValues": include_values, "limit": 500}
        while True:
            page = self.apigw.get_api_keys(**kwargs)
            for key in page.get("items", []):
                if (key.get("tags") or {}).get(TAG_SECRET) == self.arn:
                    yield key
            if not page.get("position"):
                return
            kwargs["position"] = page["position"]

    def _attach(self, key_id, plan_id):
        try:
            self.apigw.create_usage_plan_key(usagePlanId=plan_id, keyId=key_id, keyType="API_KEY")
        except ClientError as exc:
            if _error_code(exc) != "ConflictException":
                raise
        self.log("info", "key attached to usage plan", apiKeyId=key_id, usagePlanId=plan_id)

    # -- the four steps ---------------------------------------------------
    def createSecret(self):
        # Refuse a malformed current version before changing anything.
        plan_id = self._value(VersionStage=CURRENT)["usagePlanId"]
        # A rotation abandoned for this one may have left a key behind: retire it first.
        self._retire_old_keys()
        if self._pending_value() is not None:
            self.log("info", "AWSPENDING value already stored; reusing it", step="createSecret")
            return
        key = self._find_own_key()
        if key is None:
            key = self.apigw.create_api_key(
                name=_key_prefix() + self.token,
                description=f"Rotated by keyguard for {self.arn}",
                enabled=True,
                tags={TAG_SECRET: self.arn, TAG_VERSION: self.token},
            )
            self.log("info", "api key created", apiKeyId=key["id"])
        else:
            self.log("info", "reusing api key made by an interrupted attempt", apiKeyId=key["id"])
        self._attach(key["id"], plan_id)
        value = {
            "apiKeyId": key["id"],
            "value": key["value"],
            "usagePlanId": plan_id,
            "createdAt": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        self.sm.put_secret_value(
            SecretId=self.arn, ClientRequestToken=self.token,
            SecretString=json.dumps(value), VersionStages=[PENDING],
        )
        self.log("info", "AWSPENDING value stored", step="createSecret", apiKeyId=key["id"])

    def setSecret(self):
        pending = self._require_pending()
        self._attach(pending["apiKeyId"], pending["usagePlanId"])

    def testSecret(self):
        pending = self._require_pending()
        key_id, plan_id = pending["apiKeyId"], pending["usagePlanId"]
        key = self.apigw.get_api_key(apiKey=key_id, includeValue=True)
        if not key.get("enabled"):
            raise RotationError(f"api key {key_id} is disabled")
        if key.get("value") != pending["value"]:
            raise RotationError(f"api key {key_id} value differs from the AWSPENDING value")
        self.apigw.get_usage_plan_key(usagePlanId=plan_id, keyId=key_id)
        self.log("info", "pending key verified", step="testSecret", apiKeyId=key_id)

    def finishSecret(self):
        current = self._holder(CURRENT)
        moved = current != self.token
        if moved:
            # Never move AWSCURRENT onto a version clients could not use.
            self._require_pending()
            # Retire the key two generations back before the move, so no failure past this
            # point leaves an enabled key that no live version holds.
            self._retire_old_keys(keep={self.token, current})
            move = {"RemoveFromVersionId": current} if current else {}
            # Secrets Manager moves AWSPREVIOUS to the replaced version by itself.
            self.sm.update_secret_version_stage(
                SecretId=self.arn, VersionStage=CURRENT, MoveToVersionId=self.token, **move)
            self.log("info", "AWSCURRENT moved", step="finishSecret", previousVersionId=current)
        if PENDING in self.stages[self.token]:
            # Leaving no AWSPENDING label tells every reader, and the next RotateSecret,
            # that this rotation is over.
            self.sm.update_secret_version_stage(
                SecretId=self.arn, VersionStage=PENDING, RemoveFromVersionId=self.token)
        if not moved or _flag("DISABLE_PREVIOUS_IMMEDIATELY"):
            self._retire_old_keys()

    def _require_pending(self):
        pending = self._pending_value()
        if pending is None:
            raise RotationError(f"version {self.token} of secret {self.arn} has no AWSPENDING value; run createSecret")
        return pending

    # -- retiring keys ----------------------------------------------------
    def _retire_old_keys(self, keep=None):
        """Disable every key of this secret that no live version holds (deleting ones found
        already disabled, when allowed). Live: the versions in `keep`, or else AWSCURRENT,
        AWSPREVIOUS unless the switch retires it at once, and AWSPENDING."""
        live_stages = {CURRENT, PENDING} if _flag("DISABLE_PREVIOUS_IMMEDIATELY") else {CURRENT, PENDING, PREVIOUS}
        versions = self._all_versions()
        live_versions = keep or {v for v, s in versions.items() if s & live_stages}
        live_keys, old_keys = set(), set()
        for version, stages in versions.items():
            key_id = self._key_of(version)
            if key_id:
                (live_keys if version in live_versions else old_keys).add(key_id)
        for key in self._tagged_keys():
            if key["tags"].get(TAG_VERSION) not in live_versions:
                old_keys.add(key["id"])
        for key_id in sorted(old_keys - live_keys):
            self._retire(key_id)

    def _all_versions(self):
        versions, kwargs = {}, {"SecretId": self.arn, "IncludeDeprecated": True, "MaxResults": 100}
        while True:
            page = self.sm.list_secret_version_ids(**kwargs)
            for v in page.get("Versions", []):
                versions[v["VersionId"]] = set(v.get("VersionStages") or ())
            if not page.get("NextToken"):
                return versions
            kwargs["NextToken"] = page["NextToken"]

    def _key_of(self, version):
        try:
            key_id = self._read(VersionId=version).get("apiKeyId")
        except ClientError as exc:
            if _error_code(exc) == "ResourceNotFoundException":
                return None  # a version that never received a value
            raise
        except RotationError:
            return None  # not in our shape: not ours to retire
        return key_id if isinstance(key_id, str) and key_id else None

    def _retire(self, key_id):
        try:
            key = self.apigw.get_api_key(apiKey=key_id, includeValue=False)
        except ClientError as exc:
            if _error_code(exc) == "NotFoundException":
                return
            raise
        if key.get("enabled"):
            self.apigw.update_api_key(
                apiKey=key_id, patchOperations=[{"op": "replace", "path": "/enabled", "value": "false"}])
            self.log("info", "old api key disabled", apiKeyId=key_id)
        elif _flag("DELETE_DISABLED_KEYS"):
            self.apigw.delete_api_key(apiKey=key_id)
            self.log("info", "disabled api key deleted", apiKeyId=key_id)
