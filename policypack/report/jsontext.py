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
import re
from json.encoder import encode_basestring_ascii as _quote  # the C implementation when available
from typing import Any, Callable, List, Optional

try:  # a declared dependency; the writer above stays the reference and the fallback
    import orjson as _orjson
except ImportError:  # pragma: no cover
    _orjson = None  # type: ignore[assignment]

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


_LIMIT = 2 ** 63
_STR = frozenset({str})
_LEAVES = frozenset({str, bool, type(None)})


def _orjson_exact(value: Any) -> bool:
    """Whether orjson writes `value` as json.dumps does, apart from non-ASCII characters
    and DEL (escaped afterwards): strings, 64-bit integers, booleans, None, and lists and dicts of
    them with string keys. Floats are not: orjson spells exponents and non-finite numbers
    its own way. Subclasses are left to the writer above."""
    t = type(value)
    if t in _LEAVES:
        return True
    if t is int:
        return bool(-_LIMIT <= value < _LIMIT)
    if t is dict:
        # A report's elements are mostly flat dicts of strings: their types are checked in C.
        if not set(map(type, value)) <= _STR:
            return False
        return set(map(type, value.values())) <= _LEAVES or all(map(_orjson_exact, value.values()))
    if t is list:
        return set(map(type, value)) <= _LEAVES or all(map(_orjson_exact, value))
    return False


# What json.dumps's ensure_ascii escapes and orjson writes as it is: DEL and everything past ASCII.
_NON_ASCII = re.compile(r"[^\x00-\x7e]")


def _escape(m: "re.Match[str]") -> str:
    c = ord(m.group())
    if c < 0x10000:
        return f"\\u{c:04x}"
    c -= 0x10000
    return f"\\u{0xD800 | (c >> 10):04x}\\u{0xDC00 | (c & 0x3FF):04x}"


def _orjson_text(value: Any) -> Optional[str]:
    """orjson's indented text for `value` where it equals json.dumps's (see `_orjson_exact`),
    non-ASCII characters escaped as json.dumps escapes them; None where it would not."""
    if _orjson is None:
        return None
    try:
        if not _orjson_exact(value):
            return None
        raw = _orjson.dumps(value, option=_orjson.OPT_INDENT_2)
    except RecursionError:  # nested deeper than the check's stack; orjson stops at 255 levels anyway
        return None
    except _orjson.JSONEncodeError:  # a lone surrogate, which json.dumps escapes; or past 255 levels
        return None
    text = raw.decode("utf-8")
    if not raw.isascii() or b"\x7f" in raw:
        text = _NON_ASCII.sub(_escape, text)
    return text


def _piece(value: Any, indent: int, prefix: str) -> str:
    """`json.dumps(value, indent=indent)` as it reads nested at `prefix`: a nested value's
    text is its own with every line after the first indented further, since newlines
    outside strings are the only ones JSON text holds."""
    text = dumps_indented(value, indent)
    return text.replace("\n", "\n" + prefix) if prefix else text


# Elements of a top-level list written per orjson call: enough that the calls cost little
# next to the encoding, few enough that a chunk's text stays small beside the report.
_CHUNK = 2048


def _elements(values: List[Any], indent: int, item: str) -> str:
    """`values` (a slice of a top-level list) as they read inside it, each at `item`'s
    indentation and separated by ",\n", without the list's own brackets."""
    text = _orjson_text(values) if indent == 2 else None
    if text is not None:
        # "[\n  <element>,\n  <element>\n]": the elements sit one level in; the list nests
        # them one level deeper (newlines occur only between tokens).
        deeper = item[2:]  # orjson indented them by two spaces already
        return deeper + text[2:-2].replace("\n", "\n" + deeper)
    return ",\n".join(item + _piece(v, indent, item) for v in values)


def write_indented(value: Any, write: Callable[[str], Any], indent: int = 2) -> None:
    """Write `json.dumps(value, indent=indent)` through `write` as it is made: a report's
    top-level lists (its results) a slice at a time, so neither the whole text nor a list
    of all its pieces is ever held, and each slice written by orjson's C encoder where
    that gives the same text (see `_orjson_exact`)."""
    if type(value) is not dict or not value or not all(type(k) is str for k in value):
        write(dumps_indented(value, indent))
        return
    step = " " * indent
    inner, item = step, step * 2
    sep = "{\n" + inner
    for k, v in value.items():
        write(sep + _quote(k) + ": ")
        if type(v) is list and v:
            head = "[\n"
            for start in range(0, len(v), _CHUNK):
                write(head + _elements(v[start:start + _CHUNK], indent, item))
                head = ",\n"
            write("\n" + inner + "]")
        else:
            write(_piece(v, indent, inner))
        sep = ",\n" + inner
    write("\n}")


def dumps_indented(value: Any, indent: int = 2) -> str:
    """What `json.dumps(value, indent=indent)` returns: orjson's text where it is the same
    (a `keyguard diff` of 130,000 new grants: 0.07 s against 0.68 s), else the writer above."""
    if indent == 2:
        text = _orjson_text(value)
        if text is not None:
            return text
    write = _writer(" " * indent)
    try:
        out: List[str] = []
        write(value, "", out)
        return "".join(out)
    except (_Unsupported, RecursionError):
        return json.dumps(value, indent=indent)
