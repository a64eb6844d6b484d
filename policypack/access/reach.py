"""Readers of a stack's secrets, SecureString parameters and customer-managed keys.

A reader is a principal that can obtain the plaintext, by one of four routes:
- `identity`: its own policies (the principal model: inline and attached documents,
  group policies, Denies, boundary, past-dated grants) allow the read on the ARN;
- `resource-policy`: the secret's or key's own policy names it;
- `assume-role`: it can assume a role that is a reader (the role's trust policy
  names it, or names its account and its own policies allow sts:AssumeRole);
- `escalation`: its policies complete a privilege-escalation method of
  iam-policy-no-privilege-escalation, so it can make itself anything, a reader too.

Reading a secret or SecureString under a customer-managed key needs the service's
read action *and* kms:Decrypt on the key: the key policy names the principal, or
names the account root (the key policy delegates to IAM) and the principal's own
policies allow kms:Decrypt. A key policy that is missing is AWS's default, which
delegates. Under the AWS-managed key (no kmsKeyId) only the secret's own account can
decrypt, so other accounts are not readers of such a secret.

Conditions are kept: a grant behind a condition keyguard cannot show to hold gives a
`conditional` reader, never none. The one condition shown to hold is
`kms:ViaService` naming the service the read goes through (reading a secret makes
Secrets Manager call kms:Decrypt for the caller). A Deny with a condition may not
apply: the reader stays, marked conditional. Parts unknown during preview (a
document, an ARN) are listed in `unknown`: readers may be missing there.

AWS-managed policies attached to a principal are judged by their published documents
(iam/managed.py); the answer names the data version that judged them, and each target lists
the attached managed ARNs the data does not hold (`aws_managed_policies_unread`).
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from ..iam.actions import glob
from ..iam.conditions import entries, expired_by
from ..iam.document import RESOURCE, TRUST, Document, parse_cached
from ..iam import managed
from ..iam.effective import Model, Principal, model_of
from ..iam.grants import Context, _actions_of, _denied, allowed, live, pairs
from ..iam.principals import account_of, is_public
from ..iam.resources import split_arn
from ..kms_keys import is_aws_managed
from ..links import identifiers
from ..model import UNKNOWN, Resource, Stack
from ..tokens.aws import KEY_POLICY, KMS_KEY, ROLE, SECRET, SECRET_POLICY, SSM_PARAMETER, USER

SECRET_READ = frozenset({"secretsmanager:getsecretvalue"})
PARAMETER_READ = frozenset({"ssm:getparameter", "ssm:getparameters", "ssm:getparameterhistory"})
DECRYPT = frozenset({"kms:decrypt"})
ASSUME = frozenset({"sts:assumerole"})

KINDS = ("role", "user", "group", "service", "account", "public")
VIAS = ("identity", "resource-policy", "assume-role", "escalation", "public")


@dataclass(frozen=True)
class Reader:
    """Who can read a secret or use a key, how, and along which path."""
    principal: str  # the stack principal's name, or the ARN / account / service / "*"
    kind: str
    via: str
    path: Tuple[str, ...]  # from the reader to the target: URNs, or principals outside the stack
    conditional: bool
    principal_urn: Optional[str] = None
    actions: Tuple[str, ...] = ()
    arn: Optional[str] = None

    @property
    def key(self) -> str:
        return self.principal_urn or self.principal

    def as_json(self) -> Dict[str, Any]:
        return {"principal_urn": self.principal_urn, "principal": self.principal, "kind": self.kind,
                "via": self.via, "path": list(self.path), "conditional": self.conditional,
                "actions": list(self.actions)}


@dataclass
class Target:
    """A secret, SecureString parameter or KMS key of the stack whose readers are asked for."""
    resource: Resource
    type: str  # "secret" | "parameter" | "key"
    arn: Optional[str]
    key: Optional[Resource] = None  # the customer-managed key of the stack that encrypts it
    key_ref: Optional[str] = None  # the key as named, when it is outside the stack
    readers: List[Reader] = field(default_factory=list)
    unknown: List[str] = field(default_factory=list)
    managed_policies: List[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        n = self.resource.props.get("name")
        return n if isinstance(n, str) and n else self.resource.name

    def as_json(self) -> Dict[str, Any]:
        return {"urn": self.resource.urn, "name": self.name, "type": self.resource.type,
                "kms_key_urn": self.key.urn if self.key else None,
                "readers": [r.as_json() for r in self.readers],
                "unknown": list(self.unknown), "aws_managed_policies_unread": list(self.managed_policies)}


@dataclass(frozen=True)
class _Grant:
    """Actions one document grants on a target, and where that document is held."""
    actions: FrozenSet[str]
    conditional: bool
    via: str  # "identity" | "resource-policy"
    step: str  # the URN of the resource holding the document


# -- statements --------------------------------------------------------------------------------

def _covers(stmt: Any, arn: str) -> bool:
    if stmt.not_resources:
        return not any(glob(p).fullmatch(arn) for p in stmt.not_resources)
    if not stmt.resources:  # a trust policy names no Resource
        return True
    return any(glob(p).fullmatch(arn) for p in stmt.resources)


_EQUALS = frozenset({"stringequals", "stringlike", "stringequalsignorecase"})


def _conditional(stmt: Any, via_service: Optional[str]) -> bool:
    """Whether a condition of `stmt` may not hold. `via_service` ("secretsmanager") is the
    service the read goes through: kms:ViaService naming it holds."""
    for op, key, values in entries(stmt):
        o = op.lower().removesuffix("ifexists")
        if (via_service and key.lower() == "kms:viaservice" and o in _EQUALS
                and any(glob(v.lower()).fullmatch(f"{via_service}.region.amazonaws.com")
                        or v.lower().startswith(f"{via_service}.") for v in values)):
            continue
        return True
    return False


def _conditional_deny(denies: Iterable[Any], acts: FrozenSet[str], arn: str) -> bool:
    return any(d.conditions and (allowed_of_deny(d) & acts) and _covers(d, arn) for d in denies)


def allowed_of_deny(stmt: Any) -> FrozenSet[str]:
    """The actions a Deny names (NotAction: every other one)."""
    return _actions_of(stmt)


Rows = List[Tuple[Any, FrozenSet[str], str]]


def identity_grant(w: "_World", p: Principal, actions: FrozenSet[str], arn: str,
                   via_service: Optional[str] = None) -> Optional[_Grant]:
    """What `p`'s own policies allow of `actions` on `arn` (the least conditional grant)."""
    rows = w.rows(actions).get(p.resource.urn)
    if not rows:
        return None
    ctx = w.model.context(p, w.today)
    best: Optional[_Grant] = None
    for s, acts, step in rows:
        if not _covers(s, arn):
            continue
        acts = acts - _denied(arn, ctx)
        if ctx.boundary is not None:
            acts = acts & ctx.boundary
        if not acts:
            continue
        cond = _conditional(s, via_service) or _conditional_deny(ctx.denies, acts, arn)
        if best is None or (best.conditional and not cond):
            best = _Grant(acts, cond, "identity", step)
    return best


@dataclass(frozen=True)
class _Named:
    """A principal a resource or trust policy names, with what it is allowed."""

    ptype: str  # "AWS", "Service", "Federated", "*"
    value: str
    actions: FrozenSet[str]
    conditional: bool


def named_grants(doc: Document, actions: FrozenSet[str], arn: str, today: Optional[_dt.date],
                 via_service: Optional[str] = None) -> List[_Named]:
    """The principals a resource or trust policy allows `actions` on `arn`, after its Denies:
    an unconditional Deny to everyone removes, a conditional one leaves a conditional grant."""
    deny_all: FrozenSet[str] = frozenset()
    deny_cond: FrozenSet[str] = frozenset()
    deny_named: Dict[str, FrozenSet[str]] = {}
    for s in doc.statements:
        if s.allows or not _covers(s, arn):
            continue
        acts = allowed_of_deny(s) & actions
        everyone = "*" in s.principals.get("AWS", ()) or "*" in s.principals.get("*", ()) or bool(s.not_principals)
        if s.conditions or s.not_principals:
            deny_cond = deny_cond | acts
        elif everyone:
            deny_all = deny_all | acts
        else:
            for vals in s.principals.values():
                for v in vals:
                    deny_named[v] = deny_named.get(v, frozenset()) | acts
    out = []
    for s in doc.statements:
        if not s.allows or expired_by(s, today) is not None or not _covers(s, arn):
            continue
        acts = (allowed(s) & actions) - deny_all
        if not acts:
            continue
        cond = _conditional(s, via_service) or bool(acts & deny_cond)
        for ptype, vals in s.principals.items():
            for v in vals:
                mine = acts - deny_named.get(v, frozenset())
                if mine:
                    out.append(_Named(ptype, v, mine, cond))
        if s.not_principals:
            out.append(_Named("*", "*", acts, True))
    return out


# -- the stack ---------------------------------------------------------------------------------

def _arn(res: Resource) -> Optional[str]:
    v = res.props.get("arn")
    return v if isinstance(v, str) and v else None


def _unset(res: Resource, prop: str) -> bool:
    """Whether a property is not set: absent or empty, or an output unknown only because the
    program's inputs never set it (mocks leave such outputs unknown)."""
    v = res.props.get(prop)
    if v in (None, ""):
        return True
    return v is UNKNOWN and res.inputs is not None and res.inputs.get(prop) in (None, "")


@dataclass
class _World:
    """The stack as reach analysis reads it, with its principal model and principals by ARN."""
    stack: Stack
    model: Model
    today: Optional[_dt.date]
    by_arn: Dict[str, Principal]
    by_urn: Dict[str, Principal]
    _rows: Dict[FrozenSet[str], Dict[str, Rows]] = field(default_factory=dict)
    unread: Set[str] = field(default_factory=set)
    # Secrets and parameters whose key preview cannot tell yet.
    undecided_keys: Set[str] = field(default_factory=set)
    managed_seen: Set[str] = field(default_factory=set)
    _resource_index: Dict[FrozenSet[str], Tuple[Dict[str, Set[str]], Set[str]]] = field(default_factory=dict)

    def principal_of(self, value: str) -> Optional[Principal]:
        return self.by_arn.get(value)

    def rows(self, actions: FrozenSet[str]) -> Dict[str, Rows]:
        """Principal URN -> its live Allow statements that name any of `actions` (with those
        actions and the document's resource): built once per action set, so that a stack of
        many secrets asks each principal's documents once, and principals with none are skipped."""
        found = self._rows.get(actions)
        if found is None:
            found = {}
            for p in self.model.principals:
                if p.kind == "group":
                    continue  # its members hold its documents
                ctx = self.model.context(p, self.today)
                rows: Rows = []
                for doc, step in self.documents_of(p):
                    for s in doc.statements:
                        if live(s, ctx):
                            acts = allowed(s) & actions
                            if acts:
                                rows.append((s, acts, step))
                if rows:
                    found[p.resource.urn] = rows
            self._rows[actions] = found
        return found

    def documents_of(self, p: Principal) -> List[Tuple[Document, str]]:
        """Every identity document `p` holds, with the step a path names for it: the stack's
        (inline, attached, its groups') and the AWS-managed ones attached to it or its groups,
        read from the published documents (iam/managed.py). A managed ARN the data lacks is
        recorded in `unread`."""
        arns = list(dict.fromkeys(p.managed + [a for g in p.groups for a in g.managed]))
        published = {arn: managed.document(arn) for arn in arns}
        # The principal model holds the published documents too, stepped through the attachment;
        # a path here names the managed policy itself.
        theirs = {id(doc) for doc in published.values() if doc is not None}
        out = [(d.document, d.resource.urn) for d in p.all_docs() if id(d.document) not in theirs]
        for arn, doc in published.items():
            if doc is None:
                self.unread.add(arn)
            else:
                self.managed_seen.add(arn)
                out.append((doc, arn))
        return out

    def holders(self, actions: FrozenSet[str], arn: Optional[str] = None) -> List[Principal]:
        """Principals with a statement naming `actions` that may cover `arn` (any, without one)."""
        rows = self.rows(actions)
        if arn is None:
            return [self.by_urn[u] for u in rows]
        exact, wild = self._by_resource(actions)
        urns = exact.get(arn.lower(), set()) | wild
        return [self.by_urn[u] for u in rows if u in urns]

    def _by_resource(self, actions: FrozenSet[str]) -> Tuple[Dict[str, Set[str]], Set[str]]:
        """Lower-cased literal resources -> principal URNs naming them; and the principals with
        a wildcard or NotResource statement, who may cover anything."""
        found = self._resource_index.get(actions)
        if found is None:
            exact: Dict[str, Set[str]] = {}
            wild: Set[str] = set()
            for urn, rows in self.rows(actions).items():
                for st, _, _ in rows:
                    if st.not_resources or not st.resources:
                        wild.add(urn)
                    for r in st.resources:
                        if "*" in r or "?" in r:
                            wild.add(urn)
                        else:
                            exact.setdefault(r.lower(), set()).add(urn)
            found = self._resource_index[actions] = (exact, wild)
        return found


def _world(stack: Stack, today: Optional[_dt.date]) -> _World:
    model = model_of(stack)
    by_arn: Dict[str, Principal] = {}
    for p in model.principals:
        for i in identifiers(p.resource, "arn"):
            if i.startswith("arn:"):
                by_arn[i] = p
    return _World(stack, model, today, by_arn, {p.resource.urn: p for p in model.principals})


def _policy_doc(stack: Stack, res: Resource, prop: str, attached_type: str, link_prop: str,
                ids_props: Sequence[str], unknown: List[str]) -> Tuple[Optional[Document], Optional[Resource]]:
    """The resource policy of `res`: its own `prop`, or a separate policy resource linked to it."""
    holder: Optional[Resource] = None
    raw: Any = None
    if not _unset(res, prop):
        holder, raw = res, res.props.get(prop)
    elif stack.index.of_type(attached_type):
        ids = identifiers(res, *ids_props)
        for r in stack.index.referrers(res, link_prop, attached_type, ids):
            holder, raw = r, r.props.get("policy")
    if holder is None:
        return None, None
    parsed = parse_cached(raw, RESOURCE)
    if parsed is UNKNOWN:
        unknown.append(f"{holder.name}.policy")
        return None, holder
    return (parsed, holder) if isinstance(parsed, Document) else (None, holder)


def _external_kind(value: str) -> str:
    arn = split_arn(value)
    if arn is None:
        return "account"
    part = arn[4]
    if part.startswith("user/"):
        return "user"
    if part.startswith(("role/", "assumed-role/")):
        return "role"
    return "account"


def _own_account(w: _World, value: str) -> bool:
    acct = account_of(value)
    return acct is not None and acct in w.model.accounts and (value == acct or value.endswith(":root"))


def _readers_named(w: _World, named: Iterable[_Named], target_urn: str, holder: Resource,
                   allow_external: bool) -> Tuple[Dict[str, Tuple[Reader, _Grant]], Optional[bool]]:
    """Readers a resource policy names, and whether it delegates to IAM (None: it does not;
    False/True: it does, unconditionally/conditionally)."""
    out: Dict[str, Tuple[Reader, _Grant]] = {}
    # The policy's holder is a step of the path unless it is the target itself.
    via: Tuple[str, ...] = (holder.urn, target_urn) if holder.urn != target_urn else (target_urn,)
    delegates: Optional[bool] = None
    for n in named:
        g = _Grant(n.actions, n.conditional, "resource-policy", holder.urn)
        if n.ptype in ("AWS", "*"):
            if is_public(n.value):
                r = Reader("*", "public", "public", ("*",) + via, n.conditional,
                           actions=tuple(sorted(n.actions)))
            elif _own_account(w, n.value):
                delegates = n.conditional if delegates is None else (delegates and n.conditional)
                continue
            elif (p := w.principal_of(n.value)) is not None:
                r = Reader(p.name, p.kind, "resource-policy", (p.resource.urn,) + via,
                           n.conditional, p.resource.urn, tuple(sorted(n.actions)), n.value)
            elif allow_external:
                kind = _external_kind(n.value)
                # "444455556666" and "arn:aws:iam::444455556666:root" are one principal.
                who = (account_of(n.value) or n.value) if kind == "account" else n.value
                r = Reader(who, kind, "resource-policy", (who,) + via,
                           n.conditional, actions=tuple(sorted(n.actions)), arn=n.value)
            else:
                continue
        elif n.ptype == "Service":
            r = Reader(n.value, "service", "resource-policy", (n.value,) + via, n.conditional,
                       actions=tuple(sorted(n.actions)))
        else:
            continue
        prev = out.get(r.key)
        if prev is None or (prev[0].conditional and not r.conditional):
            out[r.key] = (r, g)
    return out, delegates


def _key_readers(w: _World, key: Resource, arn: Optional[str], via_service: Optional[str],
                 target_urn: str, unknown: List[str], allow_external: bool = True) -> Dict[str, Tuple[Reader, _Grant]]:
    """Who can kms:Decrypt with `key` (through `via_service` when it stands for a read)."""
    if arn is None:
        unknown.append(f"{key.name}.arn")
        return {}
    doc, holder = _policy_doc(w.stack, key, "policy", KEY_POLICY, "keyId", ("arn", "keyId"), unknown)
    if holder is not None and doc is None:
        return {}
    if doc is None:
        named: Dict[str, Tuple[Reader, _Grant]] = {}
        delegates: Optional[bool] = False  # AWS's default key policy: the account root may use IAM
    else:
        assert holder is not None
        named, delegates = _readers_named(w, named_grants(doc, DECRYPT, arn, w.today, via_service), target_urn,
                                          holder, allow_external)
    out = dict(named)
    if delegates is not None:
        for p in w.holders(DECRYPT, arn):
            g = identity_grant(w, p, DECRYPT, arn, via_service)
            if g is None:
                continue
            r = Reader(p.name, p.kind, "identity", (p.resource.urn, g.step, target_urn), g.conditional or delegates,
                       p.resource.urn, tuple(sorted(g.actions)), _arn(p.resource))
            prev = out.get(r.key)
            if prev is None or (prev[0].conditional and not r.conditional):
                out[r.key] = (r, g)
    return out


def _service_readers(w: _World, target: Target, read: FrozenSet[str], service: str,
                     resource_doc: Tuple[Optional[Document], Optional[Resource]]) -> Dict[str, Reader]:
    """Direct readers of a secret or parameter: the read action, and decrypt on its key."""
    arn = target.arn
    assert arn is not None
    urn = target.resource.urn
    readers: Dict[str, Tuple[Reader, _Grant]] = {}
    for p in w.holders(read, arn):
        g = identity_grant(w, p, read, arn)
        if g is not None:
            readers[p.resource.urn] = (Reader(p.name, p.kind, "identity", (p.resource.urn, g.step, urn),
                                              g.conditional, p.resource.urn, tuple(sorted(g.actions)),
                                              _arn(p.resource)), g)
    doc, holder = resource_doc
    if doc is not None and holder is not None:
        named, _ = _readers_named(w, named_grants(doc, read, arn, w.today), urn, holder, allow_external=True)
        for k, (r, g) in named.items():
            if k not in readers or (readers[k][0].conditional and not r.conditional):
                readers[k] = (r, g)
    out: Dict[str, Reader] = {}
    if target.key is not None:
        decrypters = _key_readers(w, target.key, _arn(target.key), service, urn, target.unknown)
        for k, (r, _) in readers.items():
            d = decrypters.get(k)
            if d is None and r.kind == "public":
                continue
            if d is None:
                # A key policy open to everyone lets any reader decrypt.
                d = decrypters.get("*")
            if d is None:
                continue
            acts = tuple(sorted(set(r.actions) | set(d[0].actions)))
            path = r.path[:-1] + tuple(x for x in d[0].path[1:-1] if x not in r.path) + (urn,)
            out[k] = Reader(r.principal, r.kind, r.via, path, r.conditional or d[0].conditional,
                            r.principal_urn, acts, r.arn)
        return out
    if target.key_ref is not None:
        # A key outside the stack: its key policy is unseen, so it is taken to delegate to IAM,
        # and readers outside the account are kept as conditional.
        for k, (r, _) in readers.items():
            owner = w.by_urn.get(k)
            if owner is None:
                out[k] = Reader(r.principal, r.kind, r.via, r.path, True, r.principal_urn, r.actions, r.arn)
                continue
            key_arn = target.key_ref if target.key_ref.startswith("arn:") else None
            g = identity_grant(w, owner, DECRYPT, key_arn, service) if key_arn else None
            if g is None:
                if key_arn is None:
                    out[k] = Reader(r.principal, r.kind, r.via, r.path, True, r.principal_urn, r.actions, r.arn)
                continue
            out[k] = Reader(r.principal, r.kind, r.via, r.path, r.conditional or g.conditional, r.principal_urn,
                            tuple(sorted(set(r.actions) | g.actions)), r.arn)
        return out
    # The AWS-managed key: principals of the secret's own account only.
    for k, (r, _) in readers.items():
        if r.kind in ("account", "service") or (r.principal_urn is None and r.kind != "public"):
            continue
        out[k] = r
    return out


# -- assuming roles and escalating -------------------------------------------------------------

@dataclass(frozen=True)
class _Edge:
    """`who` can assume `role`."""

    who: str  # stack principal URN, or the outside principal
    kind: str
    conditional: bool
    urn: Optional[str]
    arn: Optional[str]


def _assume_edges(w: _World, unknown: List[str]) -> Dict[str, List[_Edge]]:
    """Role URN -> who can assume it."""
    edges: Dict[str, List[_Edge]] = {}
    for p in w.model.principals:
        if p.kind != "role":
            continue
        arn = _arn(p.resource)
        raw = p.resource.props.get("assumeRolePolicy")
        doc = parse_cached(raw, TRUST)
        if doc is UNKNOWN:
            unknown.append(f"{p.resource.name}.assumeRolePolicy")
            continue
        if not isinstance(doc, Document) or arn is None:
            continue
        acts = ASSUME | frozenset({"sts:assumerolewithwebidentity", "sts:assumerolewithsaml"})
        out = edges.setdefault(p.resource.urn, [])
        for n in named_grants(doc, acts, arn, w.today):
            if n.ptype == "Service":
                continue  # a service acting as the role is the role, not a new reader
            if n.ptype == "Federated":
                out.append(_Edge(n.value, "public", True, None, None))
            elif is_public(n.value):
                out.append(_Edge("*", "public", n.conditional, None, None))
            elif _own_account(w, n.value):
                for q in w.holders(ASSUME, arn):
                    if q is p:
                        continue
                    g = identity_grant(w, q, ASSUME, arn)
                    if g is not None:
                        out.append(_Edge(q.resource.urn, q.kind, g.conditional or n.conditional, q.resource.urn,
                                         _arn(q.resource)))
            elif (named := w.principal_of(n.value)) is not None:
                out.append(_Edge(named.resource.urn, named.kind, n.conditional, named.resource.urn, n.value))
            else:
                kind = _external_kind(n.value)
                who = (account_of(n.value) or n.value) if kind == "account" else n.value
                out.append(_Edge(who, kind, n.conditional, None, n.value))
    return edges


def escalators(w: _World) -> Dict[str, Tuple[Principal, str]]:
    """Stack principals whose unscoped grants complete an escalation method -> (principal, method)."""
    from ..iam.risk import escalations

    out: Dict[str, Tuple[Principal, str]] = {}
    for p in w.model.principals:
        if p.kind == "group":
            continue
        ctx: Context = w.model.context(p, w.today)
        acts: FrozenSet[str] = frozenset()
        for doc, _ in w.documents_of(p):
            for _, a in pairs(doc.statements, ctx):
                acts = acts | a
        found = escalations(acts)
        if found:
            out[p.resource.urn] = (p, sorted(n for n, _ in found)[0])
    return out


def _spread(w: _World, direct: Dict[str, Reader], edges: Dict[str, List[_Edge]],
            escalating: Dict[str, Tuple[Principal, str]], target_urn: str) -> List[Reader]:
    found: Dict[Tuple[str, str], Reader] = {}

    def add(r: Reader) -> bool:
        k = (r.key, r.via)
        prev = found.get(k)
        if prev is None or (prev.conditional and not r.conditional) or \
                (prev.conditional == r.conditional and len(r.path) < len(prev.path)):
            found[k] = r
            return prev is None
        return False

    for r in direct.values():
        add(r)
    for urn, (p, method) in escalating.items():
        # Nothing else is listed by escalation, so each goes in as it is.
        found[(urn, "escalation")] = Reader(p.name, p.kind, "escalation", (urn, f"escalation:{method}", target_urn),
                                            False, urn, arn=_arn(p.resource))
    # Breadth first over "can assume": every chain ends at a reader role that has edges.
    frontier = [r for r in found.values() if r.principal_urn in edges and edges[r.principal_urn]]
    seen_roles: Set[str] = set()
    while frontier:
        nxt = []
        for r in frontier:
            if r.principal_urn is None or r.kind != "role" or r.principal_urn in seen_roles:
                continue
            seen_roles.add(r.principal_urn)
            for e in edges.get(r.principal_urn, ()):
                if e.urn is not None and e.urn in r.path:
                    continue
                principal = w.by_urn[e.urn].name if e.urn else e.who
                new = Reader(principal, e.kind, "assume-role", (e.who,) + r.path, r.conditional or e.conditional,
                             e.urn, r.actions, e.arn)
                if add(new):
                    nxt.append(new)
        frontier = nxt
    return sorted(found.values(), key=lambda r: (r.principal, _VIA_ORDER[r.via]))


_VIA_ORDER = {v: i for i, v in enumerate(VIAS)}


# -- the answer --------------------------------------------------------------------------------

@dataclass
class Access:
    """The answer of `analyse`: targets, who reaches them, and what could not be judged."""
    targets: List[Target]
    edges: Dict[str, List[_Edge]]
    escalating: Dict[str, Tuple[Principal, str]]
    unknown: List[str]
    # The AWS-managed policy data that judged attached managed policies, when any was attached.
    managed_data: Optional[str] = None
    # What the analysis built (principals' statements by action), for diff to reuse.
    world: Optional["_World"] = None

    @property
    def secrets(self) -> List[Target]:
        return [t for t in self.targets if t.type in ("secret", "parameter")]

    @property
    def keys(self) -> List[Target]:
        return [t for t in self.targets if t.type == "key"]


def _key_of(w: _World, res: Resource, prop: str, unknown: List[str]) -> Tuple[Optional[Resource], Optional[str]]:
    """The stack's key that encrypts `res`, or the key it names outside the stack. What preview
    cannot decide (the reference, or a literal that may be a key whose ARN is not known yet) is
    recorded in `unknown` and gives neither."""
    v = res.props.get(prop)
    if v in (None, "") or (isinstance(v, str) and is_aws_managed(v)):
        return None, None
    hits, undecided = w.stack.index.linked(res, prop, KMS_KEY, _key_ids)
    if hits:
        return hits[0], None
    if undecided or v is UNKNOWN or any(k.props.get("arn") is UNKNOWN or k.props.get("keyId") is UNKNOWN
                                        for k in w.stack.of_type(KMS_KEY)):
        unknown.append(f"{res.name}.{prop}")
        w.undecided_keys.add(res.urn)
        return None, None
    return None, v if isinstance(v, str) else None


def _key_ids(key: Resource) -> Set[str]:
    # One function, so that the stack index builds its map of keys by identifier once.
    return identifiers(key, "arn", "keyId")


def analyse(stack: Stack, today: Optional[_dt.date] = None, only: Optional[str] = None) -> Access:
    """Every secret, SecureString parameter and customer-managed key of `stack`, with its readers.
    `only` keeps the targets whose name, URN or ARN it equals."""
    w = _world(stack, today)
    unknown: List[str] = []
    for p in w.model.principals:
        # Mocks leave outputs the program never set unknown; those are not parts to wait for.
        unknown.extend(u for u in p.unknown
                       if not (u.startswith(p.resource.name + ".") and _unset(p.resource, u[len(p.resource.name) + 1:])))
    edges = _assume_edges(w, unknown)
    escalating = escalators(w)
    targets: List[Target] = []
    for res in stack.resources:
        if res.type == SECRET:
            t = Target(res, "secret", _arn(res))
            t.key, t.key_ref = _key_of(w, res, "kmsKeyId", t.unknown)
            read, service = SECRET_READ, "secretsmanager"
            doc_holder: Tuple[Optional[Document], Optional[Resource]] = (None, None)
            if t.arn is not None:
                doc_holder = _policy_doc(stack, res, "policy", SECRET_POLICY, "secretArn", ("arn",), t.unknown)
        elif res.type == SSM_PARAMETER and res.props.get("type") == "SecureString":
            t = Target(res, "parameter", _arn(res))
            t.key, t.key_ref = _key_of(w, res, "keyId", t.unknown)
            read, service, doc_holder = PARAMETER_READ, "ssm", (None, None)
        elif res.type == KMS_KEY:
            t = Target(res, "key", _arn(res))
            read, service, doc_holder = DECRYPT, "", (None, None)
        else:
            continue
        if only is not None and only not in (t.name, res.urn, res.name, t.arn):
            continue
        if t.arn is None:
            t.unknown.append(f"{res.name}.arn")
            targets.append(t)
            continue
        if t.type == "key":
            direct = {k: r for k, (r, _) in _key_readers(w, res, t.arn, None, res.urn, t.unknown).items()}
        elif res.urn in w.undecided_keys:
            # Which key encrypts it is not known yet, so whether a reader can decrypt is not
            # either: nobody is claimed (t.unknown says why).
            direct = {}
        else:
            direct = _service_readers(w, t, read, service, doc_holder)
        t.readers = _spread(w, direct, edges, escalating, res.urn)
        t.unknown = sorted(set(t.unknown + unknown))
        t.managed_policies = sorted(w.unread)
        targets.append(t)
    return Access(targets, edges, escalating, sorted(set(unknown)),
                  managed.data_version() if w.managed_seen else None, w)


def readers_json(access: Access) -> Mapping[str, Any]:
    return {"schema": "keyguard.access/v1",
            "managed_policy_data": access.managed_data,
            "secrets": [t.as_json() for t in access.secrets],
            "keys": [t.as_json() for t in access.keys]}


__all__ = ["Access", "Reader", "Target", "analyse", "readers_json", "ROLE", "USER"]
