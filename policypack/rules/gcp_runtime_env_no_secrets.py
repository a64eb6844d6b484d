"""gcp-runtime-env-no-secrets: Cloud Run and Cloud Functions environment variables carry no secrets."""
from __future__ import annotations

from typing import Any, Dict, Iterable, Mapping, Tuple

from ..examples import GCP_API_KEY_STRING, GCP_OAUTH_CLIENT_SECRET, GCP_SECRET_ID, SHA256, UUID, Example, R
from ..model import UNKNOWN, Outcome, Resource, Stack, get_path
from ..secrets import stack_secrets
from ..secrets.index import SCAN_LIMIT_SCHEMA
from ..secrets.judging import judge_value, name_value_map
from ..tokens.gcp import (API_KEY, CLOUDFUNCTION, CLOUDFUNCTIONV2, CLOUDRUN_SERVICE, CLOUDRUNV2_JOB,
                          CLOUDRUNV2_SERVICE, SECRET_VERSION, SERVICE_ACCOUNT)
from .base import Rule

ADVICE = "store it in Secret Manager and reference it (secretKeyRef, secretEnvironmentVariables) instead"

# Per type: the top-level property whose value (and dependencies) decide, the path of the
# container list under it (containers carry [{name, value, valueSource|valueFrom}]), and the
# paths of plain {NAME: value} maps. An env entry that references Secret Manager has no value.
_CONTAINERS: Dict[str, Tuple[str, str]] = {
    CLOUDRUN_SERVICE: ("template", "template.spec.containers"),
    CLOUDRUNV2_SERVICE: ("template", "template.containers"),
    CLOUDRUNV2_JOB: ("template", "template.template.containers"),
}
_MAPS: Dict[str, Tuple[str, Tuple[str, ...]]] = {
    CLOUDFUNCTION: ("environmentVariables", ("environmentVariables", "buildEnvironmentVariables")),
    CLOUDFUNCTIONV2: ("serviceConfig", ("serviceConfig.environmentVariables", "buildConfig.environmentVariables")),
}


def environment(res: Resource) -> Any:
    """The resource's plain environment variables as {path: {NAME: value}}, or UNKNOWN."""
    out: Dict[str, Any] = {}
    if res.type in _CONTAINERS:
        containers = get_path(res.props, _CONTAINERS[res.type][1])
        if containers is UNKNOWN:
            return UNKNOWN
        for i, c in enumerate(containers if isinstance(containers, list) else []):
            envs = c.get("envs") if isinstance(c, Mapping) else (UNKNOWN if c is UNKNOWN else None)
            if envs is not None:
                out[f"{_CONTAINERS[res.type][1]}[{i}].envs"] = name_value_map(envs)
        return out
    for path in _MAPS[res.type][1]:
        value = get_path(res.props, path)
        if value is not None:
            out[path] = value
    return out


def check_runtime_env(stack: Stack, config: Mapping[str, Any]) -> Iterable[Outcome]:
    index = stack_secrets(stack)
    for res in stack.of_type(*_CONTAINERS, *_MAPS):
        prop = (_CONTAINERS.get(res.type) or _MAPS[res.type])[0]
        yield from judge_value(stack, index, res, prop, environment(res), "", "environment variable", ADVICE, config)


def _run(envs: Any, name: str = "svc", **kw: Any) -> R:
    return R(CLOUDRUNV2_SERVICE, name, {"location": "us-central1", "template": {"containers": [
        {"image": "us-docker.pkg.dev/acme/app:1", "envs": envs}]}}, **kw)


_REF = {"name": "GEMINI_API_KEY", "valueSource": {"secretKeyRef": {"secret": GCP_SECRET_ID, "version": "latest"}}}
_KEY = R(API_KEY, "gemini", {"displayName": "gemini", "keyString": GCP_API_KEY_STRING})

RULE = Rule(
    name="gcp-runtime-env-no-secrets",
    title="Cloud Run and Cloud Functions environment variables carry no secrets",
    description="No plain environment variable of a Cloud Run service or job (v1 and v2) or a Cloud Function "
                "(1st and 2nd gen, runtime and build) may carry secret material: a value of a secret-bearing "
                "attribute of the stack (ApiKey.keyString, SecretVersion.secretData, a service-account key), a "
                "well-known credential format (Google API keys, OAuth client secrets, service-account key files, "
                "and the others keyguard knows), or a random-looking value under a secret-like name. Anyone with "
                "run.services.get or cloudfunctions.functions.get reads them; a Secret Manager reference "
                "(valueSource.secretKeyRef, valueFrom.secretKeyRef, secretEnvironmentVariables) passes.",
    severity="critical",
    enforcement="mandatory",
    kind="stack",
    check=check_runtime_env,
    config_schema=SCAN_LIMIT_SCHEMA,
    resource_types=frozenset({*_CONTAINERS, *_MAPS}),
    remediation="Store the value in a gcp.secretmanager.Secret and reference it: envs=[{name, value_source: "
                "{secret_key_ref: {secret, version}}}] on Cloud Run v2, value_from.secret_key_ref on v1, "
                "secret_environment_variables on Cloud Functions; grant the runtime service account "
                "roles/secretmanager.secretAccessor on that secret.",
    url="https://cloud.google.com/run/docs/configuring/services/secrets",
    controls={"cis-gcp-v5.0.0": ["1.18"], "nist-800-53-r5": ["IA-5(7)", "SC-28"], "pci-dss-v4.0.1": ["8.6.2", "8.3.2"], "pci-dss-v4.0": ["8.6.2", "8.3.2"]},
    examples=(
        Example("the key by Secret Manager reference", [_run([{"name": "LOG_LEVEL", "value": "info"}, _REF]), _KEY],
                {"svc": "pass"}),
        Example("the API key's keyString itself", [_run([{"name": "GEMINI_API_KEY", "value": GCP_API_KEY_STRING}]),
                                                   _KEY],
                {"svc": "fail:template.containers[0].envs.GEMINI_API_KEY"},
                controls=("cis-gcp-v5.0.0:1.18", "nist-800-53-r5:IA-5(7)", "nist-800-53-r5:SC-28", "pci-dss-v4.0.1:8.6.2", "pci-dss-v4.0.1:8.3.2", "pci-dss-v4.0:8.6.2", "pci-dss-v4.0:8.3.2")),
        Example("a Google API key format, no resource needed",
                [_run([{"name": "MAPS", "value": f"https://maps.googleapis.com/maps/api/js?key={GCP_API_KEY_STRING}"}])],
                {"svc": "fail:template.containers[0].envs.MAPS"}),
        Example("a SecretVersion's payload in a job",
                [R(CLOUDRUNV2_JOB, "job", {"location": "us-central1", "template": {"template": {"containers": [
                    {"image": "x", "envs": [{"name": "DB", "value": "s3cr3t-Pw-9Qz"}]}]}}}),
                 R(SECRET_VERSION, "v", {"secret": GCP_SECRET_ID, "secretData": "s3cr3t-Pw-9Qz"})],
                {"job": "fail:template.template.containers[0].envs.DB"}),
        Example("Cloud Run v1 valueFrom passes, a client secret fails",
                [R(CLOUDRUN_SERVICE, "v1", {"location": "us-central1", "template": {"spec": {"containers": [
                    {"image": "x", "envs": [
                        {"name": "KEY", "valueFrom": {"secretKeyRef": {"name": "gemini-api-key", "key": "latest"}}},
                        {"name": "OAUTH", "value": GCP_OAUTH_CLIENT_SECRET}]}]}}})],
                {"v1": "fail:template.spec.containers[0].envs.OAUTH"}),
        Example("functions: runtime and build variables, secretEnvironmentVariables pass",
                [R(CLOUDFUNCTION, "f1", {"runtime": "python312", "environmentVariables": {"MODEL": "gemini-2.5"},
                                         "buildEnvironmentVariables": {"PIP_TOKEN": GCP_API_KEY_STRING},
                                         "secretEnvironmentVariables": [{"key": "K", "secret": "gemini-api-key",
                                                                         "version": "latest"}]}),
                 R(CLOUDFUNCTIONV2, "f2", {"location": "us-central1", "serviceConfig": {
                     "environmentVariables": {"RUN": UUID, "DIGEST": SHA256},
                     "secretEnvironmentVariables": [{"key": "K", "projectId": "p", "secret": "s", "version": "1"}]}}),
                 R(CLOUDFUNCTIONV2, "f3", {"location": "us-central1", "serviceConfig": {
                     "environmentVariables": {"API_KEY": GCP_API_KEY_STRING}}})],
                {"f1": "fail:buildEnvironmentVariables.PIP_TOKEN", "f2": "pass",
                 "f3": "fail:serviceConfig.environmentVariables.API_KEY"}),
        Example("computed from the API key (preview)",
                [_run(UNKNOWN, property_dependencies={"template": [f"{API_KEY}::gemini"]}),
                 R(API_KEY, "gemini", {"keyString": UNKNOWN})],
                {"svc": "unknown"}),
        Example("template unknown during preview, computed from no secret",
                [R(CLOUDRUNV2_SERVICE, "svc", {"location": "us-central1", "template": UNKNOWN},
                   property_dependencies={"template": [f"{SERVICE_ACCOUNT}::sa"]}),
                 R(SERVICE_ACCOUNT, "sa", {"email": UNKNOWN})],
                {"svc": "pass"}),
    ),
)
