"""Google Cloud IAM grants, read from the member, binding and policy resources of pulumi-gcp.

Google's IAM model is one shape everywhere: a policy is a list of bindings, each a role,
its members and an optional condition (a CEL expression). pulumi-gcp writes it three ways
for every resource that has IAM: `...IamMember` (one member), `...IamBinding` (one role,
many members) and `...IamPolicy` (the whole policy as JSON in `policyData`). This module
turns any of the three into the same `Grant`s, so that each rule judges a grant once
whichever way the program wrote it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Iterable, List, Mapping, Optional

from ..model import UNKNOWN, Outcome, Resource, failed, not_applicable, passed, unknown

# Members that stand for anyone: on the internet, or with any Google account.
PUBLIC_MEMBERS = frozenset({"allusers", "allauthenticatedusers"})


@dataclass(frozen=True)
class Grant:
    """One member holding one role, under an optional condition. Any field may be UNKNOWN
    (preview); `path` is where the member is written, `role_path` where the role is."""

    role: Any
    member: Any
    condition: Any  # None, a condition mapping, or UNKNOWN
    path: str
    role_path: str


class BadPolicy(ValueError):
    """A policyData that is not an IAM policy; the provider refuses it before any grant exists."""


def _condition(value: Any) -> Any:
    if value is UNKNOWN:
        return UNKNOWN
    if isinstance(value, Mapping) and value.get("expression") is not None:
        return value
    return None


def grants(res: Resource) -> List[Grant]:
    """Every grant a member, binding or policy resource makes. Raises BadPolicy for a
    policyData that is not JSON or not a policy."""
    props = res.props
    if "policyData" in props:
        return _policy_grants(props.get("policyData"))
    role, cond = props.get("role"), _condition(props.get("condition"))
    if "members" in props:
        members = props.get("members")
        if members is UNKNOWN or not isinstance(members, list):
            return [Grant(role, UNKNOWN, cond, "members", "role")] if members is UNKNOWN else []
        return [Grant(role, m, cond, f"members[{i}]", "role") for i, m in enumerate(members)]
    return [Grant(role, props.get("member"), cond, "member", "role")]


def _policy_grants(data: Any) -> List[Grant]:
    if data is UNKNOWN:
        return [Grant(UNKNOWN, UNKNOWN, UNKNOWN, "policyData", "policyData")]
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise BadPolicy("policyData is not valid JSON") from exc
    if not isinstance(data, Mapping):
        raise BadPolicy("policyData is not a JSON object")
    bindings = data.get("bindings", [])
    if bindings is UNKNOWN:
        return [Grant(UNKNOWN, UNKNOWN, UNKNOWN, "policyData.bindings", "policyData.bindings")]
    if not isinstance(bindings, list):
        raise BadPolicy("policyData.bindings is not a list")
    out: List[Grant] = []
    for i, b in enumerate(bindings):
        base = f"policyData.bindings[{i}]"
        if b is UNKNOWN:
            out.append(Grant(UNKNOWN, UNKNOWN, UNKNOWN, base, base))
            continue
        if not isinstance(b, Mapping):
            raise BadPolicy(f"{base} is not an object")
        members = b.get("members", [])
        cond = _condition(b.get("condition"))
        if members is UNKNOWN:
            out.append(Grant(b.get("role"), UNKNOWN, cond, f"{base}.members", f"{base}.role"))
        elif isinstance(members, list):
            out.extend(Grant(b.get("role"), m, cond, f"{base}.members[{j}]", f"{base}.role")
                       for j, m in enumerate(members))
    return out


def is_public(member: Any) -> bool:
    return isinstance(member, str) and member.strip().lower() in PUBLIC_MEMBERS


def expression(condition: Any) -> Any:
    """The CEL expression of a condition: a string, UNKNOWN, or None without a condition."""
    if condition is UNKNOWN:
        return UNKNOWN
    if not isinstance(condition, Mapping):
        return None
    expr = condition.get("expression")
    return expr if expr is UNKNOWN or isinstance(expr, str) else None


# A condition narrows a grant only when every request it admits carries the narrowing
# attribute: a negation or an alternative (`!`, `||`) can admit requests without it.
_WIDENING = re.compile(r"!(?!=)|\|\|")
# The caller's access context (Access Context Manager access levels): the only IAM
# condition attribute that says *who* may call, so the only one that narrows a public grant.
_CALLER = re.compile(r"\brequest\.auth\.access_levels\b")
# The resource's name: narrows a project-, folder- or organization-level grant to some resources.
_RESOURCE_NAME = re.compile(r"\bresource\.name\b")


def _narrows(condition: Any, attribute: "re.Pattern[str]") -> Any:
    expr = expression(condition)
    if expr is UNKNOWN:
        return UNKNOWN
    if not expr or not expr.strip():
        return False
    return bool(attribute.search(expr)) and not _WIDENING.search(expr)


def restricts_caller(condition: Any) -> Any:
    """True when the condition ties the grant to an access level (who and from where may
    call); False when it does not (a time window or a resource name leaves the grant
    public); UNKNOWN during preview."""
    return _narrows(condition, _CALLER)


def scopes_resources(condition: Any) -> Any:
    """True when the condition limits the grant to resources by name; False otherwise;
    UNKNOWN during preview."""
    return _narrows(condition, _RESOURCE_NAME)


def role_name(role: Any) -> Optional[str]:
    return role.strip() if isinstance(role, str) else None


def judge_public(res: Resource, what: str) -> Iterable[Outcome]:
    """Fail each grant to allUsers or allAuthenticatedUsers that no access-level condition narrows;
    the message names the resource and the member's path, never who the member is."""
    try:
        found = grants(res)
    except BadPolicy as exc:
        yield not_applicable(f"{res.name}: {exc}; the provider refuses it, so it grants nothing")
        return
    decided = True
    failures = 0
    for g in found:
        if g.member is UNKNOWN:
            decided = False
            yield unknown(f"{res.name}: {g.path} is not known during preview", path=g.path)
            continue
        if not is_public(g.member):
            continue
        narrowed = restricts_caller(g.condition)
        if narrowed is UNKNOWN:
            decided = False
            yield unknown(f"{res.name}: the condition of the public grant at {g.path} is not known during preview",
                          path=g.path)
        elif not narrowed:
            failures += 1
            yield failed(f"{res.name}: {g.path} grants {what} to everyone (a public member) without a condition "
                         f"that restricts the caller", path=g.path)
    if decided and not failures:
        yield passed()
