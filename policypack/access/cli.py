"""`keyguard access` and `keyguard diff`: argument handling and exit codes (see policypack/cli.py)."""
from __future__ import annotations

import argparse
from typing import IO, Any

from .. import clock
from ..gcpause import paused_unless_programs
from .render import FORMATS


def add_access(sub: Any) -> None:
    a = sub.add_parser("access", help="who can read each secret, SecureString parameter and KMS key")
    a.add_argument("path", metavar="PATH", help="a stack export, an event log, a program directory, "
                                               "`pulumi preview --json` output, or - for standard input")
    a.add_argument("--secret", metavar="NAME_OR_ARN", help="only this secret, parameter or key")
    a.add_argument("--format", default="table", help=f"one of {', '.join(FORMATS)} (default: table)")
    a.add_argument("--output", metavar="FILE", help="write here instead of stdout")


def cmd_access(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from ..command import EXIT_OK, UsageError, emit, refuse_output_over_input
    from . import load, reach, render

    if args.format not in FORMATS:
        raise UsageError(f"unknown format {args.format!r} for access (available: {', '.join(FORMATS)})")
    refuse_output_over_input(args.output, [args.path])
    with paused_unless_programs([args.path]):
        stack, _ = load.read(args.path)
        access = reach.analyse(stack, clock.today(), only=args.secret)
        if args.secret is not None and not access.targets:
            raise UsageError(f"no secret, SecureString parameter or KMS key named {args.secret!r} in {args.path}")
        emit(render.render(args.format, reach.readers_json(access)), args.output, stdout)
    return EXIT_OK


def add_diff(sub: Any) -> None:
    from .render import DIFF_FORMATS

    d = sub.add_parser("diff", help="the access a change adds: new readers of secrets, decrypt, IAM "
                                    "permissions management, escalation")
    d.add_argument("paths", nargs="+", metavar="PATH",
                   help="BASE HEAD (stack exports or programs), or one `pulumi preview --json` file; with "
                        "--documents, OLD NEW policy documents")
    d.add_argument("--documents", action="store_true", help="compare two IAM policy documents (CheckNoNewAccess)")
    d.add_argument("--policy-type", default="identity", help="identity (default) or resource, with --documents")
    d.add_argument("--format", default="table", help=f"one of {', '.join(DIFF_FORMATS)} (default: table)")
    d.add_argument("--output", metavar="FILE", help="write here instead of stdout")
    d.add_argument("--fail-on", default="read", help="read (default: new read of a secret or decrypt on a key), "
                                                     "any, or none")


def cmd_diff(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from ..command import UsageError, refuse_output_over_input
    from . import diff as diff_mod

    if args.documents:
        from .documents import cmd_documents

        return cmd_documents(args, stdout)
    if args.format not in diff_mod.FORMATS:
        raise UsageError(f"unknown format {args.format!r} for diff (available: {', '.join(diff_mod.FORMATS)})")
    if args.fail_on not in ("read", "any", "none"):
        raise UsageError(f"--fail-on must be read, any or none, got {args.fail_on!r}")
    refuse_output_over_input(args.output, args.paths)
    with paused_unless_programs(args.paths):
        return _diff(args, stdout)


def _diff(args: argparse.Namespace, stdout: IO[str]) -> int:
    from ..command import EXIT_OK, EXIT_VIOLATIONS, UsageError, emit
    from . import diff as diff_mod
    from . import load

    if len(args.paths) == 1:
        pair = load.preview_pair(args.paths[0])
        if pair is None:
            raise UsageError(f"{args.paths[0]} alone must be `pulumi preview --json` output; "
                             "otherwise give BASE and HEAD")
        base, head = pair
    elif len(args.paths) == 2:
        base, _ = load.read(args.paths[0], side=load.BEFORE)
        head, _ = load.read(args.paths[1], side=load.AFTER)
    else:
        raise UsageError("diff takes BASE HEAD, or one `pulumi preview --json` file")
    d = diff_mod.diff(base, head, clock.today())
    emit(lambda out: diff_mod.write(args.format, d, out), args.output, stdout)
    return EXIT_VIOLATIONS if d.fails(args.fail_on) else EXIT_OK
