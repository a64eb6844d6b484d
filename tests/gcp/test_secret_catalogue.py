"""The Google block of the secret catalogue against the installed pulumi-gcp SDK: every output it
marks secret is catalogued, every catalogued property exists, and the unmarked ones are unmarked."""
import importlib.util
from pathlib import Path

import pytest

from policypack.secrets import SECRET_ATTRIBUTES, UNMARKED_SECRET_OUTPUTS, holds_secret
from policypack.secrets.catalogue import NOT_SECRET_MATERIAL
from policypack.tokens import gcp

from .sdk import resource_class as _resource_source
from .sdk import _snake

# The SDK scan is tests/secrets/test_catalogue.py's (one reader of pulumi's sources), loaded by path.
_spec = importlib.util.spec_from_file_location(
    "keyguard_aws_secret_catalogue", Path(__file__).resolve().parents[1] / "secrets" / "test_catalogue.py")
_aws = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_aws)
_every_marked_secret_output, _marked_secret = _aws._every_marked_secret_output, _aws._marked_secret


# pulumi-gcp marks the label maps of labelled resources secret (they copy the provider's
# default labels, which may be); they are labels, judged where they flow, not credentials.
_LABELS = ("effectiveLabels", "pulumiLabels")

GCP_ATTRS = [(t, p) for t, props in SECRET_ATTRIBUTES.items() if t.startswith("gcp:") for p in props]


@pytest.fixture(scope="module")
def marked():
    return _every_marked_secret_output("gcp")


@pytest.mark.parametrize("token,prop", GCP_ATTRS, ids=[f"{t}.{p}" for t, p in GCP_ATTRS])
def test_secret_attribute_exists(token, prop):
    assert hasattr(_resource_source(token), _snake(prop)), f"{token} has no output {prop}"


def test_every_output_pulumi_gcp_marks_secret_is_catalogued(marked):
    assert len(marked) > 40  # the scan found them (pulumi-gcp 10.2 marks about 50 besides labels)
    missing = sorted(f"{t}.{p}" for t, p in marked
                     if p not in _LABELS and not p.endswith("Wo")
                     and p not in SECRET_ATTRIBUTES.get(t, ()) and (t, p) not in NOT_SECRET_MATERIAL)
    assert missing == [], "add these to the Google block of SECRET_ATTRIBUTES (or, with a reason, NOT_SECRET_MATERIAL)"


def test_google_not_secret_material_entries_are_still_marked(marked):
    google = {(t, p) for t, p in NOT_SECRET_MATERIAL if t.startswith("gcp:")}
    assert sorted(google - marked) == []


def test_the_api_key_string_and_secret_data_are_marked_and_catalogued(marked):
    assert (gcp.API_KEY, "keyString") in marked and SECRET_ATTRIBUTES[gcp.API_KEY] == ("keyString",)
    assert (gcp.SECRET_VERSION, "secretData") in marked
    assert (gcp.SERVICE_ACCOUNT_KEY, "privateKey") in marked
    assert holds_secret(gcp.API_KEY, "keyString", {}) is True


def test_the_unmarked_google_outputs_are_what_the_sdk_leaves_unmarked(marked):
    google = [(t, p) for t, entries in UNMARKED_SECRET_OUTPUTS.items() if t.startswith("gcp:") for p, _ in entries]
    assert len(google) == 8
    for t, p in google:
        assert hasattr(_resource_source(t), _snake(p))
        assert p not in _marked_secret(_resource_source(t)) and (t, p) not in marked
