"""Policy-pack configuration, read the way `--policy-pack-config` is.

The file maps a policy name (or "all") to either an enforcement level or an
object holding `enforcementLevel` and the policy's own properties. The scanner
uses this module; inside the engine the CLI has already validated the file
against each policy's schema and hands the pack the result.

"all" sets only the enforcement level: the Pulumi engine takes nothing else
from it, so properties written under "all" are ignored here too, and a scan
agrees with `pulumi up`. Every policy also accepts a `waivers` property
(see waivers.py), added here and in the CrossGuard adapter rather than to each
rule's own schema.

"Today" reaches rules as config: a rule whose schema has `asOf` (the day IAM time
conditions are judged on) gets the day the pack or scan runs when the user left it
empty, filled in here, so rules stay pure functions of resources and config and a
test or a reproducible scan pins the day by setting `asOf`.
"""
from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Tuple

from . import clock
from . import waivers as _waivers
from .levels import LEVELS
from .rules.base import Rule

WAIVERS_PROP = "waivers"
AS_OF_PROP = "asOf"


def _fill_today(rule: Rule, cfg: Dict[str, Any]) -> Dict[str, Any]:
    if AS_OF_PROP in rule.config_schema and not cfg.get(AS_OF_PROP):
        cfg[AS_OF_PROP] = clock.today().isoformat()
    return cfg

_JSON_TYPES = {
    "integer": (int,),
    "number": (int, float),
    "string": (str,),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


class ConfigError(ValueError):
    """A configuration that cannot be used; the message is one line for the user."""


@dataclass(frozen=True)
class PolicySettings:
    """One policy's resolved settings: its enforcement level, its properties and its waivers."""
    enforcement: str
    config: Mapping[str, Any]
    waivers: Tuple["_waivers.Waiver", ...] = ()


def schema_for(rule: Rule) -> Dict[str, Dict[str, Any]]:
    """The config schema a policy publishes: the rule's own properties plus `waivers`."""
    schema = {k: dict(v) for k, v in rule.config_schema.items()}
    schema[WAIVERS_PROP] = dict(_waivers.CONFIG_SCHEMA)
    return schema


def config_waivers(rule: Rule, config: Optional[Mapping[str, Any]]) -> List[_waivers.Waiver]:
    """The waivers in one policy's config entry, validated (raises ConfigError)."""
    try:
        return _waivers.parse_list((config or {}).get(WAIVERS_PROP), f"config for {rule.name}: waivers",
                                   policy=rule.name)
    except _waivers.WaiverError as e:
        raise ConfigError(str(e)) from None


def _check_type(policy: str, prop: str, value: Any, schema: Mapping[str, Any]) -> None:
    expected: Any = schema.get("type")
    types = _JSON_TYPES.get(expected)
    if types is None:
        return
    ok = isinstance(value, types) and not (expected in ("integer", "number") and isinstance(value, bool))
    if not ok:
        raise ConfigError(f"config for {policy}: {prop} must be of type {expected}")
    if "enum" in schema and value not in schema["enum"]:
        raise ConfigError(f"config for {policy}: {prop} must be one of {', '.join(map(str, schema['enum']))}")
    if prop == AS_OF_PROP and value:
        try:
            _dt.date.fromisoformat(value)
        except ValueError:
            raise ConfigError(f"config for {policy}: {prop} must be a date (YYYY-MM-DD)") from None
    if expected == "string" and "pattern" in schema and not re.search(schema["pattern"], value):
        raise ConfigError(f"config for {policy}: {prop} does not match {schema['pattern']}")
    if expected == "object":
        # Allow-list entries must say why (e.g. {"action", "reason"}): a bare exception is refused.
        missing = [k for k in schema.get("required", ()) if not isinstance(value.get(k), str) or not value[k].strip()]
        if missing:
            raise ConfigError(f"config for {policy}: {prop} needs {', '.join(missing)}")
    if expected == "object" and isinstance(schema.get("additionalProperties"), Mapping):
        for k, v in value.items():
            _check_type(policy, f"{prop}.{k}", v, schema["additionalProperties"])
    if expected == "array" and "items" in schema:
        for i, item in enumerate(value):
            _check_type(policy, f"{prop}[{i}]", item, schema["items"])
    if expected in ("integer", "number"):
        if "minimum" in schema and value < schema["minimum"]:
            raise ConfigError(f"config for {policy}: {prop} must be at least {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            raise ConfigError(f"config for {policy}: {prop} must be at most {schema['maximum']}")


def _split_entry(policy: str, entry: Any) -> tuple[Optional[str], Dict[str, Any]]:
    if isinstance(entry, str):
        level, props = entry, {}
    elif isinstance(entry, dict):
        props = dict(entry)
        level = props.pop("enforcementLevel", None)
    else:
        raise ConfigError(f"config for {policy} must be an enforcement level or an object")
    if level is not None and level not in LEVELS:
        raise ConfigError(f"config for {policy}: enforcementLevel must be one of {', '.join(LEVELS)}")
    return level, props


def resolve(rules: list[Rule], raw: Optional[Mapping[str, Any]] = None) -> Dict[str, PolicySettings]:
    """Each rule's effective level and config: its defaults, then its own entry.

    "all" contributes only its enforcement level, as in the engine."""
    if raw is not None and not isinstance(raw, Mapping):
        raise ConfigError("policy pack config must be a JSON object")
    raw = dict(raw or {})
    names = {r.name for r in rules}
    stray = sorted(k for k in raw if k != "all" and k not in names)
    if stray:
        raise ConfigError(f"policy pack config names unknown policies: {', '.join(stray)}")
    all_level, _ignored = _split_entry("all", raw["all"]) if "all" in raw else (None, {})
    out: Dict[str, PolicySettings] = {}
    for rule in rules:
        level, props = _split_entry(rule.name, raw[rule.name]) if rule.name in raw else (None, {})
        cfg = rule.defaults()
        for k, v in props.items():
            if k == WAIVERS_PROP:
                continue
            if k not in rule.config_schema:
                raise ConfigError(f"config for {rule.name}: unknown property {k}")
            _check_type(rule.name, k, v, rule.config_schema[k])
            cfg[k] = v
        out[rule.name] = PolicySettings(level or all_level or rule.enforcement, _fill_today(rule, cfg),
                                        tuple(config_waivers(rule, props)))
    return out


def with_defaults(rule: Rule, config: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    """A rule's config as the engine hands it over (possibly partial) filled with defaults."""
    merged = rule.defaults()
    if config:
        merged.update({k: v for k, v in config.items() if k in rule.config_schema})
    return _fill_today(rule, merged)


def load_file(path: str) -> Dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except json.JSONDecodeError as e:
        raise ConfigError(f"config file {path} is not valid JSON: {e.msg} at line {e.lineno}") from None
    except OSError as e:
        raise ConfigError(f"cannot read config file {path}: {e.strerror}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"config file {path} must hold a JSON object")
    return data
