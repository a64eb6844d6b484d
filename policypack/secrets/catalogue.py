"""Where secret material lives in a stack: resource types and the properties that hold it.

Two catalogues. `SECRET_ATTRIBUTES` lists properties whose value *is* a secret,
wherever it ends up; the index matches other values against them.
`UNMARKED_SECRET_OUTPUTS` lists the subset that pulumi-aws does not mark secret,
so their value lands in the state in plaintext unless the program lists them in
`additional_secret_outputs`; tests/secrets/test_catalogue.py checks each entry
against the installed pulumi_aws SDK.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Dict, Mapping, Optional, Tuple

from ..model import UNKNOWN
from ..types import API_KEY, SECRET_VERSION, SSM_PARAMETER, USAGE_PLAN_KEY


_DIRECT_CONNECT_BGP = (
    "aws:directconnect/bgpPeer:BgpPeer",
    "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface",
    "aws:directconnect/publicVirtualInterface:PublicVirtualInterface",
    "aws:directconnect/transitVirtualInterface:TransitVirtualInterface",
    "aws:directconnect/hostedPrivateVirtualInterface:HostedPrivateVirtualInterface",
    "aws:directconnect/hostedPublicVirtualInterface:HostedPublicVirtualInterface",
    "aws:directconnect/hostedTransitVirtualInterface:HostedTransitVirtualInterface",
)

SECRET_ATTRIBUTES: Dict[str, Tuple[str, ...]] = {
    API_KEY: ("value",),
    # The API key again, copied by the provider from the key it attaches.
    USAGE_PLAN_KEY: ("value",),
    SECRET_VERSION: ("secretString", "secretBinary"),
    "aws:iam/accessKey:AccessKey": ("secret", "sesSmtpPasswordV4"),
    "aws:iam/userLoginProfile:UserLoginProfile": ("password",),
    "aws:iam/serviceSpecificCredential:ServiceSpecificCredential": ("servicePassword", "serviceCredentialSecret"),
    "random:index/randomPassword:RandomPassword": ("result",),
    "tls:index/privateKey:PrivateKey": ("privateKeyPem", "privateKeyOpenssh", "privateKeyPemPkcs8"),
    "aws:rds/instance:Instance": ("password",),
    "aws:rds/cluster:Cluster": ("masterPassword",),
    "aws:docdb/cluster:Cluster": ("masterPassword",),
    "aws:redshift/cluster:Cluster": ("masterPassword",),
    "aws:elasticache/replicationGroup:ReplicationGroup": ("authToken",),
    "aws:cognito/userPoolClient:UserPoolClient": ("clientSecret",),
    "aws:lightsail/keyPair:KeyPair": ("privateKey",),
    # A String parameter's value is configuration; only a SecureString's is a secret.
    SSM_PARAMETER: ("value", "insecureValue"),
    "aws:directoryservice/trust:Trust": ("trustPassword",),
    "aws:kms/customKeyStore:CustomKeyStore": ("keyStorePassword",),
    **{t: ("bgpAuthKey",) for t in _DIRECT_CONNECT_BGP},
}


def _is_secure_string(props: Mapping[str, Any]) -> Any:
    kind = props.get("type")
    return UNKNOWN if kind is UNKNOWN else kind == "SecureString"


# (type, property) -> predicate over the resource's props: True, False or UNKNOWN.
CONDITIONS: Dict[Tuple[str, str], Callable[[Mapping[str, Any]], Any]] = {
    (SSM_PARAMETER, "value"): _is_secure_string,
    (SSM_PARAMETER, "insecureValue"): _is_secure_string,
}


def holds_secret(rtype: str, prop: str, props: Mapping[str, Any]) -> Any:
    """Whether `prop` of a resource of type `rtype` holds a secret: True, False or UNKNOWN."""
    if prop not in SECRET_ATTRIBUTES.get(rtype, ()):
        return False
    cond = CONDITIONS.get((rtype, prop))
    return True if cond is None else cond(props)


# Outputs holding secret material that pulumi-aws (7.x) leaves unmarked. `computed`
# ones are filled by the provider even when the program never sets them.
UNMARKED_SECRET_OUTPUTS: Dict[str, Tuple[Tuple[str, bool], ...]] = {
    # The API key itself; ApiKey.value is marked secret, this copy is not.
    USAGE_PLAN_KEY: (("value", True),),
    # insecureValue is meant for plain configuration, so a SecureString put there is stored as is.
    SSM_PARAMETER: (("insecureValue", False),),
    "aws:directoryservice/trust:Trust": (("trustPassword", False),),
    "aws:kms/customKeyStore:CustomKeyStore": (("keyStorePassword", False),),
    # AWS generates a BGP MD5 key when none is given, and the provider records it.
    **{t: (("bgpAuthKey", True),) for t in _DIRECT_CONNECT_BGP},
}

# Names that announce a secret ("DB_PASSWORD", "apiKey", "x-api-key", "client_secret")...
_SECRET_NAME = re.compile(
    r"(pass(word|wd|phrase)?|pwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|"
    r"credential|auth[-_]?key|signing[-_]?key|^key$|[-_]key$|(?-i:(?<=[a-z])Key$))",
    re.IGNORECASE,
)
# ...unless they name a reference to one ("SECRET_ARN", "apiKeyId", "TOKEN_URL").
_REFERENCE_SUFFIX = re.compile(
    r"([-_.]?(arn|id|ids|name|names|alias|region|url|uri|endpoint|path|version|type|header|prefix|"
    r"length|ttl|expiry|expiration|enabled|source))$",
    re.IGNORECASE,
)


def secret_like_name(name: Optional[str]) -> bool:
    if not name:
        return False
    last = re.split(r"[.\[\]]", name.strip("]"))[-1] or name
    return bool(_SECRET_NAME.search(last)) and not _REFERENCE_SUFFIX.search(last)
