"""Risk categories of IAM actions: cloudsplaining's lists, expanded against the action database.

cloudsplaining maintains the privilege-escalation combinations (Rhino Security
Labs' methods and the pathfinding.cloud additions), the read actions that
exfiltrate data, and the actions whose responses carry credentials. Its package
is imported on first use only, and only until the lists keyguard reads are cached
(cachefiles); importing it installs a stdout log handler, which would write into the
engine's channel, so that handler is removed.
"""
from __future__ import annotations

import os
from functools import lru_cache
from types import SimpleNamespace
from typing import Dict, FrozenSet, Iterable, List, Tuple

from .actions import expand_all

# Actions that read secret material or use a key to decrypt (before wildcard expansion).
SENSITIVE_ACTIONS: Tuple[str, ...] = (
    "secretsmanager:GetSecretValue",
    "secretsmanager:BatchGetSecretValue",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:GenerateDataKey*",
    "ssm:GetParameter*",
    "apigateway:GET",
)
# apigateway:GET reads API keys (with their values) only under /apikeys.
APIGATEWAY_GET = "apigateway:get"


# The lists of cloudsplaining's constants module that keyguard reads.
_READ = ("PRIVILEGE_ESCALATION_METHODS", "READ_ONLY_DATA_EXFILTRATION_ACTIONS", "ACTIONS_THAT_RETURN_CREDENTIALS")
_CACHE_FORMAT = 1


@lru_cache(maxsize=1)
def _constants() -> SimpleNamespace:
    """The lists in `_READ`, from the cache (see cachefiles) while cloudsplaining's constants
    module is unchanged: importing it parses a YAML file and validates it with `schema` (about
    14 ms of every process whose rules judge an IAM document), for three literal lists."""
    from .. import cachefiles

    where = cachefiles.package_dir("cloudsplaining")
    path = cachefiles.derived_file("cloudsplaining-lists", _CACHE_FORMAT,
                                   [os.path.join(where, "shared", "constants.py"), __file__],
                                   extra=",".join(_READ)) \
        if where else None
    cached = cachefiles.read_marshal(path, _CACHE_FORMAT)
    if isinstance(cached, dict) and set(cached) == set(_READ):
        return SimpleNamespace(**cached)
    import logging

    import cloudsplaining.shared.constants as c

    log = logging.getLogger("cloudsplaining")
    for h in list(log.handlers):
        if isinstance(h, logging.StreamHandler):
            log.removeHandler(h)
    lists = {name: getattr(c, name) for name in _READ}
    cachefiles.write_marshal(path, _CACHE_FORMAT, lists)
    return SimpleNamespace(**lists)


# Escalation methods cloudsplaining's list lacks (audited against Rhino Security Labs'
# catalogue and pathfinding.cloud; docs/iam.md lists what is left out and why). Each runs
# code or changes resources with another, usually more privileged, identity, or removes
# what limits the principal.
EXTRA_ESCALATION_METHODS: Dict[str, Tuple[str, ...]] = {
    # Run commands on an instance, or open a shell on it, as its instance profile role.
    "SSMSendCommandToInstance": ("ssm:SendCommand",),
    "SSMStartSessionOnInstance": ("ssm:StartSession",),
    "SSMCreateAssociationOnInstance": ("ssm:CreateAssociation",),
    # Change an existing stack, whose service role then creates or edits resources.
    "UpdateExistingCloudFormationStack": ("cloudformation:UpdateStack",),
    # Remove or replace the permissions boundary that caps a role or user.
    "DeleteRolePermissionsBoundary": ("iam:DeleteRolePermissionsBoundary",),
    "DeleteUserPermissionsBoundary": ("iam:DeleteUserPermissionsBoundary",),
    "PutRolePermissionsBoundary": ("iam:PutRolePermissionsBoundary",),
    "PutUserPermissionsBoundary": ("iam:PutUserPermissionsBoundary",),
    # Point an existing function at new code through a layer it loads.
    "AddLayerToExistingLambdaFunction": ("lambda:UpdateFunctionConfiguration", "lambda:InvokeFunction"),
    # Launch instances with a passed instance profile through Auto Scaling (cloudsplaining
    # has the ec2:RunInstances and spot request forms only).
    "PassExistingRoleToNewAutoScalingGroup": ("iam:PassRole", "autoscaling:CreateAutoScalingGroup"),
}


@lru_cache(maxsize=1)
def escalation_methods() -> Dict[str, FrozenSet[str]]:
    """Method name -> the lower-case actions that together allow it."""
    methods = {name: frozenset(a.lower() for a in acts)
               for name, acts in _constants().PRIVILEGE_ESCALATION_METHODS.items()}
    for name, acts in EXTRA_ESCALATION_METHODS.items():
        methods.setdefault(name, frozenset(a.lower() for a in acts))
    return methods


def escalations(actions: Iterable[str]) -> List[Tuple[str, FrozenSet[str]]]:
    have = frozenset(actions)
    return [(name, need) for name, need in escalation_methods().items() if need <= have]


@lru_cache(maxsize=1)
def exfiltration_actions() -> FrozenSet[str]:
    return expand_all(_constants().READ_ONLY_DATA_EXFILTRATION_ACTIONS)


@lru_cache(maxsize=1)
def credentials_actions() -> FrozenSet[str]:
    return expand_all(_constants().ACTIONS_THAT_RETURN_CREDENTIALS)


@lru_cache(maxsize=64)
def sensitive_actions(extra: Tuple[str, ...] = ()) -> FrozenSet[str]:
    # Asked once per document judged, with the rule's configured extras: expanded once per extras.
    return expand_all(SENSITIVE_ACTIONS + tuple(extra))
