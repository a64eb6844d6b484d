"""YAML that keyguard reads from users' files, with bounded size and expansion.

A safe loader still lets a small file describe a huge document: an alias repeats
an anchored node, and nested aliases multiply ("billion laughs"). PyYAML shares the
repeated objects, but anything that walks the result (JSON encoding of a config value,
matching waivers) pays for the whole expansion. So every YAML file keyguard reads
(Pulumi.yaml, Pulumi.<stack>.yaml, waivers) goes through `load_file`: the file must
be at most MAX_BYTES, nested at most MAX_DEPTH deep, and expand to at most MAX_NODES
nodes counting each alias as the node it repeats; a recursive alias is refused.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Set, Type

import yaml

MAX_BYTES = 1024 * 1024
MAX_NODES = 100_000
MAX_DEPTH = 64


class YamlRefused(yaml.YAMLError):
    """A YAML file keyguard will not expand; str(e) says why, in one line."""


def _expanded_size(node: yaml.Node, limit: int) -> int:
    sizes: Dict[int, int] = {}
    active: Set[int] = set()

    def size(n: yaml.Node, depth: int) -> int:
        key = id(n)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise YamlRefused("a recursive alias")
        if depth > MAX_DEPTH:
            raise YamlRefused(f"nesting deeper than {MAX_DEPTH} levels")
        active.add(key)
        total = 1
        if isinstance(n, yaml.SequenceNode):
            for child in n.value:
                total += size(child, depth + 1)
        elif isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                total += size(k, depth + 1) + size(v, depth + 1)
        active.discard(key)
        if total > limit:
            raise YamlRefused(f"it expands to more than {limit} nodes (aliases)")
        sizes[key] = total
        return total

    return size(node, 0)


def loads(text: str, loader: Optional[Type[yaml.SafeLoader]] = None, max_nodes: int = MAX_NODES) -> Any:
    """One YAML document, built with `loader` (a SafeLoader subclass) after the expansion check."""
    ld = (loader or yaml.SafeLoader)(text)
    try:
        try:
            node = ld.get_single_node()
        except RecursionError:
            raise YamlRefused(f"nesting deeper than {MAX_DEPTH} levels") from None
        if node is None:
            return None
        _expanded_size(node, max_nodes)
        return ld.construct_document(node)
    finally:
        ld.dispose()


def load_file(path: str, loader: Optional[Type[yaml.SafeLoader]] = None, max_bytes: int = MAX_BYTES,
              max_nodes: int = MAX_NODES) -> Any:
    """Read and parse `path`. Raises OSError, YamlRefused (too large, too expanding) or yaml.YAMLError."""
    with open(path, "rb") as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise YamlRefused(f"larger than {max_bytes // 1024} KiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise YamlRefused("not UTF-8 text") from None
    return loads(text, loader, max_nodes)
