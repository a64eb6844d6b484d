"""The `keyguard` command: `scan` inputs into a report, list `rules`.

Exit codes: 0 no mandatory violation; 1 mandatory violations or an expired
waiver; 2 bad input or usage, always as one `keyguard: error: ...` line on
stderr and never a traceback, and never a half-written output file.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from typing import IO, List, Optional, Sequence

EXIT_OK, EXIT_VIOLATIONS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """Bad usage or input; str(e) is the one line the user sees."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would print the usage block too: one line is the contract
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="keyguard", description="Guardrails for API keys and secrets on AWS: scan Pulumi stacks.")
    sub = p.add_subparsers(dest="command", metavar="{scan,rules}", parser_class=_Parser)
    s = sub.add_parser("scan", help="evaluate stack exports, event logs or program directories")
    s.add_argument("paths", nargs="+", metavar="PATH",
                   help="a `pulumi stack export` file, a Pulumi event log, a directory with a Pulumi.yaml, "
                        "or - for standard input")
    from .report import FORMATS  # what is installed now, not a fixed list

    s.add_argument("--format", default="table", help=f"one of {', '.join(FORMATS)} (default: table)")
    s.add_argument("--output", metavar="FILE", help="write the report here instead of stdout")
    s.add_argument("--config", metavar="FILE", help="a --policy-pack-config JSON file")
    s.add_argument("--waivers", metavar="FILE", help="a YAML list of waivers")
    s.add_argument("--framework", metavar="KEY", help="per-control coverage for one framework")
    r = sub.add_parser("rules", help="list the policies with their levels, severity and controls")
    r.add_argument("--framework", metavar="KEY")
    r.add_argument("--service", metavar="NAME")
    r.add_argument("--severity", metavar="LEVEL")
    r.add_argument("--format", default="table", help="table (default), json or markdown")
    return p


def write_atomically(path: str, text: str) -> None:
    """Write `path` whole or not at all: a temp file beside it, then one rename."""
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise UsageError(f"output directory does not exist: {directory}")
    if os.path.isdir(path):
        raise UsageError(f"output path is a directory: {path}")
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
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _check_framework(key: Optional[str]) -> None:
    from .frameworks import FRAMEWORKS

    if key is not None and key not in FRAMEWORKS:
        raise UsageError(f"unknown framework {key!r} (choose from {', '.join(FRAMEWORKS)})")


def _emit(text: str, output: Optional[str], stdout: IO) -> None:
    if output:
        write_atomically(output, text)
    else:
        stdout.write(text)


def _refuse_output_over_input(output: Optional[str], inputs: Sequence[str]) -> None:
    """The report must never replace what it reports on: an output that is one of the
    input files, by the same name, a symbolic link or a hard link, is refused."""
    if not output or not os.path.exists(output):
        return  # a file that does not exist yet is no input
    for path in inputs:
        if os.path.isfile(path) and os.path.samefile(path, output):
            raise UsageError(f"output {output} is the input {path}; choose another output file")


def cmd_scan(args, stdout: IO, stderr: IO) -> int:
    from . import waivers as waiver_mod
    from .config import load_file, resolve
    from .evaluate import mandatory_violations
    from .inputs.detect import STDIN, is_large, results_for
    from .progress import track
    from .registry import BY_NAME, RULES
    from .report import FORMATS, build, render

    if args.format not in FORMATS:
        raise UsageError(f"unknown format {args.format!r} (available: {', '.join(FORMATS)})")
    _check_framework(args.framework)
    settings = resolve(RULES, load_file(args.config) if args.config else None)
    waivers: List = [w for s in settings.values() for w in s.waivers]
    if args.waivers:
        waivers += waiver_mod.load_file(args.waivers, known_policies=BY_NAME)
    if args.paths.count(STDIN) > 1:
        raise UsageError("standard input (-) can be scanned only once")
    for path in args.paths:  # fail fast on a missing input before spending time on the others
        if path != STDIN and not os.path.exists(path):
            raise UsageError(f"input not found: {path}")
    _refuse_output_over_input(args.output, [p for p in args.paths if p != STDIN])
    # The same file named twice (overlapping globs) would count every finding twice.
    seen: set = set()
    paths = []
    for p in args.paths:
        real = os.path.realpath(p) if p != STDIN else STDIN
        if real not in seen:
            seen.add(real)
            paths.append(p)
    results = []
    input_notes: List = []
    large = any(is_large(p) for p in paths)
    for path in track(paths, stderr, large=large):
        results.extend(results_for(path, RULES, settings, input_notes))
    applied = waiver_mod.apply(results, waivers)
    report = build(applied.results, sources=paths, framework=args.framework, notes=input_notes + applied.notes())
    _emit(render(args.format, report), args.output, stdout)
    for w in applied.expired:
        stderr.write(f"keyguard: expired waiver: {w.describe()} expired on {w.expires.isoformat()}\n")
    if applied.expired or mandatory_violations(applied.results):
        return EXIT_VIOLATIONS
    return EXIT_OK


def cmd_rules(args, stdout: IO, stderr: IO) -> int:
    from .registry import RULES
    from .rule_listing import LISTING_FORMATS, render, select, services
    from .rules.base import SEVERITIES

    if args.format not in LISTING_FORMATS:
        raise UsageError(f"unknown format {args.format!r} for rules (available: {', '.join(LISTING_FORMATS)})")
    _check_framework(args.framework)
    if args.severity is not None and args.severity not in SEVERITIES:
        raise UsageError(f"unknown severity {args.severity!r} (choose from {', '.join(SEVERITIES)})")
    known = sorted({svc for rule in RULES for svc in services(rule)})
    if args.service is not None and args.service.lower() not in known:
        # A typo would otherwise list no policies, which reads as "nothing covers this service".
        raise UsageError(f"unknown service {args.service!r} (choose from {', '.join(known)})")
    stdout.write(render(args.format, select(RULES, args.framework, args.service, args.severity)))
    return EXIT_OK


def _one_line(text: str) -> str:
    return " ".join(str(text).split()) or "unexpected error"


def run(argv: Optional[Sequence[str]] = None, stdout: IO = None, stderr: IO = None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        from .config import ConfigError
        from .inputs import InputError
        from .waivers import WaiverError

        args = _parser().parse_args(argv)
        if args.command is None:
            raise UsageError("a command is required: scan or rules (see keyguard --help)")
        handler = cmd_scan if args.command == "scan" else cmd_rules
        return handler(args, stdout, stderr)
    except SystemExit as e:  # --help and --version exit through argparse
        return e.code if isinstance(e.code, int) else EXIT_ERROR
    except KeyboardInterrupt:
        stderr.write("keyguard: error: interrupted\n")
        return EXIT_ERROR
    except (UsageError, ConfigError, InputError, WaiverError) as e:
        stderr.write(f"keyguard: error: {_one_line(e)}\n")
        return EXIT_ERROR
    except OSError as e:
        where = f" {e.filename}" if getattr(e, "filename", None) else ""
        stderr.write(f"keyguard: error: {_one_line(e.strerror or e)}{where}\n")
        return EXIT_ERROR
    except Exception as e:  # noqa: BLE001 - the contract is one line, never a traceback
        stderr.write(f"keyguard: error: internal error: {type(e).__name__}: {_one_line(e)}\n")
        return EXIT_ERROR


def main(argv: Optional[Sequence[str]] = None) -> int:
    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
