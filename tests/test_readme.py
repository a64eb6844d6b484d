"""The README's generated parts are the registry's, word for word: one source of truth."""
import re
from pathlib import Path

from policypack import rule_listing
from policypack.registry import RULES

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def test_readme_policies_block_matches_registry():
    text = README.read_text(encoding="utf-8")
    block = text[text.index(rule_listing.README_START) + len(rule_listing.README_START):
                 text.index(rule_listing.README_END)]
    assert block.strip() == rule_listing.readme_block(RULES).strip(), \
        "README policies table is stale: regenerate it with `make readme`"


def test_readme_coverage_block_matches_catalogue_and_rules():
    from policypack import coverage_listing

    text = README.read_text(encoding="utf-8")
    block = text[text.index(coverage_listing.README_START) + len(coverage_listing.README_START):
                 text.index(coverage_listing.README_END)]
    assert block.strip() == coverage_listing.readme_block(RULES).strip(), \
        "README coverage table is stale: regenerate it with `make readme`"


def test_readme_prose_states_no_policy_count():
    """A count written by hand goes stale with the next policy; the generated block holds it."""
    text = README.read_text(encoding="utf-8")
    outside = text[:text.index(rule_listing.README_START)] + text[text.index(rule_listing.README_END):]
    assert not re.search(r"\b\d+ (policies|rules)\b", outside)


def test_readme_layout_is_the_one_on_disk():
    """Every path the README's Layout section names exists."""
    text = README.read_text(encoding="utf-8")
    layout = text[text.index("## Layout"):]
    layout = layout[layout.index("```") + 3:]
    layout = layout[:layout.index("```")]
    named = set()
    for line in layout.splitlines():
        first = line.split("  ")[0].strip()
        for part in first.split(","):
            part = part.strip()
            if part:
                named.add(part)
    missing = []
    for part in named:
        pattern = re.sub(r"<[^>]+>", "*", part).rstrip("/")
        if not any(ROOT.glob(pattern)) and not any((ROOT / "policypack").glob(pattern)):
            missing.append(part)
    assert not missing, f"README Layout names paths that do not exist: {missing}"
