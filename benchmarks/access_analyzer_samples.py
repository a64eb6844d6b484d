"""keyguard diff --documents against AWS's published CheckNoNewAccess examples.

The aws-samples repository iam-access-analyzer-custom-policy-check-samples documents, per
check, a reference policy (the OLD document) and candidate policies (NEW), each marked PASS or
FAIL as CheckNoNewAccess answers. Fetch it yourself (it is not vendored) and point this at it:

    python -m benchmarks.access_analyzer_samples /work/ext/iam-access-analyzer-custom-policy-check-samples

It prints one line per candidate that keyguard answers differently, and the totals.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Iterator, List, Optional, Tuple

from policypack.access.documents import check
from policypack.iam.document import IDENTITY, RESOURCE, Document, parse

_BLOCK = re.compile(r"```json\s*\n(.*?)```", re.S)
_CANDIDATE = re.compile(r"Candidate policy\s*(\d+)\s*:\s*(PASS|FAIL)", re.I)


def cases(md: Path) -> Iterator[Tuple[str, str, str, str]]:
    """(reference JSON, candidate label, expected, candidate JSON) of one sample file."""
    text = md.read_text()
    ref_at = text.find("Reference policy")
    ref = _BLOCK.search(text, ref_at) if ref_at >= 0 else None
    if ref is None:
        return
    for m in _CANDIDATE.finditer(text):
        block = _BLOCK.search(text, m.end())
        if block is not None:
            yield ref.group(1), f"candidate {m.group(1)}", m.group(2).upper(), block.group(1)


# Two reference policies carry the placeholder "<ACCOUNT ID>", which their readers are told to
# replace; their candidates use 111111111111. Measured both as published and filled in.
PLACEHOLDER = ("<ACCOUNT ID>", "111111111111")


def measure(root: Path, fill: bool = False) -> Tuple[int, int, List[str]]:
    agree, total, notes = 0, 0, []
    for md in sorted(root.rglob("*.md")):
        rel = md.relative_to(root)
        if len(rel.parts) < 2:
            continue
        kind = RESOURCE if rel.parts[0] == "resource-policies" else IDENTITY
        for ref, label, expected, cand in cases(md):
            if fill:
                ref = ref.replace(*PLACEHOLDER)
            old, new = parse(json.loads(ref), kind), parse(json.loads(cand), kind)
            total += 1
            if not isinstance(old, Document) or not isinstance(new, Document):
                notes.append(f"{rel} {label}: expected {expected}, keyguard: not a valid {kind} policy")
                continue
            got = "FAIL" if check(old, new) else "PASS"
            if got == expected:
                agree += 1
            else:
                notes.append(f"{rel} {label}: expected {expected}, keyguard {got}")
    return agree, total, notes


def main(argv: Optional[List[str]] = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0] if args else "/work/ext/iam-access-analyzer-custom-policy-check-samples")
    for fill in (False, True):
        agree, total, notes = measure(root, fill)
        for n in notes:
            print(n)
        print(f"agree {agree}/{total}" + (" (placeholder account filled in)" if fill else " (as published)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
