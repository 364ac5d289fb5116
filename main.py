"""Frontline entry point: no arguments -> the desktop app; a subcommand -> the CLI.

The CLI never imports Qt. Each package registers its own subcommands (`register(subparsers)`)
and imports its heavy dependencies inside the handlers, so `main.py --help` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from typing import NoReturn

COMMAND_MODULES = (
    "library.cli",
    "library.cli_governance",
    "search.cli",
    "exporters.cli",
    "library.cli_sync",
)

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2 (argparse prints usage too)
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="frontline",
        description="Frontline: an offline library of approved sales content. "
        "Run without a command to open the desktop app.",
    )
    parser.add_argument(
        "--library",
        metavar="PATH",
        help="library folder (default: user data folder or $FRONTLINE_LIBRARY)",
    )
    parser.add_argument(
        "--screenshot", metavar="FILE.png", help="render the main window to a PNG and exit"
    )
    parser.add_argument("--query", metavar="TEXT", help="with --screenshot: search this first")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name == name:  # that package has no CLI (yet)
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if args.command is None:
        from ui.launch import launch

        return launch(args)

    from library.errors import InvalidInput, LibraryError, NotFound

    try:
        return int(args.func(args) or 0)
    except (InvalidInput, NotFound) as e:
        print(f"frontline {args.command}: {e}", file=sys.stderr)
        return EXIT_USAGE
    except LibraryError as e:
        print(f"frontline {args.command}: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("Interrupted; everything committed so far is kept.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
