"""The `keyguard` command: `scan` inputs into a report, list `rules`.

Exit codes: 0 no mandatory violation; 1 mandatory violations or an expired
waiver; 2 bad input or usage, always as one `keyguard: error: ...` line on
stderr and never a traceback, and never a half-written output file.
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from typing import IO, TYPE_CHECKING, Any, Callable, Iterator, List, NoReturn, Optional, Sequence, Set, Tuple, Type

from .command import EXIT_ERROR, EXIT_OK, EXIT_VIOLATIONS, UsageError, emit, refuse_output_over_input

if TYPE_CHECKING:
    from .inputs.program import ProgramOptions

class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse would print the usage block too: one line is the contract
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="keyguard", description="Guardrails for API keys and secrets on AWS, Azure and Google Cloud: scan Pulumi stacks.")
    sub = p.add_subparsers(dest="command", metavar="{scan,rules,access,diff}", parser_class=_Parser)
    s = sub.add_parser("scan", help="evaluate stack exports, event logs or program directories")
    s.add_argument("paths", nargs="+", metavar="PATH",
                   help="a `pulumi stack export` file, a Pulumi event log, a directory with a Pulumi.yaml, "
                        "a Pulumi.<stack>.yaml file (its config alone), or - for standard input")
    from .report import FORMATS  # the report formats' registry, so a new format shows in --help

    s.add_argument("--format", default="table", help=f"one of {', '.join(FORMATS)} (default: table)")
    s.add_argument("--output", metavar="FILE", help="write the report here instead of stdout")
    s.add_argument("--config", metavar="FILE",
                   help="a --policy-pack-config JSON file: policy levels and properties (not the program's "
                        "stack config; see --stack and --set)")
    s.add_argument("--waivers", metavar="FILE", help="a YAML list of waivers")
    s.add_argument("--framework", metavar="KEY", help="per-control coverage for one framework")
    s.add_argument("--stack", metavar="NAME",
                   help="for a program directory: read its stack config from Pulumi.NAME.yaml "
                        "(secure: values are unknown secrets) and judge only that stack file "
                        "(default: every Pulumi.*.yaml)")
    s.add_argument("--set", metavar="KEY=VALUE", action="append", default=[], dest="set_values",
                   help="for a program directory: a stack config value (repeatable; overrides --stack)")
    s.add_argument("--install", action="store_true",
                   help="for a program directory: run it in a virtualenv of its own requirements.txt, built "
                        "once and cached by their hash (KEYGUARD_CACHE_DIR)")
    s.add_argument("--timeout", metavar="SECONDS", type=_seconds, default=None,
                   help="for a program directory: end the program and all it started after this long "
                        "(default: 120)")
    r = sub.add_parser("rules", help="list the policies with their levels, severity and controls")
    r.add_argument("--framework", metavar="KEY")
    r.add_argument("--coverage", action="store_true",
                   help="with --framework: every control in scope and whether keyguard checks it fully, in part "
                        "(what is missing) or not (why)")
    r.add_argument("--service", metavar="NAME")
    r.add_argument("--severity", metavar="LEVEL")
    r.add_argument("--format", default="table", help="table (default), json or markdown")
    from .access.cli import add_access, add_diff

    add_access(sub)
    add_diff(sub)
    return p


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 86400:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 86400 seconds: {text!r}")
    return value


def _program_options(args: argparse.Namespace, programs: Sequence[str]) -> Optional[ProgramOptions]:
    """--stack, --set and --timeout, for `programs`, the program directories among the inputs
    (checked whatever the inputs; None when there is no program to run, which spares importing
    the program runner)."""
    values = []
    for item in args.set_values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set needs KEY=VALUE, got {item!r}")
        values.append((key.strip(), value))
    if args.stack is not None and (not args.stack or "/" in args.stack or os.sep in args.stack):
        raise UsageError(f"--stack needs a stack name, got {args.stack!r}")
    if not programs:
        return None
    from .inputs.program import DEFAULT_TIMEOUT, ProgramOptions

    return ProgramOptions(stack=args.stack, values=tuple(values),
                          timeout=DEFAULT_TIMEOUT if args.timeout is None else args.timeout,
                          install=args.install)


def _check_framework(key: Optional[str]) -> None:
    from .frameworks import FRAMEWORKS

    if key is not None and key not in FRAMEWORKS:
        raise UsageError(f"unknown framework {key!r} (choose from {', '.join(FRAMEWORKS)})")


def cmd_scan(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from . import waivers as waiver_mod
    from .config import load_file, resolve
    from .inputs.detect import STDIN
    from .registry import BY_NAME, RULES
    from .report import FORMATS, write
    from .gcpause import paused_gc, paused_unless_programs
    from .scan import scan

    if args.format not in FORMATS:
        raise UsageError(f"unknown format {args.format!r} (available: {', '.join(FORMATS)})")
    _check_framework(args.framework)
    settings = resolve(RULES, load_file(args.config) if args.config else None)
    waivers: List[Any] = [w for s in settings.values() for w in s.waivers]
    if args.waivers:
        waivers += waiver_mod.load_file(args.waivers, known_policies=BY_NAME)
    if args.paths.count(STDIN) > 1:
        raise UsageError("standard input (-) can be scanned only once")
    for path in args.paths:  # fail fast on a missing input before spending time on the others
        if path != STDIN and not os.path.exists(path):
            raise UsageError(f"input not found: {path}")
    refuse_output_over_input(args.output, [p for p in args.paths if p != STDIN])
    # The same file named twice (overlapping globs) would count every finding twice.
    seen: Set[str] = set()
    paths = []
    for p in args.paths:
        real = os.path.realpath(p) if p != STDIN else STDIN
        if real not in seen:
            seen.add(real)
            paths.append(p)
    programs = [p for p in paths if p != STDIN and os.path.isdir(p)]
    # A scan of files makes no reference cycles worth collecting before the process ends, and
    # each collection between the paused phases (see gcpause) walked everything decoded so
    # far: 12 ms of a 1,000-resource scan, 50 ms of a 10,000-resource one. A program's run
    # under mocks keeps the collector (asyncio makes cycles).
    with paused_unless_programs(programs), _kept_for_the_process():
        done = scan(paths, settings, waivers, framework=args.framework, progress=stderr,
                    program=_program_options(args, programs))

        def produce(out: Callable[[str], Any]) -> None:
            with paused_gc():
                write(args.format, done.report, out)
        emit(produce, args.output, stdout)
    for w in done.expired:
        stderr.write(f"keyguard: expired waiver: {w.describe()} expired on {w.expires.isoformat()}\n")
    return EXIT_VIOLATIONS if done.failed else EXIT_OK


def cmd_rules(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
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
    if args.coverage:
        from . import coverage_listing

        if not args.framework:
            raise UsageError("--coverage needs --framework KEY")
        if args.service is not None or args.severity is not None:
            # A control's coverage counts every policy mapped to it; a filtered list would understate it.
            raise UsageError("--coverage lists whole framework versions; drop --service and --severity")
        stdout.write(coverage_listing.render(args.format, args.framework, RULES))
        return EXIT_OK
    stdout.write(render(args.format, select(RULES, args.framework, args.service, args.severity)))
    return EXIT_OK


# True in the `keyguard` process itself (`main`); False when `run` is called in-process.
_OWN_PROCESS = False


@contextlib.contextmanager
def _kept_for_the_process() -> Iterator[None]:
    """In the `keyguard` process, what the block made lives until the process ends (modules and
    rules at start-up; a file scan's results and report): `gc.freeze` leaves it out of the
    cyclic collector's walks, the one when the block's pause ends (5 ms at 1,000 resources,
    50 ms at 10,000) and finalization's. An in-process caller's objects are left alone."""
    yield
    if _OWN_PROCESS:
        gc.freeze()


def _one_line(text: object) -> str:
    return " ".join(str(text).split()) or "unexpected error"


def run(argv: Optional[Sequence[str]] = None, stdout: Optional[IO[str]] = None,
        stderr: Optional[IO[str]] = None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    # The input errors' classes are imported lazily (below), so the handler cannot name them
    # before they exist: an import that fails first (a broken install) must still end in one
    # line, not in an UnboundLocalError raised from the `except` clause itself.
    input_errors: Tuple[Type[Exception], ...] = (UsageError,)
    try:
        from .gcpause import paused_gc

        # Start-up builds tens of thousands of objects that live as long as the process
        # (modules, classes, functions, the rules): with the cyclic collector on, each
        # collection their allocations trip walks them all and frees nothing (about 10 ms
        # of a small scan). It is back on before any command runs.
        with paused_gc(), _kept_for_the_process():
            from .config import ConfigError
            from .inputs import InputError
            from .waivers import WaiverError

            input_errors = (UsageError, ConfigError, InputError, WaiverError)
            args = _parser().parse_args(argv)
            if args.command is None:
                raise UsageError("a command is required: scan, rules, access or diff (see keyguard --help)")
            from .access.cli import cmd_access, cmd_diff

            if args.command in ("scan", "rules"):
                from . import registry  # noqa: F401 - the rules, which both commands read

        handler = {"scan": cmd_scan, "rules": cmd_rules, "access": cmd_access, "diff": cmd_diff}[args.command]
        return handler(args, stdout, stderr)
    except SystemExit as e:  # --help and --version exit through argparse
        return e.code if isinstance(e.code, int) else EXIT_ERROR
    except KeyboardInterrupt:
        stderr.write("keyguard: error: interrupted\n")
        return EXIT_ERROR
    except input_errors as e:
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
    global _OWN_PROCESS
    _OWN_PROCESS = True
    try:
        return run(argv)
    finally:
        _OWN_PROCESS = False


if __name__ == "__main__":
    sys.exit(main())
