"""Turning a rule's outcomes into what the Pulumi engine is told: violations, "can't run
during preview" diagnostics, and not-applicable answers.

The servicer (routing.py) calls `deliver` for every policy it runs, so waivers, preview
unknowns and not-applicable are decided once, here.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, List, Mapping, Optional

from pulumi_policy.proxy import UnknownValueError

from . import waivers as _waivers
from .config import ConfigError, config_waivers
from .model import UNKNOWN_STRING_SENTINEL, Outcome, Status
from .rules.base import Rule


def waivers_of(rule: Rule, config: Optional[Mapping[str, Any]]) -> List["_waivers.Waiver"]:
    """The policy's `waivers` config. The engine validated only its shape (an array);
    an entry we cannot use waives nothing rather than stopping the whole pack."""
    try:
        return config_waivers(rule, config)
    except ConfigError:
        return []


def preview_message(policy: str, pack: str, version: str, path: str) -> str:
    """The engine's notice for a policy that could not decide during preview, worded as
    pulumi-policy's own servicer words it (its UnknownValueError says which value), so the
    engine and users' tooling see the notice they know."""
    unknown = UnknownValueError(UNKNOWN_STRING_SENTINEL, path.split("."))
    return f"can't run policy '{policy}' from policy pack '{pack}@v{version}' during preview: {unknown.message}"


def deliver(rule: Rule, outcomes: Iterable[Outcome], report: Callable[..., None],
            on_unknown: Callable[[str], None], on_not_applicable: Callable[[str], None],
            subject_urn: str = "", waivers: Iterable["_waivers.Waiver"] = (), by_urn: bool = False) -> None:
    """Hand a rule's outcomes to the engine: failures as violations at the policy's level
    (unless a live waiver covers them; an expired one is named in the message), on the
    outcome's URN when judging the whole stack (`by_urn`); undecidable values as the SDK's
    advisory "can't run during preview"; and not-applicable only when nothing else was said.
    A pass says nothing: the engine cannot withdraw a violation an earlier Analyze reported."""
    unknown_paths: List[str] = []
    na: List[str] = []
    decided = False
    waivers = list(waivers)
    for o in outcomes:
        if o.status is Status.FAIL:
            decided = True
            message = o.message
            if waivers:
                state, w = _waivers.verdict(waivers, rule.name, o.urn or subject_urn)
                if state == "waived":
                    continue
                if state == "expired":
                    assert w is not None  # verdict names the waiver that expired
                    message = f"{message} [waiver expired on {w.expires.isoformat()}, approved by {w.approver}]"
            if by_urn:
                report(message, o.urn)
            else:
                report(message)
        elif o.status is Status.UNKNOWN:
            unknown_paths.append(o.path or "(value)")
        elif o.status is Status.PASS:
            decided = True
        elif o.status is Status.NOT_APPLICABLE:
            na.append(o.message)
    if unknown_paths:
        on_unknown(unknown_paths[0])
    elif na and not decided:
        on_not_applicable(na[0])
