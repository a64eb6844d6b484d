"""`json.dumps(value, indent=N)`, byte for byte, at a fraction of its cost on large reports.

With an indent, the standard library falls back from its C encoder to a pure Python
generator that yields (and then joins) one small string per token: on a
100,000-resource scan that is most of the time spent rendering, and the list of
pieces is larger than the report. This writer emits the same text, with the C
string encoder for every string, and joins each element of a top-level list as it
goes. Anything it does not know (a non-dict mapping, a custom object) is left to
`json.dumps`, so the output never differs.
"""
from __future__ import annotations

import json
from json.encoder import encode_basestring_ascii as _quote  # the C implementation when available
from typing import Any, Callable, List

_INF = float("inf")


class _Unsupported(Exception):
    pass


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INF:
        return "Infinity"
    if value == -_INF:
        return "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    if isinstance(key, str):
        return _quote(key)
    if key is True:
        return '"true"'
    if key is False:
        return '"false"'
    if key is None:
        return '"null"'
    if isinstance(key, int):
        return _quote(int.__repr__(key))
    if isinstance(key, float):
        return _quote(_float(key))
    raise _Unsupported


def _writer(step: str) -> Callable[[Any, str, List[str]], None]:
    def write(value: Any, indent: str, out: List[str]) -> None:
        if isinstance(value, str):
            out.append(_quote(value))
        elif value is None:
            out.append("null")
        elif value is True:
            out.append("true")
        elif value is False:
            out.append("false")
        elif isinstance(value, int):
            out.append(int.__repr__(value))
        elif isinstance(value, float):
            out.append(_float(value))
        elif type(value) is dict:
            if not value:
                out.append("{}")
                return
            inner = indent + step
            sep = "{\n" + inner
            for k, v in value.items():
                out.append(sep)
                out.append(_key(k))
                out.append(": ")
                write(v, inner, out)
                sep = ",\n" + inner
            out.append("\n" + indent + "}")
        elif type(value) in (list, tuple):
            if not value:
                out.append("[]")
                return
            inner = indent + step
            sep = "[\n" + inner
            for v in value:
                # Each element is joined on its own, so the pieces never pile up.
                piece: List[str] = [sep]
                write(v, inner, piece)
                out.append("".join(piece))
                sep = ",\n" + inner
            out.append("\n" + indent + "]")
        else:
            raise _Unsupported
    return write


def dumps_indented(value: Any, indent: int = 2) -> str:
    """What `json.dumps(value, indent=indent)` returns."""
    write = _writer(" " * indent)
    try:
        out: List[str] = []
        write(value, "", out)
        return "".join(out)
    except (_Unsupported, RecursionError):
        return json.dumps(value, indent=indent)
