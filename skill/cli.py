"""`band-coach`: one console script, one subcommand per job.

Each subcommand lives in `skill.commands.<name>` with `configure(parser)` and `run(args) -> int`,
imported only when chosen so that `band-coach program` never loads the web or AWS stacks.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

COMMANDS = {
    "chat": "talk to the coach from this terminal (the guided workout, on the embedded store)",
    "history": "every workout done so far, with the totals (this machine's user by default)",
    "models": "write every locale's interaction model from the grammar in interaction_models",
    "program": "print the progression a user would follow, workout by workout",
    "serve": "run the skill as a web service for Alexa (Flask)",
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="band-coach", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    chosen = argv[0] if argv and argv[0] in COMMANDS else None
    for name, summary in COMMANDS.items():
        sub = subparsers.add_parser(name, help=summary, description=summary)
        if name == chosen:
            importlib.import_module(f"skill.commands.{name}").configure(sub)
    args = parser.parse_args(argv)
    module = importlib.import_module(f"skill.commands.{args.command}")
    try:
        return int(module.run(args))
    except BrokenPipeError:
        # The reader went away (`band-coach program | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
