"""Parse an IAM policy document in any shape Pulumi programs hand it over.

A document arrives as a JSON string, a dict, a list of statements or a single
statement; Statement, Action, NotAction, Resource, NotResource and Principal
may each be one value or a list. Parsing never raises: a document that is not
usable is an `Invalid` with a one-line reason, which iam-policy-document-valid
reports and every other IAM rule treats as not applicable.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Dict, Iterator, Mapping, Optional, Tuple, Union

from ..model import UNKNOWN, Resource, _Unknown, contains_unknown
from ..secrets.formats import credential_shape, looks_random
from ..tokens.aws import ROLE as ROLE_TYPE

VERSIONS = ("2012-10-17", "2008-10-17")


_NAME = re.compile(r"[A-Za-z0-9:_.-]{1,64}")


def _shown(name: str) -> bool:
    """Whether a name taken from a document (a Sid, a Condition operator) may appear in a
    message: a short identifier that does not look like a credential."""
    return bool(_NAME.fullmatch(name)) and not looks_random(name) and credential_shape(name) is None


@dataclass(frozen=True)
class Statement:
    """One statement of a policy document, its fields as tuples of strings."""
    index: int
    sid: Optional[str]
    effect: str
    actions: Tuple[str, ...] = ()
    not_actions: Tuple[str, ...] = ()
    resources: Tuple[str, ...] = ()
    not_resources: Tuple[str, ...] = ()
    principals: Mapping[str, Tuple[str, ...]] = field(default_factory=dict)
    not_principals: Mapping[str, Tuple[str, ...]] = field(default_factory=dict)
    conditions: Mapping[str, Mapping[str, Tuple[str, ...]]] = field(default_factory=dict)
    has_principal: bool = False

    @property
    def label(self) -> str:
        return f"statement '{self.sid}'" if self.sid and _shown(self.sid) else f"statement #{self.index}"

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"


@dataclass(frozen=True)
class Document:
    """A parsed policy document: its statements in order."""
    statements: Tuple[Statement, ...]
    version: Optional[str] = None

    @cached_property
    def memo(self) -> Dict[Any, Any]:
        """Judgements of this document that do not depend on the rule asking (iam/grants.py
        keeps its contexts here): a document is parsed once per text, so they are worked
        out once per text."""
        return {}

    @cached_property
    def denies(self) -> Tuple[Statement, ...]:
        return tuple(s for s in self.statements if not s.allows)

    @cached_property
    def names_iam(self) -> bool:
        """Whether a statement names an IAM resource (a role, policy, user or group ARN)."""
        return any(r.startswith("arn:") and r.split(":", 3)[2:3] == ["iam"]
                   for s in self.statements for r in s.resources + s.not_resources)


@dataclass(frozen=True)
class Invalid:
    """A policy document that cannot be parsed, and why."""
    reason: str


Parsed = Union[Document, Invalid, _Unknown]


def _strings(value: Any, what: str) -> Tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ValueError(f"{what} must be a string or a list of strings")


def _principals(value: Any) -> Dict[str, Tuple[str, ...]]:
    if value == "*":
        return {"*": ("*",)}
    if not isinstance(value, Mapping):
        raise ValueError("Principal must be \"*\" or an object")
    return {k: _strings(v, f"Principal.{k}") for k, v in value.items()}


def _conditions(value: Any) -> Dict[str, Dict[str, Tuple[str, ...]]]:
    if not isinstance(value, Mapping):
        raise ValueError("Condition must be an object")
    out: Dict[str, Dict[str, Tuple[str, ...]]] = {}
    for op, body in value.items():
        if not isinstance(body, Mapping):
            raise ValueError(f"Condition.{op} must be an object" if _shown(op) else
                             "a Condition operator must map to an object")
        out[op] = {}
        for key, v in body.items():
            vals = v if isinstance(v, list) else [v]
            out[op][key] = tuple(str(x).lower() if isinstance(x, bool) else str(x) for x in vals)
    return out


# What kind of document a property holds decides which elements it may carry.
IDENTITY, TRUST, RESOURCE = "identity", "trust", "resource"


def _check_kind(i: int, raw: Mapping[str, Any], kind: Optional[str]) -> None:
    has_principal = "Principal" in raw or "NotPrincipal" in raw
    if kind == IDENTITY:
        if has_principal:
            raise ValueError(f"statement #{i} has a Principal, which an identity policy cannot carry")
        if "Resource" not in raw and "NotResource" not in raw:
            raise ValueError(f"statement #{i} has neither Resource nor NotResource")
    elif kind in (TRUST, RESOURCE):
        if not has_principal:
            raise ValueError(f"statement #{i} has no Principal, which a {kind} policy needs")
        if kind == TRUST and ("Resource" in raw or "NotResource" in raw):
            raise ValueError(f"statement #{i} has a Resource, which a trust policy cannot carry")


def _statement(i: int, raw: Any, kind: Optional[str] = None) -> Statement:
    if not isinstance(raw, Mapping):
        raise ValueError(f"statement #{i} must be an object")
    effect = raw.get("Effect")
    if effect is None:
        raise ValueError(f"statement #{i} has no Effect")
    if effect not in ("Allow", "Deny"):
        raise ValueError(f"statement #{i} has an Effect other than Allow or Deny")
    if "Action" in raw and "NotAction" in raw:
        raise ValueError(f"statement #{i} has both Action and NotAction")
    if "Action" not in raw and "NotAction" not in raw:
        raise ValueError(f"statement #{i} has neither Action nor NotAction")
    sid = raw.get("Sid")
    if sid is not None and not isinstance(sid, str):
        raise ValueError(f"statement #{i} has a Sid that is not a string")
    _check_kind(i, raw, kind)
    return Statement(
        index=i,
        sid=sid,
        effect=effect,
        actions=_strings(raw["Action"], f"statement #{i} Action") if "Action" in raw else (),
        not_actions=_strings(raw["NotAction"], f"statement #{i} NotAction") if "NotAction" in raw else (),
        resources=_strings(raw["Resource"], f"statement #{i} Resource") if "Resource" in raw else (),
        not_resources=_strings(raw["NotResource"], f"statement #{i} NotResource") if "NotResource" in raw else (),
        principals=_principals(raw["Principal"]) if "Principal" in raw else {},
        not_principals=_principals(raw["NotPrincipal"]) if "NotPrincipal" in raw else {},
        conditions=_conditions(raw["Condition"]) if "Condition" in raw else {},
        has_principal="Principal" in raw or "NotPrincipal" in raw,
    )


def parse(raw: Any, kind: Optional[str] = None) -> Parsed:
    """A Document, an Invalid with its reason, or UNKNOWN when preview cannot tell yet.

    `kind` (IDENTITY, TRUST or RESOURCE) adds the checks IAM makes for that kind of
    document; without it only the shape common to all of them is checked.
    """
    if raw is UNKNOWN or contains_unknown(raw):
        return UNKNOWN
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as e:
            return Invalid(f"it is not valid JSON ({e.args[0].split(':')[0]})")
        except RecursionError:
            return Invalid("its JSON nests deeper than a parser follows")
    try:
        version = None
        if isinstance(raw, list):
            body: Any = raw
        elif isinstance(raw, Mapping) and "Statement" in raw:
            version = raw.get("Version")
            if version is not None and version not in VERSIONS:
                return Invalid("its Version is not one IAM knows (2012-10-17 or 2008-10-17)")
            body = raw["Statement"]
        elif isinstance(raw, Mapping) and "Effect" in raw:
            body = [raw]
        else:
            return Invalid("it has no Statement")
        if isinstance(body, Mapping):
            body = [body]
        if not isinstance(body, list):
            return Invalid("Statement must be an object or a list")
        if not body:
            return Invalid("it has no statements")
        return Document(tuple(_statement(i, s, kind) for i, s in enumerate(body)), version)
    except ValueError as e:
        return Invalid(str(e))


_parse_cache: Dict[Tuple[Optional[str], str], Parsed] = {}


def parse_cached(raw: Any, kind: Optional[str] = None) -> Parsed:
    """`parse`, memoised for JSON strings: every IAM rule asks about the same document, and
    a stack repeats documents (trust and key policies). The key is the text itself (a
    string hashes once), not a copy of it; `evaluate` asks resource by resource, so a
    bounded cache still serves every rule of a resource."""
    if not isinstance(raw, str):
        return parse(raw, kind)
    key = (kind, raw)
    hit = _parse_cache.get(key)
    if hit is None:
        if len(_parse_cache) > 4096:
            _parse_cache.clear()
        hit = _parse_cache[key] = parse(raw, kind)
    return hit


# Where identity policies live, per resource type: (property path, label).
IDENTITY_POLICY_TYPES = {
    "aws:iam/policy:Policy": "policy",
    "aws:iam/rolePolicy:RolePolicy": "policy",
    "aws:iam/userPolicy:UserPolicy": "policy",
    "aws:iam/groupPolicy:GroupPolicy": "policy",
}


def identity_documents(res: Resource) -> Iterator[Tuple[str, Any]]:
    """(property path, raw document) for every identity policy `res` carries."""
    prop = IDENTITY_POLICY_TYPES.get(res.type)
    if prop is not None:
        if prop in res.props:
            yield prop, res.props[prop]
        return
    if res.type == ROLE_TYPE:
        inline = res.props.get("inlinePolicies")
        if inline is UNKNOWN:
            yield "inlinePolicies", UNKNOWN
        elif isinstance(inline, list):
            for i, item in enumerate(inline):
                if item is UNKNOWN:
                    yield f"inlinePolicies[{i}]", UNKNOWN
                elif isinstance(item, Mapping) and item.get("policy") not in (None, ""):
                    yield f"inlinePolicies[{i}].policy", item["policy"]


IDENTITY_TYPES = frozenset(IDENTITY_POLICY_TYPES) | {ROLE_TYPE}

# Resource-based documents: (resource type) -> property.
RESOURCE_POLICY_TYPES = {
    "aws:kms/key:Key": "policy",
    "aws:kms/keyPolicy:KeyPolicy": "policy",
    "aws:secretsmanager/secret:Secret": "policy",
    "aws:secretsmanager/secretPolicy:SecretPolicy": "policy",
}
KMS_POLICY_TYPES = frozenset({"aws:kms/key:Key", "aws:kms/keyPolicy:KeyPolicy"})
SECRET_POLICY_TYPES = frozenset({"aws:secretsmanager/secret:Secret", "aws:secretsmanager/secretPolicy:SecretPolicy"})
DOCUMENT_TYPES = IDENTITY_TYPES | frozenset(RESOURCE_POLICY_TYPES)


def trust_document(res: Resource) -> Iterator[Tuple[str, Any]]:
    if res.type == ROLE_TYPE and "assumeRolePolicy" in res.props:
        yield "assumeRolePolicy", res.props["assumeRolePolicy"]


def resource_documents(res: Resource) -> Iterator[Tuple[str, Any]]:
    """(path, raw) of a key or secret policy; an empty or missing one means AWS's default."""
    prop = RESOURCE_POLICY_TYPES.get(res.type)
    if prop is not None and res.props.get(prop) not in (None, ""):
        yield prop, res.props[prop]


def all_documents(res: Resource) -> Iterator[Tuple[str, Any, str]]:
    """(path, raw, kind) of every IAM document `res` carries."""
    for path, raw in identity_documents(res):
        yield path, raw, IDENTITY
    for path, raw in trust_document(res):
        yield path, raw, TRUST
    for path, raw in resource_documents(res):
        yield path, raw, RESOURCE
