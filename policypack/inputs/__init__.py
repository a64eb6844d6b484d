"""What the scanner reads: stack exports, event logs, and programs run under mocks."""


class InputError(Exception):
    """Input that cannot be used. str(e) is the one line shown to the user (exit 2)."""
