"""What every keyguard command shares: its exit codes, the one-line usage error, and writing
a report whole or not at all, never over what it reports on."""
from __future__ import annotations

import os
import tempfile
from typing import IO, Any, Callable, Optional, Sequence, Union

# A report's text, or a function that writes it piece by piece through the function it is given.
Text = Union[str, Callable[[Callable[[str], Any]], None]]

EXIT_OK, EXIT_VIOLATIONS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """Bad usage or input; str(e) is the one line the user sees."""


def write_atomically(path: str, text: Text) -> None:
    """Write `path` whole or not at all: a temp file beside it, then one rename."""
    produce = text if callable(text) else (lambda out: out(text))
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise UsageError(f"output directory does not exist: {directory}")
    if os.path.isdir(path):
        raise UsageError(f"output path is a directory: {path}")
    if os.path.exists(path) and not os.path.isfile(path):
        # A device or pipe (/dev/null, /dev/stdout, a FIFO a CI step reads): renaming over it
        # would replace it with a regular file, so it is written in place.
        with open(path, "w", encoding="utf-8") as fh:
            produce(fh.write)
        return
    fd, tmp = tempfile.mkstemp(prefix=".keyguard-", suffix=".tmp", dir=directory)
    try:
        # mkstemp makes the file 0600; a report is for sharing (CI artefacts, served HTML),
        # so it gets the mode an ordinary write would: the existing file's, else 0666 minus umask.
        try:
            mode = os.stat(path).st_mode & 0o7777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            produce(fh.write)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def emit(text: Text, output: Optional[str], stdout: IO[str]) -> None:
    if output:
        write_atomically(output, text)
    elif callable(text):
        text(stdout.write)
    else:
        stdout.write(text)


def refuse_output_over_input(output: Optional[str], inputs: Sequence[str]) -> None:
    """The report must never replace what it reports on: an output that is one of the
    input files, by the same name, a symbolic link or a hard link, is refused."""
    if not output or not os.path.exists(output):
        return  # a file that does not exist yet is no input
    for path in inputs:
        if os.path.isfile(path) and os.path.samefile(path, output):
            raise UsageError(f"output {output} is the input {path}; choose another output file")
