import io
import json
import shutil

from policypack import progress

from .conftest import EXPORT, keyguard


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


def test_progress_only_on_a_tty_and_only_for_big_scans():
    assert progress.wanted(FakeTTY(), progress.MANY_INPUTS, large=False)
    assert progress.wanted(FakeTTY(), 1, large=True)
    assert not progress.wanted(FakeTTY(), 1, large=False)
    assert not progress.wanted(io.StringIO(), 100, large=True)


def test_bar_drawn_on_tty_and_items_all_delivered():
    tty = FakeTTY()
    assert list(progress.track(list(range(6)), tty)) == list(range(6))
    assert "scanning" in tty.getvalue()
    plain = io.StringIO()
    assert list(progress.track(list(range(6)), plain)) == list(range(6))
    assert plain.getvalue() == ""


def test_many_inputs_scan_is_quiet_when_not_a_tty(tmp_path):
    paths = []
    for i in range(progress.MANY_INPUTS + 1):
        p = tmp_path / f"stack{i}.json"
        shutil.copy(EXPORT, p)
        paths.append(p)
    r = keyguard("scan", *paths, "--format", "json")
    assert r.err == "" and len(json.loads(r.out)["sources"]) == len(paths)


def test_many_inputs_scan_shows_the_bar_on_a_tty(tmp_path):
    from policypack.cli import run

    paths = []
    for i in range(progress.MANY_INPUTS):
        p = tmp_path / f"stack{i}.json"
        shutil.copy(EXPORT, p)
        paths.append(str(p))
    out, err = io.StringIO(), FakeTTY()
    assert run(["scan", *paths, "--format", "json"], stdout=out, stderr=err) == 1
    assert "scanning" in err.getvalue() and json.loads(out.getvalue())["sources"] == paths
