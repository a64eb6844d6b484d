"""What the tests build over the neutral model: URNs, resources and IAM principals.

One home for them, so every suite names a resource the way the engine does and a change of
the model changes one builder. The rule examples have their own builder
(policypack/examples.py), which these reuse for policy documents.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

from policypack.examples import ACCOUNT, LAMBDA_TRUST, allow, doc
from policypack.model import Resource
from policypack.tokens.aws import POLICY, ROLE, ROLE_POLICY, ROLE_ATTACHMENT

__all__ = ["ACCOUNT", "LAMBDA_TRUST", "allow", "attach", "deny", "inline", "managed", "policy", "res", "resource",
           "role", "trusting", "urn"]

policy = doc  # a policy document as the JSON string programs pass


def urn(rtype: str, name: str, stack: str = "dev", project: str = "p") -> str:
    """The URN the engine gives a top-level resource."""
    return f"urn:pulumi:{stack}::{project}::{rtype}::{name}"


def resource(rtype: str, name: str, props: Optional[Mapping[str, Any]] = None, *, stack: str = "dev",
             project: str = "p", deps: Optional[Mapping[str, Sequence[str]]] = None, **fields: Any) -> Resource:
    """A resource with its URN; `deps` are property dependencies (property -> URNs), `fields`
    the model's other fields (id, inputs, parent, ...)."""
    return Resource(type=rtype, name=name, urn=urn(rtype, name, stack, project), props=dict(props or {}),
                    property_dependencies={k: tuple(v) for k, v in (deps or {}).items()}, **fields)


def res(rtype: str, res_name: str, /, *, _deps: Optional[Mapping[str, Sequence[str]]] = None,
        **props: Any) -> Resource:
    """`resource` with its properties as keywords, for tables of IAM principals (whose `name`
    is a property too, hence the positional-only resource name)."""
    return resource(rtype, res_name, props, deps=_deps)


def deny(action: Any, resource: Any = "*", **extra: Any) -> Mapping[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def role(res_name: str, /, **props: Any) -> Resource:
    """A role as AWS requires it, with a trust policy (Lambda's unless `assumeRolePolicy` is given),
    named `res_name` unless a `name` property is given."""
    return res(ROLE, res_name, **{"name": res_name, "assumeRolePolicy": LAMBDA_TRUST, **props})


def trusting(name: str, principal: Any, **props: Any) -> Resource:
    """A role whose trust policy lets `principal` (an AWS principal) assume it."""
    trust = policy({"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"})
    return res(ROLE, name, assumeRolePolicy=trust, **props)


def inline(name: str, role_name: Any, *statements: Mapping[str, Any], **extra: Any) -> Resource:
    """A role's inline policy (aws:iam/rolePolicy)."""
    return res(ROLE_POLICY, name, role=role_name, policy=policy(*statements), **extra)


def managed(name: str, *statements: Mapping[str, Any]) -> Resource:
    """A customer-managed policy with its ARN in this account."""
    return res(POLICY, name, **{"name": name, "arn": f"arn:aws:iam::{ACCOUNT}:policy/{name}",
                                "policy": policy(*statements)})


def attach(name: str, role_name: str, policy_name: str) -> Resource:
    """A role policy attachment of a managed policy of this account, by ARN."""
    return res(ROLE_ATTACHMENT, name, role=role_name, policyArn=f"arn:aws:iam::{ACCOUNT}:policy/{policy_name}")
