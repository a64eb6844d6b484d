"""Which KMS key encrypts a secret at rest: the judgement every "*-kms-cmk" policy shares.

A resource names its key by ARN, key id, alias name or alias ARN. It fails when it names
none (the service then uses its AWS-managed key, `aws/<service>`), when it names an
AWS-managed alias (`alias/aws/...`), or when config `allowedKmsKeyArns` is set and does
not list it; a key not known during preview is `unknown`.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping

from .model import UNKNOWN, Outcome, Resource, failed, passed, unknown

ALLOWED_KEYS_PROP = "allowedKmsKeyArns"
ALLOWED_KEYS_SCHEMA: Mapping[str, Any] = {
    "type": "array", "items": {"type": "string"}, "default": [],
    "description": "When not empty, only these KMS keys may be used (ARNs, key ids or aliases).",
}


def is_aws_managed(key: str) -> bool:
    # alias/aws/<service>, or its ARN form arn:aws:kms:<region>:<acct>:alias/aws/...
    return key.startswith("alias/aws/") or ":alias/aws/" in key


def key_allowed(key: str, allowed: Iterable[str]) -> bool:
    for entry in allowed:
        if key == entry:
            return True
        # A bare key id or alias name matches the ARN that ends with it.
        tail = entry.rsplit(":", 1)[-1]
        if key in (tail, tail.split("/", 1)[-1]):
            return True
    return False


def judge_key(res: Resource, prop: str, what: str, default_key: str, config: Mapping[str, Any]) -> Iterator[Outcome]:
    """The outcome for `res.props[prop]`, the key of `what` (e.g. "secret api-key")."""
    key = res.props.get(prop)
    if key is UNKNOWN:
        yield unknown(f"{prop} is not known during preview", path=prop)
        return
    if not key:
        yield failed(f"{what} has no {prop}, so it is encrypted with the AWS-managed key {default_key}", path=prop)
        return
    if not isinstance(key, str):
        yield failed(f"{what} has a {prop} that is not a string", path=prop)
        return
    if is_aws_managed(key):
        yield failed(f"{what} uses an AWS-managed key (alias/aws/...) in {prop}; use a customer-managed key",
                     path=prop)
        return
    allowed = config.get(ALLOWED_KEYS_PROP) or []
    if allowed and not key_allowed(key, allowed):
        yield failed(f"{what} uses a {prop} outside {ALLOWED_KEYS_PROP}", path=prop)
        return
    yield passed()
