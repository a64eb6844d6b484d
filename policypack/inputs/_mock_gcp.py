"""Google Cloud outputs for programs under mocks: ids, names and emails as Google builds them.

`_mockvalues.OutputModel` asks this module for every `gcp:` resource and function. The shapes
are the ones pulumi-gcp documents for import ids and Google's APIs return as resource names
(`projects/<project>/secrets/<id>`, `<keyRing>/cryptoKeys/<name>`, `<accountId>@<project>.iam.
gserviceaccount.com`), so that a secret reference, an IAM grant on a secret or a key's
self-link read by a rule looks as it will in the real stack. The generated secret outputs take
the shape Google issues (an API key starts with AIza; a service-account key is a base64 JSON
key file), so that a leak of one is recognised by its format as well as by its value.
organizations.getIAMPolicy, a pure function of its bindings, is answered with its policyData.
Anything not modelled here stays unknown, as in a preview.

Standalone, like its siblings: loaded by path in the program's interpreter; it reaches
_mockvalues through sys.modules, never through keyguard's package.
"""
from __future__ import annotations

import base64
import json
import os
import secrets
import string
import sys
from typing import Any, Callable, Dict, Mapping, Optional

# The project and region a program gets when its stack config names none (`gcp:project`,
# `gcp:region`), and the project number Google would return for it.
DEFAULT_PROJECT = "keyguard-mock-project"
DEFAULT_REGION = "us-central1"
PROJECT_NUMBER = "123456789012"
_KEY_CHARS = string.ascii_letters + string.digits + "-_"


def _values() -> Any:
    return sys.modules["_keyguard_mock_mockvalues"]


def _config(key: str) -> Optional[str]:
    try:
        value = json.loads(os.environ.get("PULUMI_CONFIG") or "{}").get(key)
    except ValueError:
        return None
    return value if isinstance(value, str) and value and value != _values().UNKNOWN else None


def _known(inputs: Mapping[str, Any], key: str) -> Optional[str]:
    value = _values().unwrap(inputs.get(key))
    return value if isinstance(value, str) and value and _values().UNKNOWN not in value else None


def project(inputs: Mapping[str, Any]) -> str:
    return _known(inputs, "project") or _config("gcp:project") or os.environ.get("GOOGLE_PROJECT") or DEFAULT_PROJECT


def region(inputs: Mapping[str, Any], key: str = "location") -> str:
    return _known(inputs, key) or _config("gcp:region") or DEFAULT_REGION


def api_key_string() -> str:
    return "AIza" + "".join(secrets.choice(_KEY_CHARS) for _ in range(35))


def service_account_key_file(email: str, proj: str) -> str:
    """A service-account key file as gcp.serviceaccount.Key.privateKey holds it: base64 JSON.
    The private key is a placeholder, not key material; the file's shape is what gets recognised."""
    body = {"type": "service_account", "project_id": proj, "private_key_id": secrets.token_hex(20),
            "private_key": "-----BEGIN PRIVATE KEY-----\nkeyguard-mock\n-----END PRIVATE KEY-----\n",
            "client_email": email, "client_id": str(secrets.randbelow(10 ** 21)),
            "token_uri": "https://oauth2.googleapis.com/token"}
    return base64.b64encode(json.dumps(body, indent=2).encode()).decode()


Model = Callable[[str, Mapping[str, Any]], Dict[str, Any]]


def _named(template: str, key: str = "location") -> Model:
    """An id (and `name`, when the API returns the full name) built from project, location and name."""
    def model(physical: str, inputs: Mapping[str, Any]) -> Dict[str, Any]:
        ident = template.format(project=project(inputs), location=region(inputs, key), name=physical)
        return {"__id": ident, "project": project(inputs)}
    return model


def _secret(physical: str, inputs: Mapping[str, Any]) -> Dict[str, Any]:
    secret_id = _known(inputs, "secretId") or physical
    return {"__id": f"projects/{project(inputs)}/secrets/{secret_id}",
            "name": f"projects/{PROJECT_NUMBER}/secrets/{secret_id}", "project": project(inputs)}


def _regional_secret(physical: str, inputs: Mapping[str, Any]) -> Dict[str, Any]:
    secret_id = _known(inputs, "secretId") or physical
    where = f"locations/{region(inputs)}/secrets/{secret_id}"
    return {"__id": f"projects/{project(inputs)}/{where}", "name": f"projects/{PROJECT_NUMBER}/{where}",
            "project": project(inputs)}


def _secret_version(physical: str, inputs: Mapping[str, Any]) -> Dict[str, Any]:
    secret = _known(inputs, "secret")
    if secret is None:
        return {}
    number_form = secret.replace(f"projects/{project(inputs)}/", f"projects/{PROJECT_NUMBER}/", 1)
    return {"__id": f"{number_form}/versions/1", "name": f"{number_form}/versions/1", "version": "1"}


def _key_ring(physical: str, inputs: Mapping[str, Any]) -> Dict[str, Any]:
    return {"__id": f"projects/{project(inputs)}/locations/{region(inputs)}/keyRings/{physical}",
            "project": project(inputs)}


def _crypto_key(physical: str, inputs: Mapping[str, Any]) -> Dict[str, Any]:
    ring = _known(inputs, "keyRing")
    return {"__id": f"{ring}/cryptoKeys/{physical}"} if ring else {}


def _api_key(physical: str, inputs: Mapping[str, Any]) -> Dict[str, Any]:
    return {"__id": f"projects/{project(inputs)}/locations/global/keys/{physical}", "project": project(inputs),
            "keyString": api_key_string()}


def _account_email(inputs: Mapping[str, Any], physical: str) -> str:
    return f"{_known(inputs, 'accountId') or physical}@{project(inputs)}.iam.gserviceaccount.com"


def _service_account(physical: str, inputs: Mapping[str, Any]) -> Dict[str, Any]:
    email = _account_email(inputs, physical)
    ident = f"projects/{project(inputs)}/serviceAccounts/{email}"
    return {"__id": ident, "name": ident, "email": email, "member": f"serviceAccount:{email}",
            "project": project(inputs), "uniqueId": str(10 ** 20 + secrets.randbelow(9 * 10 ** 20))}


def _service_account_key(physical: str, inputs: Mapping[str, Any]) -> Dict[str, Any]:
    account = _known(inputs, "serviceAccountId")
    if account is None:
        return {}
    email = account.rsplit("/", 1)[-1]
    proj = email.split("@", 1)[1].split(".", 1)[0] if "@" in email else project(inputs)
    ident = f"projects/{proj}/serviceAccounts/{email}/keys/{secrets.token_hex(20)}"
    return {"__id": ident, "name": ident, "privateKey": service_account_key_file(email, proj)}


def _sql_instance(physical: str, inputs: Mapping[str, Any]) -> Dict[str, Any]:
    # Cloud SQL's connection name, as the Cloud SQL connectors and /cloudsql/ socket paths take it.
    return {"__id": physical, "name": physical, "project": project(inputs),
            "connectionName": f"{project(inputs)}:{region(inputs, 'region')}:{physical}"}


_MODELS: Dict[str, Model] = {
    "gcp:sql/databaseInstance:DatabaseInstance": _sql_instance,
    "gcp:secretmanager/secret:Secret": _secret,
    "gcp:secretmanager/regionalSecret:RegionalSecret": _regional_secret,
    "gcp:secretmanager/secretVersion:SecretVersion": _secret_version,
    "gcp:secretmanager/regionalSecretVersion:RegionalSecretVersion": _secret_version,
    "gcp:kms/keyRing:KeyRing": _key_ring,
    "gcp:kms/cryptoKey:CryptoKey": _crypto_key,
    "gcp:projects/apiKey:ApiKey": _api_key,
    "gcp:serviceaccount/account:Account": _service_account,
    "gcp:serviceaccount/key:Key": _service_account_key,
    "gcp:pubsub/topic:Topic": _named("projects/{project}/topics/{name}"),
    "gcp:cloudrunv2/service:Service": _named("projects/{project}/locations/{location}/services/{name}"),
    "gcp:cloudrunv2/job:Job": _named("projects/{project}/locations/{location}/jobs/{name}"),
    "gcp:cloudrun/service:Service": _named("locations/{location}/namespaces/{project}/services/{name}"),
    "gcp:cloudfunctionsv2/function:Function": _named("projects/{project}/locations/{location}/functions/{name}"),
    "gcp:cloudfunctions/function:Function": _named("projects/{project}/locations/{location}/functions/{name}",
                                                   "region"),
    "gcp:storage/bucket:Bucket": lambda physical, inputs: {"__id": physical, "url": f"gs://{physical}",
                                                           "project": project(inputs)},
}


def outputs(token: str, physical: str, inputs: Mapping[str, Any]) -> Dict[str, Any]:
    """The modelled outputs of a new `gcp:` resource ("__id" is its id); {} when not modelled."""
    model = _MODELS.get(token)
    return model(physical, inputs) if model else {}


def _carries_unknown(value: Any) -> bool:
    text = json.dumps(value, default=str)
    return _values().UNKNOWN in text or _values().UNKNOWN_TEXT in text


def iam_policy(args: Mapping[str, Any]) -> Dict[str, Any]:
    """organizations.getIAMPolicy is a pure function of its bindings: the policy document as
    policyData, which the IamPolicy resources take; unknown when a binding is."""
    bindings = [_values().unwrap(b) for b in (_values().unwrap(args.get("bindings")) or [])]
    audit = _values().unwrap(args.get("auditConfigs")) or []
    doc: Dict[str, Any] = {"bindings": bindings}
    if audit:
        doc["auditConfigs"] = audit
    data = _values().UNKNOWN if _carries_unknown(doc) else json.dumps(doc)
    return {"bindings": bindings, "auditConfigs": audit, "policyData": data, "id": "iam-policy"}


def call(token: str, args: Mapping[str, Any]) -> Optional[Dict[str, Any]]:
    """The result of a `gcp:` function the mocks answer, or None (unknown in its declared shape)."""
    if token == "gcp:organizations/getIAMPolicy:getIAMPolicy":
        return iam_policy(args)
    if token == "gcp:organizations/getProject:getProject":
        proj = _known(args, "projectId") or project({})
        return {"projectId": proj, "number": PROJECT_NUMBER, "name": proj, "id": f"projects/{proj}"}
    if token == "gcp:organizations/getClientConfig:getClientConfig":
        reg = region({}, "region")
        return {"project": project({}), "region": reg, "zone": f"{reg}-a", "id": project({})}
    return None
