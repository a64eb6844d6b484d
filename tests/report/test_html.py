"""The HTML report in a real browser: Debian's headless Chromium, offline, DOM checked."""
import os
import re
import shutil
from pathlib import Path

import pytest

from policypack.report import render

from .conftest import fixed_report, run_chromium

SCREENSHOT = Path(__file__).parents[2] / "docs" / "img" / "report.png"


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "report.html"
    report = fixed_report("aws-fsbp")
    path.write_text(render("html", report), encoding="utf-8")
    return path, report


def dom(chromium, tmp_path, url):
    return run_chromium(chromium, tmp_path, url, "--dump-dom").stdout


def rows(html):
    return re.findall(r'<tr class="finding"[^>]*>', html)


def test_self_contained(page):
    html = page[0].read_text(encoding="utf-8")
    # Nothing to fetch: no external scripts, styles, images or fonts.
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)=', html)
    assert "http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'" in html
    assert "@import" not in html and "url(" not in html


def test_dom_after_scripts_ran(chromium, tmp_path, page):
    path, report = page
    html = dom(chromium, tmp_path, path.as_uri())
    assert 'data-keyguard-ready="true"' in html
    found = rows(html)
    assert len(found) == len(report["findings"]) == 13
    assert not any("hidden" in r for r in found)
    assert "Showing 13 of 13 findings" in html
    assert 'id="filter-severity"' in html and 'id="filter-framework"' in html
    for key in ("aws-fsbp", "cis-aws-v5.0.0", "cis-aws-v3.0.0", "nist-800-53-r5", "pci-dss-v4.0.1", "pci-dss-v4.0"):
        assert f'<option value="{key}">' in html
    # The coverage matrix has a row per policy; the FSBP coverage table a row per catalogue control.
    assert len(re.findall(r'<tr class="policy"', html)) == len(report["policies"])
    assert len(re.findall(r'<tr class="control"', html)) == len(report["coverage"]["controls"])
    assert re.search(r'<tr class="control" data-status="failing">\s*<td><b>KMS.4</b>', html)
    # Beside each control's status, what keyguard checks of it: KMS.3 only in part, and why.
    assert len(re.findall(r'<td data-check="', html)) == len(report["coverage"]["controls"])
    assert re.search(r'<b>KMS.3</b>.*?<td data-check="partial">checked in part<div class="muted">whether a key '
                     r'is scheduled for deletion', html, re.S)


def test_query_string_presets_the_filters(chromium, tmp_path, page):
    path, report = page
    html = dom(chromium, tmp_path, path.as_uri() + "?severity=critical&framework=aws-fsbp")
    found = rows(html)
    visible = [r for r in found if "hidden" not in r]
    expected = [f for f in report["findings"] if f["severity"] == "critical" and "aws-fsbp" in f["controls"]]
    assert len(visible) == len(expected) == 1  # the waived admin wildcard (IAM.1)
    assert all('data-severity="critical"' in r for r in visible)
    assert f"Showing {len(expected)} of 13 findings" in html
    # The chosen framework's column of the matrix is highlighted, and only that one.
    selected = re.findall(r'<t[hd] data-framework="([^"]+)" class="fw-selected">', html)
    assert selected and set(selected) == {"aws-fsbp"}
    assert len(selected) == len(report["policies"]) + 1


def test_screenshot_for_the_docs(chromium, tmp_path, page):
    out = tmp_path / "report.png"
    run_chromium(chromium, tmp_path, page[0].as_uri(), f"--screenshot={out}", "--window-size=1280,1400")
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    # The committed docs image is refreshed with the goldens, not on every run.
    if os.environ.get("KEYGUARD_REGEN_GOLDEN") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out, SCREENSHOT)
    assert SCREENSHOT.exists(), "docs/img/report.png is missing; run with KEYGUARD_REGEN_GOLDEN=1"
