"""Every rule keyguard ships, found from the layout: one file per policy.

Each module `policypack/rules/<policy_name>.py` (the policy name with `-` spelt `_`)
defines one `Rule` named `RULE`; adding that file is what registers a policy.
Reports, the README table and GetAnalyzerInfo list the rules by name.
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import Dict, List

from . import rules as _rules_pkg
from .rules.base import Rule

PACK_NAME = "keyguard"
# Modules of policypack/rules that hold no policy.
NOT_RULES = frozenset({"base"})


def module_for(policy_name: str) -> str:
    """The module a policy lives in, from its name alone."""
    return f"{_rules_pkg.__name__}.{policy_name.replace('-', '_')}"


def discover() -> List[Rule]:
    found = []
    for info in pkgutil.iter_modules(_rules_pkg.__path__):
        if info.name in NOT_RULES or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{_rules_pkg.__name__}.{info.name}")
        rule = getattr(module, "RULE", None)
        if not isinstance(rule, Rule):
            raise ImportError(f"{module.__name__} defines no RULE: every module in policypack/rules holds one policy")
        if module_for(rule.name) != module.__name__:
            raise ImportError(f"{module.__name__} holds policy {rule.name!r}, which belongs in {module_for(rule.name)}")
        found.append(rule)
    return sorted(found, key=lambda r: r.name)


RULES: List[Rule] = discover()
BY_NAME: Dict[str, Rule] = {r.name: r for r in RULES}
