"""The screen before detect-secrets' plugins (policypack/secrets/plugin_screen.py, issue 23):
a value it turns away is one no plugin finds anything in, so what is judged secret never
changes, and a process whose values it all turns away never imports detect-secrets."""
from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from policypack.registry import RULES
from policypack.secrets import formats, plugin_screen
from tests.hardening.test_regressions import SHAPES
from tests.secrets.test_detector import FORMATS, NOT_CREDENTIALS
from tests.secrets.test_policies import _strings

ROOT = Path(__file__).resolve().parents[2]

# One value each plugin finds (facts of each vendor's published token shape), beyond the
# detector tests' own FORMATS.
FOUND = [
    "glpat-" + "aB3dE5fG7hJ9kL1mN3pQ",
    "SG." + "a" * 22 + "." + "b" * 43,
    "AC" + "0123456789abcdef" * 2,
    "https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/cccccccccccccccccccc",
    "//registry.npmjs.org/:_authToken=npm_" + "x" * 36,
    "sk-" + "a" * 20 + "T3BlbkFJ" + "b" * 20,
    "0123456789abcdef0123456789abcdef-us12",
    "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=" + "A" * 86 + "==",
    "sq0csp-" + "c" * 43,
    "123456789:" + "A" * 35,
    "pypi-AgEIcHlwaS5vcmc" + "d" * 70,  # a macaroon whose location is pypi.org, base64-encoded
    "M" + "a" * 23 + "." + "b" * 6 + "." + "c" * 27,
]


def _corpus():
    texts = [t for _, t, _ in FORMATS] + [t for _, t in NOT_CREDENTIALS] + FOUND
    texts += [shape * 40 for shape in SHAPES]
    texts += [s for rule in RULES for ex in rule.examples for r in ex.resources for s in _strings(r.props)]
    # Near misses of every finding: a character short at either end, cased otherwise, inside text.
    near = []
    for t in texts:
        near += [t[1:], t[:-1], t.upper(), t.lower(), f"key: {t}\n", t.replace("_", "-")]
    return sorted({t for t in texts + near if len(t) >= 16})


CORPUS = _corpus()


def _finds(text):
    return [f for plugin in formats._plugins() for f in formats._plugin_finds(plugin, text) if f]


def test_the_corpus_holds_what_every_plugin_finds():
    found_by = {type(p).__name__ for p in formats._plugins() for t in CORPUS if list(formats._plugin_finds(p, t))}
    assert found_by == {name for _, name in formats._PLUGINS}


def test_a_value_the_screen_turns_away_is_one_no_plugin_finds_anything_in():
    turned_away = [t for t in CORPUS if not formats._plugins_may_find(t)]
    assert len(turned_away) > len(CORPUS) // 4, "the screen turns values away"
    assert [t for t in turned_away if _finds(t)] == []


def test_the_screen_changes_no_judgement(monkeypatch):
    screened = [formats.credential_shape(t) for t in CORPUS]
    monkeypatch.setattr(formats, "_screen", lambda: (False, ()))
    assert [formats.credential_shape(t) for t in CORPUS] == screened
    assert sum(s is not None for s in screened) >= len(FOUND)


def test_the_cached_patterns_are_the_plugins_own(tmp_path, monkeypatch):
    monkeypatch.setenv("KEYGUARD_CACHE_DIR", str(tmp_path))
    cut = frozenset(formats._CUT)
    built = plugin_screen.patterns(formats._PLUGINS, cut, formats._plugins)
    (cache,) = tmp_path.iterdir()
    read = plugin_screen.patterns(formats._PLUGINS, cut, lambda: pytest.fail("the cache was not read"))
    live = [p for plugin in formats._plugins() if type(plugin).__name__ not in cut for p in plugin.denylist]
    assert built == (True, tuple(live))
    assert read[0] and [(p.pattern, p.flags) for p in read[1]] == [(p.pattern, p.flags) for p in live]
    assert cache.name.startswith("detect-secrets-screen-")


@pytest.mark.parametrize("content", [b"", marshal.dumps((1, [("a", 32)]))[:-3], marshal.dumps((99, [])),
                                     marshal.dumps((1, [("(", 32)])), marshal.dumps((1, 7)), b"\x80\x81"])
def test_a_broken_or_foreign_cache_is_read_from_the_plugins_again(tmp_path, monkeypatch, content):
    monkeypatch.setenv("KEYGUARD_CACHE_DIR", str(tmp_path))
    cut = frozenset(formats._CUT)
    good = plugin_screen.patterns(formats._PLUGINS, cut, formats._plugins)
    (cache,) = tmp_path.iterdir()
    cache.write_bytes(content)
    assert plugin_screen.patterns(formats._PLUGINS, cut, formats._plugins) == good
    assert plugin_screen._from_cache(str(cache)) is not None  # written again, whole


def test_a_plugin_that_finds_more_than_its_patterns_turns_the_screen_off(tmp_path, monkeypatch):
    from detect_secrets.plugins.base import RegexBasedDetector

    class Wider(RegexBasedDetector):
        secret_type = "wider"
        denylist = ()

        def analyze_string(self, string):
            yield string

    monkeypatch.setenv("KEYGUARD_CACHE_DIR", str(tmp_path))
    plugins = formats._PLUGINS + (("jwt", "Wider"),)  # a module that exists, so the cache has a name
    assert plugin_screen.patterns(plugins, frozenset(formats._CUT), lambda: formats._plugins() + (Wider(),)) \
        == (False, ())
    # ... and the cache says so to the next process.
    assert plugin_screen.patterns(plugins, frozenset(formats._CUT), lambda: pytest.fail("not read")) == (False, ())


_PROBE = ("import sys; from policypack.secrets import credential_shape as c; "
          "print(c(sys.argv[1]), 'detect_secrets' in sys.modules, 'requests' in sys.modules)")


def _probe(text, cache):
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, "KEYGUARD_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, "-c", _PROBE, text], capture_output=True, text=True, check=True,
                          cwd=ROOT, env=env).stdout.split()


def test_detect_secrets_is_imported_only_for_a_value_a_plugin_may_find_something_in(tmp_path):
    long_plain = "x" * 40
    # The first process on a machine reads the patterns from the plugins themselves ...
    assert _probe(long_plain, tmp_path) == ["None", "True", "True"]
    # ... every later one from the cache, and imports detect-secrets only when one matches.
    assert _probe(long_plain, tmp_path) == ["None", "False", "False"]
    assert _probe(FORMATS[2][1], tmp_path) == ["a", "GitHub", "Token", "True", "True"]
