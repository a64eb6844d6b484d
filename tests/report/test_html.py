"""The HTML report in a real browser: Debian's headless Chromium, offline, DOM checked."""
import os
import re
import shutil
from pathlib import Path

import pytest

from policypack.report import render

from . import png
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


# A badge's top and bottom padding rows are solid over its whole width; no text stroke is this long.
BADGE_RUN = 30
# Rows of one badge lie closer together than the rows of two findings.
BADGE_GAP = 20


def severity_colours(html: str) -> dict:
    """The badge colour of each severity, as the page's own stylesheet declares it."""
    variables = dict(re.findall(r"--([a-z]+):#([0-9a-f]{6})", html))
    return {sev: variables[var] for sev, var in re.findall(r"\.sev-([a-z]+) \{ background: var\(--([a-z]+)\); \}", html)}


def badges_seen(image: png.Image, colours: dict) -> list:
    """The severity badges painted in a screenshot, top to bottom."""
    seen, last = [], {}
    for y in range(image.height):
        for sev, rgb in colours.items():
            if image.run_of(y, rgb, BADGE_RUN):
                if y - last.get(sev, -BADGE_GAP - 1) > BADGE_GAP:
                    seen.append(sev)
                last[sev] = y
    return seen


def screenshot(chromium, tmp_path, url, size="1280,1400") -> png.Image:
    out = tmp_path / "shot.png"
    run_chromium(chromium, tmp_path, url, f"--screenshot={out}", f"--window-size={size}")
    return png.read(out.read_bytes())


def test_screenshot_for_the_docs(chromium, tmp_path, page):
    """The docs image shows the page as a reader meets it: the dark title bar across the top,
    then the findings, whose severity badges are painted in the page's order."""
    path, report = page
    html = path.read_text(encoding="utf-8")
    colours = severity_colours(html)
    assert set(colours) == {"critical", "high", "medium", "low"}
    image = screenshot(chromium, tmp_path, path.as_uri())
    assert (image.width, image.height) == (1280, 1400)
    title_bar = bytes.fromhex(re.search(r"header \{ background: #([0-9a-f]{6});", html).group(1))
    assert all(image.pixel(x, y) == tuple(title_bar) for y in range(0, 16) for x in range(0, 1280, 7))
    in_page_order = [re.search(r'data-severity="([a-z]+)"', r).group(1) for r in rows(dom(chromium, tmp_path, path.as_uri()))]
    seen = badges_seen(image, colours)
    assert len(seen) >= 5, f"only {len(seen)} findings in the first screen"
    assert seen == in_page_order[:len(seen)]
    # The committed docs image is refreshed with the goldens, not on every run.
    if os.environ.get("KEYGUARD_REGEN_GOLDEN") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tmp_path / "shot.png", SCREENSHOT)
    assert SCREENSHOT.exists(), "docs/img/report.png is missing; run with KEYGUARD_REGEN_GOLDEN=1"


def test_a_severity_filter_leaves_only_its_badges_on_screen(chromium, tmp_path, page):
    path, report = page
    colours = severity_colours(path.read_text(encoding="utf-8"))
    image = screenshot(chromium, tmp_path, path.as_uri() + "?severity=critical", size="1280,1000")
    critical = [f for f in report["findings"] if f["severity"] == "critical"]
    assert len(critical) == 3
    assert badges_seen(image, colours) == ["critical"] * 3
