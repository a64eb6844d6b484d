"""secretsmanager-rotation-lambda-invocable: secrets Manager may invoke the rotation function."""
from __future__ import annotations

import fnmatch
from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Optional, Set

from ..examples import ACCOUNT, FN_ARN, OTHER_SECRET_ARN, SECRET_ARN, SM_PRINCIPAL, Example, R
from ..links import identifiers, secret_ids
from ..model import UNKNOWN, Outcome, Resource, Stack, StackIndex, failed, not_applicable, passed, unknown
from ..tokens.aws import FUNCTION, PERMISSION, ROTATION, SECRET
from .base import Rule


def _function_ids(fn: Resource) -> Set[str]:
    ids = identifiers(fn, "arn", "qualifiedArn", "name")
    return ids | {f"{a}:$LATEST" for a in list(ids) if a.startswith("arn:")}


def _partial_arn_names(perm: Resource) -> Set[str]:
    """The function names a Permission's `function` ends with after a ":function:" (Lambda
    accepts a partial ARN, account:function:name)."""
    target = perm.props.get("function")
    if not isinstance(target, str):
        return set()
    marker = ":function:"
    names, at = set(), target.find(marker)
    while at >= 0:
        names.add(target[at + len(marker):])
        at = target.find(marker, at + 1)
    return names


def _names(fn: Resource) -> Set[str]:
    """The function's name: its `name`, or else the name its ARNs end with (a partial ARN is
    the tail of the full one, so it is decided by the ARN when the name is not known)."""
    name = fn.props.get("name")
    if isinstance(name, str):
        return {name}
    marker = ":function:"
    return {a.split(marker, 1)[1].split(":", 1)[0] for a in identifiers(fn, "arn") if marker in a}


def _aiming(index: StackIndex, fn: Resource) -> List[Resource]:
    """The Permissions whose `function` names this function: by property dependency, by a
    name or ARN among its identifiers, or by a partial ARN ending in its name."""
    perms = index.referrers(fn, "function", PERMISSION, _function_ids(fn))
    for name in sorted(_names(fn)):
        perms = perms + index.by_identifier(PERMISSION, _partial_arn_names, name)
    return list({id(p): p for p in perms}.values())


def _unnamed(fn: Resource) -> bool:
    """Neither the function's name nor any ARN of it is known: a Permission naming some
    function by a literal might name this one."""
    return fn.props.get("name") is UNKNOWN and not _names(fn)


def _arn_like(pattern: str, arn: str) -> bool:
    # Lambda applies SourceArn with ArnLike: * and ? wildcards.
    return fnmatch.fnmatchcase(arn, pattern)


def _grants(perm: Resource, secrets: List[Resource], secret_arns: List[str], all_secrets: FrozenSet[str]) -> Any:
    """Whether this Permission lets Secrets Manager invoke the function for these secrets."""
    principal = perm.props.get("principal")
    action = perm.props.get("action")
    if principal is UNKNOWN or action is UNKNOWN:
        return UNKNOWN
    if not isinstance(principal, str) or principal.lower() != SM_PRINCIPAL:
        return False
    if action not in ("lambda:InvokeFunction", "lambda:*", "*"):
        return False
    source_arn = perm.props.get("sourceArn")
    if source_arn is not None:
        deps = set(perm.depends_on("sourceArn"))
        if any(s.urn in deps for s in secrets):
            pass
        elif source_arn is UNKNOWN and deps & all_secrets:
            # Computed from another secret of the stack, not from the rotated one.
            return False
        elif source_arn is UNKNOWN or not secret_arns:
            return UNKNOWN
        elif not any(_arn_like(source_arn, a) for a in secret_arns):
            return False
    account = perm.props.get("sourceAccount")
    if account is not None:
        if account is UNKNOWN or not secret_arns:
            return UNKNOWN
        if not any(a.split(":")[4:5] == [account] for a in secret_arns):
            return False
    return True


def check_rotation_invocable(stack: Stack, config: Mapping[str, Any]) -> Iterable[Outcome]:
    index = stack.index
    all_secrets = frozenset(s.urn for s in index.of_type(SECRET))
    # A Permission whose function is unknown and computed from nothing might name any function.
    blind = [p for p in index.of_type(PERMISSION)
             if p.props.get("function") is UNKNOWN and not p.depends_on("function")]
    # Permissions naming a function by a literal: they might name a function whose name and ARN are unknown.
    literal = [p for p in index.of_type(PERMISSION)
               if isinstance(p.props.get("function"), str) and not p.depends_on("function")]
    for rot in stack.of_type(ROTATION):
        fns, undecided = index.linked(rot, "rotationLambdaArn", FUNCTION, _function_ids)
        if undecided:
            yield unknown(f"rotation {rot.name}: rotationLambdaArn is not known during preview and has no "
                          "property dependency on a function", urn=rot.urn, path="rotationLambdaArn")
            continue
        if not fns:
            yield not_applicable(f"rotation {rot.name}: the rotation function is not in this stack", urn=rot.urn)
            continue
        targets, _ = index.linked(rot, "secretId", SECRET, secret_ids)
        arns = [a for s in targets for a in identifiers(s, "arn") if a.startswith("arn:")]
        secret_id = rot.props.get("secretId")
        if isinstance(secret_id, str) and secret_id.startswith("arn:"):
            arns.append(secret_id)
        for fn in fns:
            aimed = _aiming(index, fn)
            verdicts = [_grants(perm, targets, arns, all_secrets) for perm in aimed]
            aiming = set(map(id, aimed))
            maybe = blind + ([p for p in literal if id(p) not in aiming] if _unnamed(fn) else [])
            for perm in maybe:
                verdicts.append(UNKNOWN if _grants(perm, targets, arns, all_secrets) is not False else False)
            if True in verdicts:
                yield passed(urn=fn.urn)
            elif UNKNOWN in verdicts:
                yield unknown(f"function {fn.name}: a lambda Permission's principal, sourceArn or sourceAccount "
                              "is not known during preview", urn=fn.urn, path="function")
            elif verdicts:
                yield failed(f"function {fn.name} rotates secrets for rotation {rot.name}, but no "
                             f"aws.lambda.Permission lets {SM_PRINCIPAL} invoke it with a matching "
                             "sourceArn/sourceAccount", urn=fn.urn)
            else:
                yield failed(f"function {fn.name} rotates secrets for rotation {rot.name}, but no "
                             f"aws.lambda.Permission lets {SM_PRINCIPAL} invoke it", urn=fn.urn)


def _rotation_stack(*perms: R, fn_props: Optional[Dict[str, Any]] = None, rot: Optional[R] = None) -> List[R]:
    return [
        R(SECRET, "s", {"arn": SECRET_ARN}, id=SECRET_ARN),
        R(FUNCTION, "rotator", fn_props or {"arn": FN_ARN, "name": "rotate-api-key"}, id="rotate-api-key"),
        rot or R(ROTATION, "rot", {"secretId": SECRET_ARN, "rotationLambdaArn": FN_ARN}),
        *perms,
    ]


def _perm(name: str = "allow-sm", **props: Any) -> R:
    base = {"action": "lambda:InvokeFunction", "function": "rotate-api-key", "principal": SM_PRINCIPAL}
    base.update(props)
    return R(PERMISSION, name, {k: v for k, v in base.items() if v is not None})


_PREVIEW = dict(secretId=UNKNOWN, rotationLambdaArn=UNKNOWN)


def _preview_stack(*extra: R) -> List[R]:
    """A rotation at preview with every identifier unknown: only property dependencies link it."""
    return [
        R(SECRET, "s", {"arn": UNKNOWN}),
        R(FUNCTION, "rotator", {"arn": UNKNOWN, "name": UNKNOWN}),
        R(ROTATION, "rot", dict(_PREVIEW), property_dependencies={"secretId": [f"{SECRET}::s"],
                                                                  "rotationLambdaArn": [f"{FUNCTION}::rotator"]}),
        *extra,
    ]


def _preview_perm(function: str, source_secret: Optional[str] = None) -> R:
    """A permission at preview whose function (and sourceArn) come from other resources."""
    props = {"action": "lambda:InvokeFunction", "function": UNKNOWN, "principal": SM_PRINCIPAL}
    deps = {"function": [f"{FUNCTION}::{function}"]}
    if source_secret:
        props["sourceArn"] = UNKNOWN
        deps["sourceArn"] = [f"{SECRET}::{source_secret}"]
    return R(PERMISSION, "allow", props, property_dependencies=deps)


RULE = Rule(
    name="secretsmanager-rotation-lambda-invocable",
    title="Secrets Manager may invoke the rotation function",
    description="A rotation function defined in the stack needs an aws.lambda.Permission for principal "
                "secretsmanager.amazonaws.com; when the Permission sets sourceArn or sourceAccount, they must "
                "match the rotated secret. Without it every scheduled rotation fails. A function outside the "
                "stack is not applicable.",
    severity="high",
    enforcement="mandatory",
    kind="stack",
    check=check_rotation_invocable,
    resource_types=frozenset({ROTATION, FUNCTION, PERMISSION, SECRET}),
    remediation="Add aws.lambda.Permission(function=<rotation function>.name, action=\"lambda:InvokeFunction\", "
                "principal=\"secretsmanager.amazonaws.com\", source_arn=<secret>.arn).",
    url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/troubleshoot_rotation.html",
    controls={"aws-fsbp": ["SecretsManager.2"],
              "nist-800-53-r5": ["AC-2(1)", "AC-3(15)"],
              "pci-dss-v4.0.1": ["8.6.3"],
              "pci-dss-v4.0": ["8.6.3"]},
    examples=(
        Example("permission by function name (export)", _rotation_stack(_perm()), {"rotator": "pass"}),
        Example("permission scoped to the secret", _rotation_stack(_perm(sourceArn=SECRET_ARN)), {"rotator": "pass"}),
        Example("permission scoped to the account", _rotation_stack(_perm(sourceAccount=ACCOUNT)),
                {"rotator": "pass"}),
        Example("no permission", _rotation_stack(), {"rotator": "fail"},
            controls=("aws-fsbp:SecretsManager.2", "nist-800-53-r5:AC-2(1)", "nist-800-53-r5:AC-3(15)",
                      "pci-dss-v4.0.1:8.6.3", "pci-dss-v4.0:8.6.3")),
        Example("permission for another principal", _rotation_stack(_perm(principal="events.amazonaws.com")),
                {"rotator": "fail"}),
        Example("permission scoped to another secret", _rotation_stack(_perm(sourceArn=OTHER_SECRET_ARN)),
                {"rotator": "fail"}),
        Example("permission scoped to another account", _rotation_stack(_perm(sourceAccount="444455556666")),
                {"rotator": "fail"}),
        Example("linked by property dependencies (preview)",
                _rotation_stack(
                    R(PERMISSION, "allow-sm", {"action": "lambda:InvokeFunction", "function": UNKNOWN,
                                               "principal": SM_PRINCIPAL, "sourceArn": UNKNOWN},
                      property_dependencies={"function": [f"{FUNCTION}::rotator"], "sourceArn": [f"{SECRET}::s"]}),
                    fn_props={"arn": UNKNOWN, "name": UNKNOWN},
                    rot=R(ROTATION, "rot", dict(_PREVIEW),
                          property_dependencies={"secretId": [f"{SECRET}::s"],
                                                 "rotationLambdaArn": [f"{FUNCTION}::rotator"]})),
                {"rotator": "pass"}),
        Example("missing permission found through property dependencies (preview)",
                _rotation_stack(
                    fn_props={"arn": UNKNOWN, "name": UNKNOWN},
                    rot=R(ROTATION, "rot", dict(_PREVIEW),
                          property_dependencies={"secretId": [f"{SECRET}::s"],
                                                 "rotationLambdaArn": [f"{FUNCTION}::rotator"]})),
                {"rotator": "fail"}),
        Example("function outside the stack",
                [R(SECRET, "s", {"arn": SECRET_ARN}),
                 R(ROTATION, "rot", {"secretId": SECRET_ARN,
                                     "rotationLambdaArn": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:shared"})],
                {"rot": "not_applicable"}),
        Example("rotation function unknown without dependency",
                [R(SECRET, "s", {"arn": SECRET_ARN}), R(FUNCTION, "rotator", {"arn": UNKNOWN}),
                 R(ROTATION, "rot", dict(_PREVIEW))],
                {"rot": "unknown"}),
        Example("sourceArn unknown without dependency",
                _rotation_stack(_perm(sourceArn=UNKNOWN)), {"rotator": "unknown"}),
        Example("permission by full ARN (export)", _rotation_stack(_perm(function=FN_ARN)), {"rotator": "pass"}),
        Example("permission by partial ARN (export)",
                _rotation_stack(_perm(function=f"{ACCOUNT}:function:rotate-api-key")), {"rotator": "pass"}),
        Example("a sourceArn wildcard that matches the secret",
                _rotation_stack(_perm(sourceArn=f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:api-key-*")),
                {"rotator": "pass"}),
        Example("permission for another function (export)", _rotation_stack(_perm(function="other")),
                {"rotator": "fail"}),
        Example("permission for another action", _rotation_stack(_perm(action="lambda:GetFunction")),
                {"rotator": "fail"}),
        Example("preview: permission linked by dependency", _preview_stack(_preview_perm("rotator")),
                {"rotator": "pass"}),
        Example("preview: permission for another function",
                _preview_stack(R(FUNCTION, "other", {"arn": UNKNOWN}), _preview_perm("other")), {"rotator": "fail"}),
        Example("preview: sourceArn depends on the rotated secret", _preview_stack(_preview_perm("rotator", "s")),
                {"rotator": "pass"}),
        Example("preview: sourceArn depends on another secret",
                _preview_stack(R(SECRET, "other", {"arn": UNKNOWN}), _preview_perm("rotator", "other")),
                {"rotator": "fail"}),
        Example("no rotation, nothing to say", [R(FUNCTION, "fn", {"arn": FN_ARN})], {}),
        Example("permission by partial ARN while the function's name and ARN are unknown",
                _rotation_stack(_perm(function=f"{ACCOUNT}:function:rotate-api-key"),
                                fn_props={"arn": UNKNOWN, "name": UNKNOWN},
                                rot=R(ROTATION, "rot", dict(_PREVIEW),
                                      property_dependencies={"secretId": [f"{SECRET}::s"],
                                                             "rotationLambdaArn": [f"{FUNCTION}::rotator"]})),
                {"rotator": "unknown"}),
    ),
)
