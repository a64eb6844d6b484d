"""How much of AWS a statement's Resource element covers.

Three judgements, all from the ARN alone (no lookups):
- `is_star`: `*`, or an ARN whose resource part is only wildcards (`arn:aws:s3:::*`,
  `arn:aws:kms:*:*:*`, `arn:aws:logs:us-east-1:111122223333:*`): every resource of the
  service, in the account and region named if any.
- `is_type_wide`: the above, or an ARN naming every resource of one type, such as
  `arn:aws:kms:us-east-1:111122223333:key/*` or `...:secret:*`: the resource part is
  one of the service's literal ARN prefixes (from the IAM database) followed only by
  wildcards. `...:secret:prod/*` or `...:log-group:/aws/lambda/fn:*` are scoped.
- `is_unscoped`: type-wide, or an ARN with a wildcard in its account field
  (`arn:aws:iam::*:policy/team-*`): whatever its name part says, it is not a scope.
  An ARN in the account `aws` (`arn:aws:iam::aws:policy/...`) names AWS-managed
  policies, which no customer can change, so it always counts as scoped.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional, Tuple

from .actions import arn_prefixes


def _only_wildcards(s: str) -> bool:
    return s != "" and set(s) <= {"*", "?"}


def split_arn(resource: str) -> Optional[Tuple[str, str, str, str, str]]:
    """(partition, service, region, account, resource part) or None when not an ARN."""
    parts = resource.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return None
    return parts[1], parts[2], parts[3], parts[4], parts[5]


@lru_cache(maxsize=4096)
def is_star(resource: str) -> bool:
    if _only_wildcards(resource):
        return True
    arn = split_arn(resource)
    if arn is None:
        return False
    return _only_wildcards(arn[4].lstrip("/"))


@lru_cache(maxsize=4096)
def is_type_wide(resource: str) -> bool:
    if is_star(resource):
        return True
    arn = split_arn(resource)
    if arn is None:
        return False
    service, rest = arn[1], arn[4]
    return any(rest.startswith(p) and _only_wildcards(rest[len(p):]) for p in arn_prefixes(service))



def is_aws_managed(resource: str) -> bool:
    arn = split_arn(resource)
    return arn is not None and arn[3] == "aws"


@lru_cache(maxsize=4096)
def is_unscoped(resource: str) -> bool:
    if is_aws_managed(resource):
        return False
    if is_type_wide(resource):
        return True
    arn = split_arn(resource)
    return arn is not None and ("*" in arn[3] or "?" in arn[3])
