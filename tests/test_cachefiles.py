"""Data derived from files, kept between processes (policypack/cachefiles.py, issue 23): the
framework catalogue parsed from catalogue.yaml and the lists keyguard reads from
cloudsplaining are the same read back as derived, a changed source is derived again, and a
process with the cache imports neither PyYAML nor cloudsplaining to get them."""
from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from policypack import cachefiles, frameworks
from policypack.iam import risk

ROOT = Path(__file__).resolve().parents[1]

_PROBE = """
import json, sys
from policypack import frameworks
from policypack.registry import RULES
from policypack.iam import risk
lists = risk._constants()
imported = sorted({m.split('.')[0] for m in sys.modules} & {'yaml', 'cloudsplaining'})
import cloudsplaining.shared.constants as c
same = (frameworks._CATALOGUE == frameworks._parse()
        and all(getattr(lists, n) == getattr(c, n) for n in risk._READ))
print(json.dumps([imported, same]))
"""


def _probe(cache: Path):
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, "KEYGUARD_CACHE_DIR": str(cache)}
    proc = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_a_process_with_the_cache_imports_neither_yaml_nor_cloudsplaining(tmp_path):
    assert _probe(tmp_path) == [["cloudsplaining", "yaml"], True]
    names = sorted(p.name.split("-v")[0] for p in tmp_path.iterdir())
    assert names == ["catalogue", "cloudsplaining-lists"]
    assert _probe(tmp_path) == [[], True]


def test_the_catalogue_read_back_is_the_one_parsed(tmp_path, monkeypatch):
    monkeypatch.setenv("KEYGUARD_CACHE_DIR", str(tmp_path))
    assert frameworks._load() == frameworks._parse()  # parsed, then written
    assert list(tmp_path.iterdir())
    assert frameworks._load() == frameworks._parse()  # read back
    assert list(frameworks._load()) == list(frameworks.FRAMEWORKS)  # in the catalogue's order


def test_the_cloudsplaining_lists_read_back_are_its_own(tmp_path, monkeypatch):
    import cloudsplaining.shared.constants as c

    monkeypatch.setenv("KEYGUARD_CACHE_DIR", str(tmp_path))
    for _ in range(2):  # derived and written, then read back
        risk._constants.cache_clear()
        try:
            got = risk._constants()
        finally:
            risk._constants.cache_clear()
        assert {n: getattr(got, n) for n in risk._READ} == {n: getattr(c, n) for n in risk._READ}
    assert len(list(tmp_path.iterdir())) == 1


def test_a_changed_source_is_another_file(tmp_path, monkeypatch):
    monkeypatch.setenv("KEYGUARD_CACHE_DIR", str(tmp_path / "cache"))
    src = tmp_path / "source.yaml"
    src.write_text("a: 1\n")
    first = cachefiles.derived_file("thing", 1, [str(src)])
    assert first == cachefiles.derived_file("thing", 1, [str(src)])
    src.write_text("a: 12\n")
    assert cachefiles.derived_file("thing", 1, [str(src)]) != first
    assert cachefiles.derived_file("thing", 2, [str(src)]) != cachefiles.derived_file("thing", 1, [str(src)])
    assert cachefiles.derived_file("thing", 1, [str(src)], extra="x") != cachefiles.derived_file("thing", 1, [str(src)])
    assert cachefiles.derived_file("thing", 1, [str(tmp_path / "absent")]) is None


@pytest.mark.parametrize("content", [b"", marshal.dumps((1, {"a": 1}))[:-2], marshal.dumps((2, {"a": 1})),
                                     marshal.dumps({"a": 1}), b"\x00garbage"])
def test_a_truncated_or_foreign_cache_reads_as_none(tmp_path, content):
    path = tmp_path / "c.marshal"
    path.write_bytes(content)
    assert cachefiles.read_marshal(str(path), 1) is None
    cachefiles.write_marshal(str(path), 1, {"a": [1, None, True]})
    assert cachefiles.read_marshal(str(path), 1) == {"a": [1, None, True]}
    assert [p.name for p in tmp_path.iterdir()] == ["c.marshal"]  # no temporary file left behind


def test_an_unwritable_cache_directory_is_no_cache(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    path = str(blocker / "sub" / "c.marshal")  # a directory under a file cannot be made
    cachefiles.write_marshal(path, 1, {"a": 1})
    assert cachefiles.read_marshal(path, 1) is None


def test_each_cache_is_keyed_by_the_module_that_derives_it(monkeypatch, tmp_path):
    """An edit to the code that derives a cache (not only to its source data) is a new cache
    file, so a developer's change is never answered from a file the old code wrote."""
    from policypack.iam import actions
    from policypack.secrets import formats, plugin_screen

    asked = {}

    def record(name, version, sources, extra=""):
        asked[name] = list(sources)
        return None  # no cache: each one derives its data afresh

    monkeypatch.setattr(cachefiles, "derived_file", record)
    monkeypatch.setenv("KEYGUARD_CACHE_DIR", str(tmp_path))
    frameworks._load()
    risk._constants.cache_clear()
    risk._constants()
    actions._cache_file()
    plugin_screen._cache_file(formats._PLUGINS, frozenset(formats._CUT))
    assert asked["catalogue"][-1] == frameworks.__file__
    assert asked["cloudsplaining-lists"][-1] == risk.__file__
    assert asked["iam-index"][-1] == actions.__file__
    assert asked["detect-secrets-screen"][-1] == plugin_screen.__file__


def test_a_changed_deriving_module_is_another_file(tmp_path):
    data, module = tmp_path / "data.yaml", tmp_path / "derive.py"
    data.write_text("a: 1\n")
    module.write_text("x = 1\n")
    first = cachefiles.derived_file("t", 1, [str(data), str(module)])
    module.write_text("x = 22\n")
    assert cachefiles.derived_file("t", 1, [str(data), str(module)]) != first
