import subprocess
from pathlib import Path

import pytest

from policypack.report import build

from .fixture import GOLDEN_RULES, results

GOLDEN = Path(__file__).with_name("golden")
SOURCE = "stacks/prod.json"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def fixed_results():
    return results()


def fixed_report(framework="aws-fsbp"):
    report = build(results(), sources=[SOURCE], framework=framework,
                   notes=[{"kind": "stale-waiver", "message": "waiver #2 (kms-key-deletion-window, urn:*::old-key) "
                           "matches no resource"}], rules=GOLDEN_RULES)
    # Pinned so goldens do not change with every release.
    report["pack"]["version"] = "0.0.0-golden"
    return report


@pytest.fixture
def report():
    return fixed_report()


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium, which `make test` and `make test-fast` install first (the Makefile's
    chromium target): a test reads the environment, it does not build it."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make chromium` installs Debian's chromium (as root)")
    return CHROMIUM


def run_chromium(binary, tmp_path, url, *args, timeout=90):
    cmd = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
           f"--user-data-dir={tmp_path / 'chromium-profile'}", *args, url]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=timeout)
