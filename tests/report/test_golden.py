"""Every format, rendered from one fixed set of results, must match its golden file.

Regenerate after an intended change with KEYGUARD_REGEN_GOLDEN=1 and review the diff.
"""
import os

import pytest

from policypack.report import FORMATS, render

from .conftest import GOLDEN
from .fixture import PLANTED_SECRET

EXT = {"table": "txt", "json": "json", "sarif": "sarif", "junit": "xml", "markdown": "md", "html": "html"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_matches_golden(fmt, report):
    text = render(fmt, report)
    path = GOLDEN / f"report.{EXT[fmt]}"
    if os.environ.get("KEYGUARD_REGEN_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{fmt} output changed; regenerate with KEYGUARD_REGEN_GOLDEN=1"


@pytest.mark.parametrize("fmt", FORMATS)
def test_never_prints_a_secret_value(fmt, report):
    text = render(fmt, report)
    assert "STRIPE_KEY" in text or fmt == "table", "the finding about the secret must be there"
    assert PLANTED_SECRET not in text
    assert PLANTED_SECRET[:12] not in text


def test_every_format_is_registered():
    assert set(FORMATS) == {"table", "json", "sarif", "junit", "markdown", "html"}
