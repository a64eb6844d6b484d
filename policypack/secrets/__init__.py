"""One notion of *secret material*, shared by every rule that looks for leaks.

A value is secret material when it equals or embeds (inside a URL, JSON, or a
longer string) a secret-bearing attribute of a resource in the same stack, or
when it has the shape of a well-known credential, or when it is a random-looking
value under a secret-like name. ARNs, UUIDs, hex digests and URLs without
credentials are not.
"""
from .catalogue import (CONDITIONS, SECRET_ATTRIBUTES, UNMARKED_SECRET_OUTPUTS, holds_secret,
                        secret_like_name)
from .formats import credential_shape, is_public_shape, looks_random
from .index import Match, SecretIndex, Source, find, secret_bearing, stack_secrets
from .state import listed_secret_outputs

__all__ = [
    "CONDITIONS", "SECRET_ATTRIBUTES", "UNMARKED_SECRET_OUTPUTS", "holds_secret", "secret_like_name",
    "credential_shape", "is_public_shape", "looks_random",
    "Match", "SecretIndex", "Source", "find", "secret_bearing", "stack_secrets",
    "listed_secret_outputs",
]
