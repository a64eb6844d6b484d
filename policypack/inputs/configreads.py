"""The program-side advisory of stack-config-no-plaintext-secrets: a config key
named like a credential, read with `Config.get`/`require` (plain) instead of
`get_secret`/`require_secret`, whose value then flows into a resource input.

A plainly read value is not marked secret, so whatever it flows into is stored in the state
in plaintext even when the key was set with `--secret`, unless the provider SDK marks that
input secret itself (ssm.Parameter.value), which is then no finding. Only a program run
shows the read, so this is a note of `keyguard scan DIR`, not a policy: the engine and stack
exports cannot tell how a value was read. A value is traced by equality or embedding (8
characters or more) in the recorded inputs; a secure value, unknown to keyguard, cannot be.
"""
from __future__ import annotations

from typing import Any, Dict, Iterator, List, Mapping, Sequence

from ..model import SECRET_SIG, SIG_KEY

MIN_TRACED = 8


def _plain_strings(value: Any) -> Iterator[str]:
    """The strings of recorded inputs outside secret wrappers."""
    todo = [value]
    while todo:
        v = todo.pop()
        if isinstance(v, Mapping):
            if v.get(SIG_KEY) != SECRET_SIG:
                todo.extend(v.values())
        elif isinstance(v, list):
            todo.extend(v)
        elif isinstance(v, str):
            yield v


def plain_read_notes(project_dir: str, project: str, reads: Sequence[Mapping[str, Any]],
                     records: Sequence[Mapping[str, Any]], unknown: str) -> List[Dict[str, str]]:
    notes: List[Dict[str, str]] = []
    seen = set()
    for read in reads:
        key, value = read.get("key"), read.get("value")
        if not isinstance(key, str) or not isinstance(value, str) or len(value) < MIN_TRACED or value == unknown \
                or key in seen:
            continue
        seen.add(key)
        into = [f"{rec.get('type')} {str(rec.get('urn', '')).rsplit('::', 1)[-1]}" for rec in records
                if rec.get("type") != "pulumi:pulumi:Stack"
                and any(value in text for text in _plain_strings(rec.get("inputs")))]
        if not into:
            continue
        short = key.split(":", 1)[1] if key.startswith(project + ":") else key
        more = f" (and {len(into) - 1} more)" if len(into) > 1 else ""
        notes.append({"kind": "config-read-plain", "message": (
            f"{project_dir}: config '{key}' is named like a credential but read with Config.get/require, not "
            f"get_secret/require_secret, and flows into {into[0]}{more}: it is stored there in plaintext, in "
            f"the state too; read it with config.require_secret('{short}')")})
    return notes
