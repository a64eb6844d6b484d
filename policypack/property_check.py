"""The declarative form of a one-property check: which property, in each provider's spelling,
must hold what.

Many rules judge one property of one kind of resource ("purge protection is on", "local
auth is off", "a rotation period is set"), and the same resource often comes from two
providers that spell the property differently (azure-native's `properties.enableRbacAuthorization`,
the classic provider's `enableRbacAuthorization`). Such a rule declares a `PropertyCheck`
instead of writing the loop again: the check reads the property at the resource's path,
says "unknown" when preview does not know it, applies the rule's judgement to a known
value, and names the resource and path in its message, never the value.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, FrozenSet, Iterable, Mapping, Optional, Tuple, Union

from .model import UNKNOWN, Outcome, Resource, contains_unknown, failed, get_path, not_applicable, passed, unknown

# What a rule's judgement of a known value says: True (it holds), False (it does not,
# with the check's `problem`), or a string (it does not, for the reason the string gives).
Verdict = Union[bool, str]
Judge = Callable[[Any, Mapping[str, Any]], Verdict]

# What an absent property means: the provider's default holds, fails, or the check does not apply.
ABSENT = ("pass", "fail", "not_applicable")


@dataclass(frozen=True)
class PropertyCheck:
    """A rule's `check` that judges one property per resource type.

    `paths` maps each type token the rule routes to onto the property path in that
    provider's spelling (`a.b[0].c`), or onto a tuple of paths when a provider spells the
    property twice (a deprecated name beside its replacement): the first one set is judged,
    and one still unknown before it makes the outcome unknown. `judge(value, config)` sees only known values
    (an unknown anywhere inside the value makes the outcome unknown). `absent` says
    what an unset property means, with `absent_problem` as the failure's reason.
    `applies(resource)`, when given, returns a reason the check does not apply
    (e.g. an asymmetric key has no rotation), or None; or UNKNOWN when what decides
    it (the key's purpose) is not known during preview, which makes the outcome unknown.
    """

    paths: Mapping[str, Union[str, Tuple[str, ...]]]
    judge: Judge
    problem: str
    absent: str = "fail"
    absent_problem: str = ""
    applies: Optional[Callable[[Resource], Any]] = None

    def __post_init__(self) -> None:
        if self.absent not in ABSENT:
            raise ValueError(f"PropertyCheck: absent must be one of {ABSENT}, not {self.absent!r}")
        if not self.paths:
            raise ValueError("PropertyCheck: name at least one type token and its path")

    @property
    def resource_types(self) -> FrozenSet[str]:
        return frozenset(self.paths)

    def __call__(self, res: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
        spelt = self.paths.get(res.type)
        if spelt is None:
            return
        spellings = (spelt,) if isinstance(spelt, str) else spelt
        if self.applies is not None:
            reason = self.applies(res)
            if reason is UNKNOWN:
                yield unknown(f"{res.name}: whether {spellings[0]} is required is not known during preview",
                              path=spellings[0])
                return
            if reason:
                yield not_applicable(reason)
                return
        path, value = _first_set(res.props, spellings)
        if value is UNKNOWN or contains_unknown(value):
            yield unknown(f"{res.name}: {path} is not known during preview", path=path)
        elif value is None:
            if self.absent == "pass":
                yield passed(path=path)
            elif self.absent == "not_applicable":
                yield not_applicable(f"{res.name}: {path} is not set")
            else:
                yield failed(f"{res.name}: {path} is not set: {self.absent_problem or self.problem}", path=path)
        else:
            verdict = self.judge(value, config)
            if verdict is True:
                yield passed(path=path)
            else:
                reason = verdict if isinstance(verdict, str) and verdict else self.problem
                yield failed(f"{res.name}: {path} {reason}", path=path)


class AllOf:
    """Several PropertyChecks as one rule's check: each judges the resources it names, so one
    resource type may carry two checks (purge protection and soft delete), and two providers
    that ask opposite questions (disableLocalAuth, localAuthEnabled) each get their own judge."""

    def __init__(self, *checks: PropertyCheck) -> None:
        if not checks:
            raise ValueError("AllOf: give at least one PropertyCheck")
        self.checks = checks

    @property
    def resource_types(self) -> FrozenSet[str]:
        return frozenset().union(*(c.resource_types for c in self.checks))

    def __call__(self, res: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
        for check in self.checks:
            yield from check(res, config)


def _first_set(props: Mapping[str, Any], paths: Tuple[str, ...]) -> Tuple[str, Any]:
    """The first of `paths` that holds a value (or an unknown), else the first path and None."""
    for path in paths:
        value = get_path(props, path)
        if value is not None:
            return path, value
    return paths[0], None


def equals(expected: Any) -> Judge:
    """A judgement that holds when the value is `expected` (booleans compared as booleans,
    strings without regard to case, as the clouds' APIs compare enum values)."""
    def judge(value: Any, _config: Mapping[str, Any]) -> Verdict:
        if isinstance(expected, str) and isinstance(value, str):
            return value.lower() == expected.lower()
        if isinstance(expected, bool):
            return value is expected
        return bool(value == expected)
    return judge
