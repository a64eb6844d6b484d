"""Files keyguard keeps between processes: data derived from installed packages.

Each is rebuilt from its source when absent, truncated, foreign or unwritable, so a cache
changes how soon an answer comes, never the answer. The directory is KEYGUARD_CACHE_DIR,
else $XDG_CACHE_HOME/keyguard, else ~/.cache/keyguard.
"""
from __future__ import annotations

import os
import sys
from typing import Any, Optional, Sequence


def root() -> str:
    return os.environ.get("KEYGUARD_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "keyguard")


def write_atomically(path: str, blob: bytes) -> None:
    """Write `blob` to `path` whole or not at all: a reader never sees half a file. A
    directory that cannot be written is the same as no cache."""
    import tempfile  # only a process that builds a cache pays its import

    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", dir=os.path.dirname(path))
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass


def package_dir(name: str) -> Optional[str]:
    """Where an installed package lives, found without importing it (its import is what a
    cache spares), or None when it cannot be found that way."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)  # finds the package, runs none of it
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return list(spec.submodule_search_locations)[0]


def derived_file(name: str, version: int, sources: Sequence[str], extra: str = "") -> Optional[str]:
    """The cache of data derived from `sources` (files), or None when one cannot be read. The
    name carries each source's path, size and modification time, `extra` (what else the data
    depends on) and the Python version (marshal's format is Python's own), so a changed source
    or interpreter is a different file. Callers list their own module among `sources`, so that
    a change to how the data is derived is a different file too; `version` is bumped when the
    file's shape changes."""
    import zlib  # hashlib would load OpenSSL (about 3 ms); two 32-bit checksums name a file well enough

    parts = [extra]
    try:
        for path in sources:
            st = os.stat(path)
            parts.append(f"{path}|{st.st_size}|{st.st_mtime_ns}")
    except OSError:
        return None
    key = "\n".join(parts).encode()
    ident = f"{zlib.crc32(key):08x}{zlib.adler32(key):08x}"
    return os.path.join(root(), f"{name}-v{version}-{ident}-py{sys.version_info[0]}{sys.version_info[1]}.marshal")


def read_marshal(path: Optional[str], version: int) -> Optional[Any]:
    """What `write_marshal` wrote there with this version, or None (absent, truncated, foreign)."""
    if path is None:
        return None
    import marshal

    try:
        with open(path, "rb") as fh:
            got, value = marshal.loads(fh.read())  # load(fh) reads it piecemeal: much slower
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return value if got == version else None


def write_marshal(path: Optional[str], version: int, value: Any) -> None:
    if path is not None:
        import marshal

        write_atomically(path, marshal.dumps((version, value)))
