"""Detection rate per AI-stack key format and per place, and a negative corpus that stays clean
(issue 20 §3). The corpus is generated (tests/secrets/ai_corpus.py); the rates are exact, so a
change to the detectors that loses or gains a key shows here. `-s` prints the table that
docs/secrets.md records."""
from __future__ import annotations

import pytest

from policypack.secrets.ai_formats import FORMATS as CATALOGUE

from .ai_corpus import FORMATS, NAMINGS, NEGATIVES, PLACES, detection, negatives_flagged, table

# Under a credential-like name that names no vendor (API_KEY), only the entropy rule speaks
# for an unprefixed key: these are its measured rates outside stack config (where the name
# alone fails a plaintext value). Hex and UUID keys look like digests and ids to it.
GENERIC_RATES = {
    "Cohere key": 0.96, "Mistral key": 0.92, "DeepSeek key": 0.56, "Together AI key (64 hex)": 0.0,
    "Weights & Biases key (40 hex)": 0.0, "Datadog API key (32 hex)": 1.0, "Pinecone legacy key (UUID)": 0.0,
}


def _expected(fmt, place, naming):
    if fmt.prefixed or naming == "vendor":
        return 1.0
    if naming == "neutral":
        return 0.0
    return 1.0 if place[0] == "stack config" else GENERIC_RATES[fmt.name]


CASES = [(f, p, n) for f in FORMATS for p in PLACES for n in NAMINGS]


@pytest.mark.parametrize("fmt,place,naming", CASES, ids=[f"{f.name}-{p[0]}-{n}" for f, p, n in CASES])
def test_detection_rate(fmt, place, naming):
    assert detection(fmt, place, naming) == _expected(fmt, place, naming)


@pytest.mark.parametrize("place", PLACES, ids=[p[0] for p in PLACES])
def test_the_negative_corpus_stays_clean(place):
    assert negatives_flagged(place) == []


def test_every_catalogued_format_is_in_the_corpus():
    labels = {f.label for f in CATALOGUE}
    prefixed = [f for f in FORMATS if f.prefixed]
    assert len(prefixed) == len(labels) == len(CATALOGUE)


def test_the_negatives_cover_what_the_issue_names():
    values = " ".join(v for _, v in NEGATIVES)
    for shape in ("arn:aws:", "sha256:", "anthropic.claude-3-5-sonnet-20240620-v1:0", "gpt-4o-mini",
                  "meta-llama/Llama-3.1-8B-Instruct", "s3://"):
        assert shape in values


def test_print_the_table(capsys):
    text = table()
    with capsys.disabled():
        print("\n" + text)
    assert text.count("\n") == len(FORMATS) + 2
