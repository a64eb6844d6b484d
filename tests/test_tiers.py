"""The tier and layer lists in tests/conftest.py cannot go stale in silence."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MARKED, stale_entries

CONFTEST = Path(__file__).with_name("conftest.py")


def test_every_listed_entry_names_an_existing_test():
    assert {m: stale_entries(e) for m, e in MARKED.items()} == {m: [] for m in MARKED}


def test_a_moved_file_a_renamed_test_and_an_empty_folder_are_each_named(tmp_path):
    (tmp_path / "suite").mkdir()
    (tmp_path / "suite" / "test_a.py").write_text(
        "def test_one():\n    pass\n\n\nclass TestB:\n    def test_two(self):\n        pass\n")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "helpers.py").write_text("")
    entries = ["suite/", "suite/test_a.py", "suite/test_a.py::test_one", "suite/test_a.py::test_two",
               "gone/", "empty/", "suite/test_gone.py", "suite/test_a.py::test_three"]
    assert stale_entries(entries, tmp_path) == [
        "gone/: no folder with test files there",
        "empty/: no folder with test files there",
        "suite/test_gone.py: no such file",
        "suite/test_a.py::test_three: suite/test_a.py defines no test function test_three",
    ]


def test_the_real_conftest_stops_a_session_whose_entries_match_nothing(tmp_path):
    """conftest.py copied unchanged next to one unrelated test: every entry is stale, and the
    session ends before running anything, with a usage error that names them."""
    shutil.copyfile(CONFTEST, tmp_path / "conftest.py")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_other.py").write_text("def test_other():\n    pass\n")
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                         capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert out.returncode == pytest.ExitCode.USAGE_ERROR, out.stdout + out.stderr
    assert "tests/conftest.py lists tests that do not exist: " in out.stderr
    for entry in ("slow rotation/: no folder with test files there",
                  "slow engine/test_protocol.py::test_secret_wrapping_changes_no_answer: no such file",
                  "engine engine/: no folder with test files there", "e2e e2e/: no folder with test files there"):
        assert entry in out.stderr
    assert "passed" not in out.stdout

