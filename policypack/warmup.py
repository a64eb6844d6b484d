"""What the first requests of a preview would otherwise pay, done before they come.

The IAM action index, cloudsplaining's risk sets and detect-secrets' plugins are loaded on
first use (never at pack import, which would slow every start-up), so without this the
first Analyze that asks about an IAM document or a secret value pays a few hundred
milliseconds on the engine's request path. The routing servicer starts `start()` when the
engine sends Configure, its last call before the resources come: while the program runs
and registers them, a daemon thread loads the same tables the first requests would. A
request that comes first simply loads them itself (the loaders are idempotent caches), so
the warm-up changes when the work is done, never what any rule answers.
"""
from __future__ import annotations

import threading
from typing import Optional

_started: Optional[threading.Thread] = None
_lock = threading.Lock()


def load() -> None:
    """Load every first-use table the rules read. Never raises: a table that cannot be
    loaded is loaded (and its error reported) by the request that needs it, as before."""
    from .iam import actions, risk
    from .secrets import formats

    for step in (actions._index, risk.escalation_methods, risk.exfiltration_actions,
                 risk.credentials_actions, risk.sensitive_actions, formats._plugins, formats._screen):
        try:
            step()
        except Exception:  # noqa: BLE001 - see the docstring
            pass


def start() -> threading.Thread:
    """Start the warm-up once per process (later calls return the same thread)."""
    global _started
    with _lock:
        if _started is None:
            _started = threading.Thread(target=load, name="keyguard-warmup", daemon=True)
            _started.start()
        return _started
