"""One "today": waivers and config read the same UTC day, and a test can pin it."""
import datetime as dt

from policypack import clock, config, waivers
from policypack.registry import BY_NAME

ESC = BY_NAME["iam-policy-no-privilege-escalation"]


def test_today_is_the_utc_day():
    assert clock.today() == dt.datetime.now(dt.timezone.utc).date()


def test_waivers_and_config_read_the_same_pinned_day():
    w = waivers.Waiver(policy="p", urn="u", reason="r", approver="a", expires=dt.date(2026, 1, 31))
    with clock.pinned(dt.date(2026, 1, 31)):
        assert config.with_defaults(ESC, {})["asOf"] == "2026-01-31"
        assert waivers.verdict([w], "p", "u")[0] == "waived"   # the last day is still covered
    with clock.pinned(dt.date(2026, 2, 1)):
        assert config.with_defaults(ESC, {})["asOf"] == "2026-02-01"
        assert waivers.verdict([w], "p", "u")[0] == "expired"
    assert clock.today() == dt.datetime.now(dt.timezone.utc).date()  # unpinned again
