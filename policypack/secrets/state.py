"""Which outputs a stack export stores encrypted, for `state-secret-outputs-encrypted`.

Rules see decoded values, where a secret is indistinguishable from plaintext. An
export reader calls this on a resource's raw `outputs` and `additionalSecretOutputs`
so that an output already encrypted in the state counts as listed.
"""
from __future__ import annotations

from collections.abc import Mapping  # typing.Mapping answers isinstance through two more Python calls
from typing import Any, Iterable, Tuple

from ..model import SECRET_SIG, SIG_KEY


# Values that cannot be a secret object, told apart by type alone: the ABC's isinstance check
# costs a Python-level call per output.
_PLAIN = frozenset({str, int, float, bool, list, type(None)})


def _encrypted(value: Any) -> bool:
    if type(value) is dict:
        return bool(value.get(SIG_KEY) == SECRET_SIG)
    return type(value) not in _PLAIN and isinstance(value, Mapping) and value.get(SIG_KEY) == SECRET_SIG


def listed_secret_outputs(raw_outputs: Mapping[str, Any], declared: Iterable[str] = ()) -> Tuple[str, ...]:
    encrypted = {k for k, v in (raw_outputs or {}).items() if _encrypted(v)}
    return tuple(sorted(set(declared or ()) | encrypted))
