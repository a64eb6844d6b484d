"""The principal model: what each role, user and group of a stack can really do.

IAM grants a principal the union of every identity policy that applies to it,
minus every explicit Deny among them, within its permissions boundary. This
module collects, for each `Role`, `User` and `Group` of the stack:

- inline documents: `RolePolicy`, `UserPolicy`, `GroupPolicy`, `Role.inlinePolicies`;
- customer-managed policies of the stack (`Policy`) attached by `RolePolicyAttachment`,
  `UserPolicyAttachment`, `GroupPolicyAttachment`, `PolicyAttachment`,
  `Role.managedPolicyArns` and the `*PolicyAttachmentsExclusive` resources;
- AWS-managed policies attached by the same means, as AWS publishes their documents
  (iam/managed.py), each stepped through the attachment that names it;
- for a user, everything its groups get (`GroupMembership`, `UserGroupMembership`);
- the permissions boundary (`permissionsBoundary`) when it is a policy of the stack.

What it cannot see is left out, not guessed: customer policies defined outside the
stack, AWS-managed policies newer than the shipped data, SCPs, resource-based grants
and session policies. A part that is unknown during
preview (a document, a policy ARN, a reference to the principal, the boundary) marks
the principal *incomplete*: what the model would add for it is `unknown`, never a
failure. The model is built once per stack (AnalyzeStack, one scan input) and kept
on the `Stack` object; every lookup goes through dictionaries built here once.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from ..links import identifiers
from ..model import UNKNOWN, Resource, Stack
from ..tokens.aws import (
    AWS_PROVIDER,
    GROUP,
    GROUP_ATTACHMENT,
    GROUP_EXCLUSIVE,
    GROUP_MEMBERSHIP,
    GROUP_POLICY,
    POLICY,
    POLICY_ATTACHMENT,
    ROLE,
    ROLE_ATTACHMENT,
    ROLE_EXCLUSIVE,
    ROLE_POLICY,
    USER,
    USER_ATTACHMENT,
    USER_EXCLUSIVE,
    USER_GROUP_MEMBERSHIP,
    USER_POLICY,
)
from ..tokens.aws_ai import SAGEMAKER_EXECUTION_ROLES
from .actions import expand_all
from .document import IDENTITY, Document, identity_documents, parse_cached
from . import managed
from .grants import Context, allowed
from .principals import account_of
from .resources import is_aws_managed, split_arn

KINDS = {ROLE: "role", USER: "user", GROUP: "group"}


@dataclass(frozen=True)
class Doc:
    """One identity document that applies to a principal, where a user would change it."""

    resource: Resource
    path: str
    document: Document

    @property
    def key(self) -> Tuple[str, str]:
        return self.resource.urn, self.path

    @property
    def label(self) -> str:
        return f"{self.resource.name} ({self.path})"


@dataclass
class Principal:
    """A role, user or group of the stack, with the policy documents that apply to it."""
    resource: Resource
    kind: str
    docs: List[Doc] = field(default_factory=list)
    groups: List["Principal"] = field(default_factory=list)
    boundary: Optional[Document] = None
    # What preview does not show yet; a principal with any is incomplete.
    unknown: List[str] = field(default_factory=list)
    # Resource parts ("policy/team-deploy") of the IAM entities that are the principal's own.
    own: Set[str] = field(default_factory=set)
    # AWS-managed policy ARNs attached to it (their documents: iam/managed.py).
    managed: List[str] = field(default_factory=list)
    # What runs as this role, with the property naming it (a SageMaker model's executionRoleArn):
    # what the role can do, the workload can do.
    workloads: List[Tuple[Resource, str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        n = self.resource.props.get("name")
        return n if isinstance(n, str) and n else self.resource.name

    @property
    def label(self) -> str:
        return f"{self.kind} {self.resource.name}"

    def all_docs(self) -> List[Doc]:
        """Its own documents, then (for a user) those of its groups, each once."""
        seen: Set[Tuple[str, str]] = set()
        out = []
        for d in self.docs + [d for g in self.groups for d in g.docs]:
            if d.key not in seen:
                seen.add(d.key)
                out.append(d)
        return out

    def incomplete(self) -> bool:
        return bool(self.unknown) or any(g.unknown for g in self.groups)

    def context(self, today: Optional[_dt.date]) -> Context:
        denies = tuple(s for d in self.all_docs() for s in d.document.statements if not s.allows)
        own = set(self.own)
        for g in self.groups:
            own |= g.own
        return Context(denies=denies, boundary=_boundary_actions(self.boundary), own=tuple(sorted(own)),
                       today=today)


def _boundary_actions(boundary: Optional[Document]) -> Optional[FrozenSet[str]]:
    """Actions a boundary lets through: any its Allows name (conditions and resources read
    generously), minus what an unconditional Deny on "*" removes."""
    if boundary is None:
        return None
    acts: FrozenSet[str] = frozenset()
    for s in boundary.statements:
        if s.allows:
            acts = acts | allowed(s)
    for s in boundary.statements:
        if not s.allows and not s.conditions and "*" in s.resources:
            acts = acts & expand_all(s.not_actions) if s.not_actions else acts - expand_all(s.actions)
    return acts


def _known_as(res: Resource) -> Set[str]:
    """What a principal or policy reference can hold: the id, ARN or name."""
    return identifiers(res, "arn", "name")


def _value_unknown(source: Resource, prop: str) -> bool:
    v = source.props.get(prop)
    return v is UNKNOWN or (isinstance(v, list) and any(x is UNKNOWN for x in v))


def _resource_part(res: Resource, prefix: str) -> Optional[str]:
    arn = res.props.get("arn")
    if isinstance(arn, str):
        parts = split_arn(arn)
        if parts is not None:
            return parts[4]
    name = res.props.get("name")
    if isinstance(name, str) and name:
        path = res.props.get("path")
        path = path if isinstance(path, str) and path.startswith("/") else "/"
        return f"{prefix}{path[1:]}{name}"
    return None


@dataclass
class Model:
    """The stack's principals and the accounts the stack shows as its own."""
    principals: List[Principal]
    # The accounts the stack shows as its own: resources' ARNs and the AWS providers' allowedAccountIds.
    accounts: FrozenSet[str]

    _contexts: Dict[Tuple[int, Optional[_dt.date]], Context] = field(default_factory=dict)
    _receiving: Optional[Dict[Tuple[str, str], Tuple[Doc, List[Principal]]]] = None

    def receiving(self) -> Dict[Tuple[str, str], Tuple[Doc, List[Principal]]]:
        """(urn, path) of each document -> the document and the principals it applies to."""
        if self._receiving is None:
            out: Dict[Tuple[str, str], Tuple[Doc, List[Principal]]] = {}
            for p in self.principals:
                for d in p.all_docs():
                    out.setdefault(d.key, (d, []))[1].append(p)
            self._receiving = out
        return self._receiving

    def context(self, p: Principal, today: Optional[_dt.date]) -> Context:
        """What applies around `p`'s grants (its Denies, boundary, own entities), once per day asked."""
        key = (id(p), today)
        if key not in self._contexts:
            self._contexts[key] = p.context(today)
        return self._contexts[key]


_ATTACH_SINGLE = {ROLE_ATTACHMENT: "role", USER_ATTACHMENT: "user", GROUP_ATTACHMENT: "group"}
_ATTACH_EXCLUSIVE = {ROLE_EXCLUSIVE: "roleName", USER_EXCLUSIVE: "userName", GROUP_EXCLUSIVE: "groupName"}
_INLINE = {ROLE_POLICY: "role", USER_POLICY: "user", GROUP_POLICY: "group"}


def _docs_of(res: Resource) -> Tuple[List[Doc], List[str]]:
    docs, unknown = [], []
    for path, raw in identity_documents(res):
        parsed = parse_cached(raw, IDENTITY)
        if parsed is UNKNOWN:
            unknown.append(f"{res.name}.{path}")
        elif isinstance(parsed, Document):
            docs.append(Doc(res, path, parsed))
    return docs, unknown


def build(stack: Stack) -> Model:
    """The principal model of `stack`; see the module docstring."""
    principals: Dict[str, Principal] = {}
    for r in stack.resources:
        if r.type in KINDS:
            principals[r.urn] = Principal(r, KINDS[r.type])
    kind_types = {k: tuple(t for t, kind in KINDS.items() if kind == k) for k in KINDS.values()}
    policy_docs: Dict[str, Tuple[List[Doc], List[str]]] = {}
    accounts: Set[str] = set()

    def targets(source: Resource, prop: str, kind: str) -> List[Principal]:
        hits, undecided = stack.index.linked(source, prop, kind_types[kind], _known_as)
        if undecided:
            # Preview cannot tell which principal this part belongs to: every one of the kind
            # might receive it, so each is incomplete.
            for p in principals.values():
                if p.kind == kind:
                    p.unknown.append(f"{source.name}.{prop}")
        return [principals[h.urn] for h in hits]

    def attach(source: Resource, prop: str, who: List[Principal]) -> None:
        if not who:
            return
        if _value_unknown(source, prop) and not source.depends_on(prop):
            for p in who:
                p.unknown.append(f"{source.name}.{prop}")
        hits, _ = stack.index.linked(source, prop, POLICY, _known_as)
        for pol in hits:
            if pol.urn not in policy_docs:
                policy_docs[pol.urn] = _docs_of(pol)
            docs, unknown = policy_docs[pol.urn]
            part = _resource_part(pol, "policy/")
            for p in who:
                p.docs.extend(docs)
                p.unknown.extend(unknown)
                if part:
                    p.own.add(part)
        value: Any = source.props.get(prop)
        listed = isinstance(value, list)
        values: List[Any] = value if listed else [value]
        for i, v in enumerate(values):
            # A customer policy outside the stack: its document is unseen (like an SCP), but it is
            # still the principal's own, so a pattern that matches it is no scope. An AWS-managed
            # policy's document is AWS's published one (iam/managed.py): it is part of what the
            # principal holds, changed where the attachment names it; nobody can rewrite it.
            if isinstance(v, str) and is_aws_managed(v):
                published = managed.document(v)
                for p in who:
                    if v not in p.managed:
                        p.managed.append(v)
                        if published is not None:
                            p.docs.append(Doc(source, f"{prop}[{i}]" if listed else prop, published))
            elif isinstance(v, str) and not any(v in identifiers(h, "arn") for h in hits):
                parsed = split_arn(v)
                if parsed is not None:
                    for p in who:
                        p.own.add(parsed[4])

    for r in stack.resources:
        arn = r.props.get("arn")
        if isinstance(arn, str):
            acct = (split_arn(arn) or ("", "", "", "", ""))[3]
            if acct.isdigit() and len(acct) == 12:
                accounts.add(acct)
        if r.type == AWS_PROVIDER:
            ids = r.props.get("allowedAccountIds")
            if isinstance(ids, list):
                accounts.update(a for a in ids if isinstance(a, str) and account_of(a) == a)
        if r.type in KINDS:
            p = principals[r.urn]
            docs, unknown = _docs_of(r)
            p.docs.extend(docs)
            p.unknown.extend(unknown)
            part = _resource_part(r, f"{p.kind}/")
            if part:
                p.own.add(part)
            if r.type == ROLE:
                attach(r, "managedPolicyArns", [p])
            boundary = r.props.get("permissionsBoundary")
            if boundary is UNKNOWN:
                p.unknown.append(f"{r.name}.permissionsBoundary")
            elif isinstance(boundary, str) and boundary:
                hits, _ = stack.index.linked(r, "permissionsBoundary", POLICY, _known_as)
                if hits:
                    parsed = parse_cached(hits[0].props.get("policy"), IDENTITY)
                    if parsed is UNKNOWN:
                        p.unknown.append(f"{hits[0].name}.policy")
                    elif isinstance(parsed, Document):
                        p.boundary = parsed
        elif r.type in _INLINE:
            who = targets(r, _INLINE[r.type], _INLINE[r.type])
            docs, unknown = _docs_of(r)
            for p in who:
                p.docs.extend(docs)
                p.unknown.extend(unknown)
        elif r.type in _ATTACH_SINGLE:
            attach(r, "policyArn", targets(r, _ATTACH_SINGLE[r.type], _ATTACH_SINGLE[r.type]))
        elif r.type in _ATTACH_EXCLUSIVE:
            kind = {ROLE_EXCLUSIVE: "role", USER_EXCLUSIVE: "user", GROUP_EXCLUSIVE: "group"}[r.type]
            attach(r, "policyArns", targets(r, _ATTACH_EXCLUSIVE[r.type], kind))
        elif r.type == POLICY_ATTACHMENT:
            who = [p for prop, kind in (("roles", "role"), ("users", "user"), ("groups", "group"))
                   for p in targets(r, prop, kind)]
            attach(r, "policyArn", who)
    for r in stack.resources:
        if r.type == GROUP_MEMBERSHIP:
            groups, users = targets(r, "group", "group"), targets(r, "users", "user")
        elif r.type == USER_GROUP_MEMBERSHIP:
            users, groups = targets(r, "user", "user"), targets(r, "groups", "group")
        else:
            if r.type in SAGEMAKER_EXECUTION_ROLES:
                prop = SAGEMAKER_EXECUTION_ROLES[r.type]
                for p in targets(r, prop, "role"):
                    p.workloads.append((r, prop))
            continue
        for u in users:
            u.groups.extend(g for g in groups if g not in u.groups)
    return Model(list(principals.values()), frozenset(accounts))


def model_of(stack: Stack) -> Model:
    """The stack's principal model, built on first use and kept with the stack."""
    m = getattr(stack, "_iam_principal_model", None)
    if m is None:
        m = build(stack)
        object.__setattr__(stack, "_iam_principal_model", m)
    return m


def sorted_docs(docs: Sequence[Doc]) -> List[Doc]:
    return sorted(docs, key=lambda d: d.key)
