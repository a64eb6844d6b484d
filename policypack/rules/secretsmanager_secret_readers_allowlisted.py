"""secretsmanager-secret-readers-allowlisted: only the principals config `readers` lists can read a secret.

The readers come from policypack/access/reach.py (identity policies through the principal
model, the secret and key policies, assuming a reader role, privilege escalation). A
reader the config does not list fails, named with its route; a secret no glob of the
config matches, or a pack without the config, is not judged.
"""
from __future__ import annotations

import re
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any, Iterator, List, Mapping, Optional, Sequence

from ..examples import ACCOUNT, KEY_ARN, SECRET_ARN, Example, R, allow, doc
from ..iam.judging import AS_OF, AS_OF_SCHEMA, today_of
from ..model import UNKNOWN, Outcome, Stack, failed, not_applicable, passed, unknown
from ..tokens.aws import (
    GROUP, GROUP_MEMBERSHIP, GROUP_POLICY, KEY_POLICY, KMS_KEY, POLICY, POLICY_ATTACHMENT, ROLE, ROLE_ATTACHMENT,
    ROLE_POLICY, SECRET, SECRET_POLICY, USER, USER_POLICY,
)
from .base import Rule

if TYPE_CHECKING:
    from ..access.reach import Reader, Target

READERS = "readers"


def _globs(config: Mapping[str, Any], target: Target) -> List[str] | None:
    """The principal globs allowed for `target`, or None when no secret glob matches it."""
    allowed: List[str] = []
    matched = False
    names = [n for n in (target.name, target.resource.name, target.arn) if n]
    for pattern, principals in (config.get(READERS) or {}).items():
        if any(fnmatchcase(n, pattern) for n in names):
            matched = True
            allowed.extend(p for p in principals if isinstance(p, str))
    return allowed if matched else None


def _may_match_arn(glob: str) -> Optional[bool]:
    """True: the glob matches only strings starting "arn:"; False: none of them; None: both."""
    head = re.split(r"[*?\[]", glob, maxsplit=1)[0]
    if head.startswith("arn:"):
        return True
    if "arn:".startswith(head):
        return None
    return False


def _listed(stack: Stack, r: Reader, globs: Sequence[str]) -> Optional[bool]:
    """Whether a glob matches the reader's name or ARN; None when that cannot be told because
    one of them is not known during preview (an auto-named role's name, a new role's ARN)."""
    names: List[str] = []
    undecided = False
    res = stack.by_urn(r.principal_urn) if r.principal_urn else None
    if res is None:
        names = [r.principal] + ([r.arn] if r.arn else [])
    else:
        for prop in ("name", "arn"):
            v = res.props.get(prop)
            if isinstance(v, str) and v:
                names.append(v)
            elif v is UNKNOWN:
                # An unknown ARN matters only to a glob that can match an ARN, an unknown name
                # only to one that can match something else.
                undecided = undecided or any(_may_match_arn(g) == (prop == "arn") or _may_match_arn(g) is None
                                             for g in globs)
        if not names and not undecided:
            names = [r.principal]
    if any(fnmatchcase(n, g) for n in names for g in globs):
        return True
    return None if undecided else False


def _route(r: Reader) -> str:
    from ..access.render import short

    cond = ", conditionally" if r.conditional else ""
    return f"{r.via}{cond}: {' -> '.join(short(s) for s in r.path)}"


def check_readers(stack: Stack, config: Mapping[str, Any]) -> Iterator[Outcome]:
    if not config.get(READERS):
        for s in stack.of_type(SECRET):
            yield not_applicable(f"secret {s.name}: config readers is not set", urn=s.urn)
        return
    # Imported here, not at module level: rule discovery imports every rule, and the reach
    # analysis is only needed by a pack configured with `readers`.
    from ..access.reach import analyse

    access = analyse(stack, today_of(config))
    for t in access.targets:
        if t.type != "secret":
            continue
        globs = _globs(config, t)
        if globs is None:
            yield not_applicable(f"secret {t.resource.name}: no glob of config readers matches it", urn=t.resource.urn)
            continue
        verdicts = [(r, _listed(stack, r, globs)) for r in t.readers]
        outside = [r for r, ok in verdicts if ok is False]
        undecided = [r for r, ok in verdicts if ok is None]
        # One finding per principal, by its most direct route.
        seen = set()
        for r in outside:
            if r.key in seen:
                continue
            seen.add(r.key)
            yield failed(f"secret {t.resource.name}: {r.kind} {r.principal} can read it and is not in config "
                         f"readers ({_route(r)})", urn=t.resource.urn)
        if outside:
            continue
        if undecided:
            yield unknown(f"secret {t.resource.name}: the name or ARN of {undecided[0].kind} "
                          f"{undecided[0].principal}, which can read it, is not known during preview",
                          urn=t.resource.urn)
        elif t.unknown:
            yield unknown(f"secret {t.resource.name}: who can read it is not known during preview "
                          f"({', '.join(t.unknown[:4])})", urn=t.resource.urn)
        else:
            yield passed(urn=t.resource.urn)


ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/reader"
CI_ARN = f"arn:aws:iam::{ACCOUNT}:role/ci"
ROOT = f"arn:aws:iam::{ACCOUNT}:root"
_TRUST_ACCOUNT = doc({"Effect": "Allow", "Principal": {"AWS": ROOT}, "Action": "sts:AssumeRole"})
_LAMBDA_TRUST = doc({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"})
_READ = doc(allow("secretsmanager:GetSecretValue", SECRET_ARN), allow("kms:Decrypt", KEY_ARN))


def _base(read_policy: Any = _READ) -> List[R]:
    return [R(SECRET, "s", {"name": "api-key", "arn": SECRET_ARN, "kmsKeyId": KEY_ARN}),
            R(KMS_KEY, "k", {"arn": KEY_ARN, "keyId": "k1"}),
            R(ROLE, "reader", {"name": "reader", "arn": ROLE_ARN, "assumeRolePolicy": _LAMBDA_TRUST}),
            R(ROLE_POLICY, "reader-read", {"role": "reader", "policy": read_policy})]


_ALLOWED = {READERS: {"api-*": ["reader"]}}

RULE = Rule(
    name="secretsmanager-secret-readers-allowlisted",
    title="Only listed principals can read a secret",
    description="Every principal that can read a Secrets Manager secret whose name matches a glob of config "
                "`readers` (through its own policies, the secret's or key's policy, a role it can assume, or "
                "privilege escalation; under a customer-managed key it also needs kms:Decrypt) must match one "
                "of the principal globs listed for it. Not applicable without the config.",
    severity="high",
    enforcement="mandatory",
    kind="stack",
    check=check_readers,
    resource_types=frozenset({SECRET, SECRET_POLICY, KMS_KEY, KEY_POLICY, ROLE, USER, GROUP, ROLE_POLICY,
                              USER_POLICY, GROUP_POLICY, POLICY, ROLE_ATTACHMENT, POLICY_ATTACHMENT,
                              GROUP_MEMBERSHIP}),
    remediation="Remove the read from the principal named (scope secretsmanager:GetSecretValue or kms:Decrypt "
                "in its policies, the secret's `policy` or the key's `policy`, or a role's `assumeRolePolicy` "
                "that lets it in), or add it to config `readers` for this secret.",
    url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access.html",
    controls={"nist-800-53-r5": ["AC-3", "AC-6"], "pci-dss-v4.0.1": ["7.2.2"], "pci-dss-v4.0": ["7.2.2"]},
    config_schema={
        READERS: {"type": "object", "default": {},
                  "description": "Secret name globs (name or ARN) -> the principal globs (name or ARN) "
                                 "allowed to read matching secrets. Empty: the policy is not applicable.",
                  "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        AS_OF: AS_OF_SCHEMA,
    },
    examples=(
        Example("the listed reader is the only one", _base(), {"s": "pass"}, config=_ALLOWED),
        Example("no config: not judged", _base(), {"s": "not_applicable"}),
        Example("a secret no glob matches is not judged", _base(), {"s": "not_applicable"},
                config={READERS: {"db-*": ["reader"]}}),
        Example("an unlisted reader fails", _base(), {"s": "fail"}, config={READERS: {"api-key": ["rotation"]}},
                controls=("nist-800-53-r5:AC-3", "nist-800-53-r5:AC-6", "pci-dss-v4.0.1:7.2.2", "pci-dss-v4.0:7.2.2")),
        Example("a principal glob by ARN", _base(), {"s": "pass"},
                config={READERS: {"api-key": [f"arn:aws:iam::{ACCOUNT}:role/read*"]}}),
        Example("GetSecretValue without kms:Decrypt on the CMK reads nothing",
                _base(doc(allow("secretsmanager:GetSecretValue", SECRET_ARN))), {"s": "pass"},
                config={READERS: {"api-key": ["nobody"]}}),
        Example("a key policy that does not delegate to IAM stops identity decrypt",
                _base()[:1] + [R(KMS_KEY, "k", {"arn": KEY_ARN, "keyId": "k1", "policy": doc(
                    {"Effect": "Allow", "Principal": {"AWS": CI_ARN}, "Action": "kms:*", "Resource": "*"})})]
                + _base()[2:], {"s": "pass"}, config={READERS: {"api-key": ["ci"]}}),
        Example("a user who can assume the reader role reads too",
                _base()[:2] + [
                    R(ROLE, "reader", {"name": "reader", "arn": ROLE_ARN, "assumeRolePolicy": _TRUST_ACCOUNT}),
                    R(ROLE_POLICY, "reader-read", {"role": "reader", "policy": _READ}),
                    R(USER, "dev", {"name": "dev", "arn": f"arn:aws:iam::{ACCOUNT}:user/dev"}),
                    R(USER_POLICY, "dev-assume", {"user": "dev", "policy": doc(allow("sts:AssumeRole", ROLE_ARN))})],
                {"s": "fail"}, config=_ALLOWED),
        Example("a role that can escalate can make itself a reader",
                _base() + [R(ROLE, "ci", {"name": "ci", "arn": CI_ARN, "assumeRolePolicy": _LAMBDA_TRUST}),
                           R(ROLE_POLICY, "ci-pol", {"role": "ci", "policy": doc(allow("iam:CreatePolicyVersion"))})],
                {"s": "fail"}, config=_ALLOWED),
        Example("the secret policy lets another account read (the CMK's policy too)",
                [R(SECRET, "s", {"name": "api-key", "arn": SECRET_ARN, "kmsKeyId": KEY_ARN, "policy": doc(
                    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                     "Action": "secretsmanager:GetSecretValue", "Resource": "*"})}),
                 R(KMS_KEY, "k", {"arn": KEY_ARN, "keyId": "k1", "policy": doc(
                     {"Effect": "Allow", "Principal": {"AWS": ROOT}, "Action": "kms:*", "Resource": "*"},
                     {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                      "Action": "kms:Decrypt", "Resource": "*"})})] + _base()[2:],
                {"s": "fail"}, config=_ALLOWED),
        Example("two unlisted readers: two findings",
                _base() + [R(ROLE, "ci", {"name": "ci", "arn": CI_ARN, "assumeRolePolicy": _LAMBDA_TRUST}),
                           R(ROLE_POLICY, "ci-read", {"role": "ci", "policy": _READ})],
                {"s": ("fail", "fail")}, config={READERS: {"api-key": ["nobody"]}}),
        Example("a reader whose name and ARN preview does not know yet",
                _base()[:2] + [R(ROLE, "reader", {"name": UNKNOWN, "arn": UNKNOWN, "assumeRolePolicy": _LAMBDA_TRUST}),
                               R(ROLE_POLICY, "reader-read", {"role": UNKNOWN, "policy": _READ},
                                 property_dependencies={"role": [f"{ROLE}::reader"]})],
                {"s": "unknown"}, config=_ALLOWED),
        Example("a new role's ARN is unknown but its name decides against name globs",
                _base()[:2] + [R(ROLE, "reader", {"name": "reader", "arn": UNKNOWN, "assumeRolePolicy": _LAMBDA_TRUST}),
                               R(ROLE_POLICY, "reader-read", {"role": UNKNOWN, "policy": _READ},
                                 property_dependencies={"role": [f"{ROLE}::reader"]})],
                {"s": "fail"}, config={READERS: {"api-key": ["rotation"]}}),
        Example("a new role's ARN is unknown and an ARN glob might list it",
                _base()[:2] + [R(ROLE, "reader", {"name": "reader", "arn": UNKNOWN, "assumeRolePolicy": _LAMBDA_TRUST}),
                               R(ROLE_POLICY, "reader-read", {"role": UNKNOWN, "policy": _READ},
                                 property_dependencies={"role": [f"{ROLE}::reader"]})],
                {"s": "unknown"}, config={READERS: {"api-key": [f"arn:aws:iam::{ACCOUNT}:role/*"]}}),
        Example("a reader's policy unknown during preview",
                _base(UNKNOWN), {"s": "unknown"}, config=_ALLOWED),
        Example("an attached policy grants the read",
                _base()[:3] + [R(POLICY, "p", {"arn": f"arn:aws:iam::{ACCOUNT}:policy/p", "policy": _READ}),
                               R(ROLE_ATTACHMENT, "att", {"role": "reader", "policyArn": f"arn:aws:iam::{ACCOUNT}:policy/p"}),
                               R(GROUP, "g", {"name": "g", "arn": f"arn:aws:iam::{ACCOUNT}:group/g"})],
                {"s": "fail"}, config={READERS: {"api-key": ["other"]}}),
    ),
)
