"""The `meute` command.

`meute relevance|schedule|plan|replan|link …` run the engine on files
and need no database; every other sub-command is a Django management command
(`meute migrate`, `meute demo_load`, `meute runserver` …).
"""

from __future__ import annotations

import os
import sys

ENGINE_COMMANDS = {"relevance", "schedule", "plan", "replan", "team", "link"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ENGINE_COMMANDS:
        from meute.engine.cli import main as engine_main

        return engine_main(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meute.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["meute", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
