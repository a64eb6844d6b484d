"""Files keyguard keeps between processes: data derived from installed packages.

Each is rebuilt from its source when absent, truncated, foreign or unwritable, so a cache
changes how soon an answer comes, never the answer. The directory is KEYGUARD_CACHE_DIR,
else $XDG_CACHE_HOME/keyguard, else ~/.cache/keyguard.
"""
from __future__ import annotations

import os


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
