"""Google credential formats: each recognised where it appears, and look-alikes left alone."""
import base64
import json

import pytest

from policypack.examples import GCP_API_KEY_STRING, GCP_OAUTH_CLIENT_SECRET
from policypack.secrets import credential_shape

_SA = json.dumps({"type": "service_account", "project_id": "acme-ai-prod", "private_key_id": "0" * 40,
                  "private_key": "<redacted in this test>", "client_email": "api@acme-ai-prod.iam.gserviceaccount.com"},
                 indent=2)


@pytest.mark.parametrize("text,shape", [
    (GCP_API_KEY_STRING, "a Google API key"),
    (f"https://generativelanguage.googleapis.com/v1beta/models?key={GCP_API_KEY_STRING}", "a Google API key"),
    (GCP_OAUTH_CLIENT_SECRET, "a Google OAuth client secret"),
    (json.dumps({"web": {"client_id": "1-x.apps.googleusercontent.com", "client_secret": GCP_OAUTH_CLIENT_SECRET}}),
     "a Google OAuth client secret"),
    ("Bearer ya29.a0AfH6SMBx3kQ9vT4yW7zB1nC3dF5gH6", "a Google OAuth access token"),
    (_SA, "a Google service account key"),
    # gcp.serviceaccount.Key.privateKey: the key file, base64-encoded.
    (base64.b64encode(_SA.encode()).decode(), "a Google service account key"),
])
def test_recognised(text, shape):
    assert credential_shape(text) == shape


@pytest.mark.parametrize("text", [
    GCP_API_KEY_STRING[:-1],                      # one character short
    GCP_API_KEY_STRING + "x",                     # part of a longer token
    "AIzaSy-is-how-every-google-api-key-starts",  # prose: 41 characters, not 39
    "GOCSPX-short",
    json.dumps({"type": "service_account", "client_email": "a@b.iam.gserviceaccount.com"}),  # no private key
    "projects/acme-ai-prod/secrets/gemini-api-key/versions/latest",
])
def test_look_alikes_pass(text):
    assert credential_shape(text) is None
