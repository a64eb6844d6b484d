"""The README's policies table is the registry's, word for word: one source of truth."""
from pathlib import Path

from policypack import rule_listing
from policypack.registry import RULES

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- policies-table:start -->", "<!-- policies-table:end -->"


def test_readme_policies_table_matches_registry():
    text = README.read_text(encoding="utf-8")
    block = text[text.index(START) + len(START):text.index(END)].strip()
    assert block == rule_listing.markdown(RULES).strip(), \
        "README policies table is stale: regenerate it with `keyguard rules --format markdown`"
