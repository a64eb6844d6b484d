"""What detect-secrets' plugins search for, kept between processes, so that a value none of
them could find anything in never imports detect-secrets.

Importing the plugins costs about 55 ms of every scan that judges a string long enough to
hold a credential: their base module imports `requests`, for a `verify` keyguard never
calls. Each plugin keyguard loads either sees only the pieces formats.py cuts for it (no
piece, nothing to find) or is a regex-based detector that finds only what one of its
`denylist` patterns matches (no pattern matching the value, nothing to find); a plugin
that is neither turns the screen off. So a value that passes no screen is one the plugins
would have found nothing in, and a value that passes one goes to the plugins as before:
what is judged secret does not change.

The patterns are read from the installed plugins in the one process that imports them
first, and written with their flags under the cache directory (see cachefiles), in a file
whose name carries the plugin modules' sizes and modification times, keyguard's list of
plugins and the Python version. keyguard's sources hold no pattern of detect-secrets'.
"""
from __future__ import annotations

import os
import re
from typing import Any, Callable, Collection, List, Optional, Sequence, Tuple

from .. import cachefiles

# Bump when the file's shape changes. The name knows the plugin files and this module, so an
# edit to either is a new file anyway.
_CACHE_FORMAT = 1

Patterns = Tuple["re.Pattern[str]", ...]


def _cache_file(plugins: Sequence[Tuple[str, str]], cut: Collection[str]) -> Optional[str]:
    """The cache for these (module, class) plugins of the installed detect-secrets, those in
    `cut` left to their pieces, or None when the package cannot be found without importing it."""
    where = cachefiles.package_dir("detect_secrets")
    if where is None:
        return None
    plugin_dir = os.path.join(where, "plugins")
    modules = sorted({m for m, _ in plugins} | {"base"})
    return cachefiles.derived_file("detect-secrets-screen", _CACHE_FORMAT,
                                   [*(os.path.join(plugin_dir, m + ".py") for m in modules), __file__],
                                   extra=",".join(f"{m}.{c}" for m, c in plugins) + ";cut:" + ",".join(sorted(cut)))


def _from_cache(path: Optional[str]) -> Optional[Tuple[bool, Patterns]]:
    data = cachefiles.read_marshal(path, _CACHE_FORMAT)
    if data is None:
        return None  # absent, truncated or foreign: read from the plugins again
    try:
        return (False, ()) if data is False else (True, tuple(re.compile(p, f) for p, f in data))
    except (ValueError, TypeError, re.error):
        return None


def _from_plugins(instances: Sequence[Any], cut: Collection[str]) -> Tuple[bool, Patterns]:
    from detect_secrets.plugins.base import RegexBasedDetector

    patterns: List["re.Pattern[str]"] = []
    for plugin in instances:
        if type(plugin).__name__ in cut:
            continue
        denylist = list(plugin.denylist) if isinstance(plugin, RegexBasedDetector) else []
        # Only a detector that finds exactly what its patterns match can be screened by them.
        if (type(plugin).analyze_string is not RegexBasedDetector.analyze_string or not denylist
                or not all(isinstance(p, re.Pattern) and isinstance(p.pattern, str) for p in denylist)):
            return False, ()
        patterns.extend(denylist)
    return True, tuple(patterns)


def patterns(plugins: Sequence[Tuple[str, str]], cut: Collection[str],
             load: Callable[[], Sequence[Any]]) -> Tuple[bool, Patterns]:
    """(whether the plugins can be screened, the patterns of those not in `cut`): from the
    cache, else from `load()`'s plugin instances, which are then cached."""
    path = _cache_file(plugins, cut)
    cached = _from_cache(path)
    if cached is not None:
        return cached
    usable, found = _from_plugins(load(), cut)
    cachefiles.write_marshal(path, _CACHE_FORMAT, [(p.pattern, p.flags) for p in found] if usable else False)
    return usable, found
