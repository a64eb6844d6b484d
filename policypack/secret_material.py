"""The secret-material detector's historical import path; it lives in `policypack.secrets`."""
from .secrets import *  # noqa: F401,F403
from .secrets import __all__  # noqa: F401
