"""``python -m scoring.definitions PATH...``: check questionnaire files without the app.

Prints each problem as ``path:line:column: message``, then a count; exits 1
if there were problems and 0 if not. Folders are checked file by file.
"""

from __future__ import annotations

import argparse
import sys

from scoring.definitions.checking import check_report
from scoring.definitions.schema import write_schema


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scoring.definitions",
        description="Check questionnaire files (see questionnaires/README.md) and list every problem.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="a questionnaire file, or a folder of them")
    parser.add_argument(
        "--write-schema",
        action="store_true",
        help="regenerate questionnaires/questionnaire.schema.json from the loader's spec, then check any PATHs",
    )
    args = parser.parse_args(argv)
    if args.write_schema:
        print(f"wrote {write_schema()}")
        if not args.paths:
            return 0
    elif not args.paths:
        parser.error("give at least one questionnaire file or folder to check")
    # Messages quote the files' own text; never let an unusual character end the run with a traceback.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    lines, status = check_report(args.paths)
    for line in lines:
        print(line)
    return status


if __name__ == "__main__":
    sys.exit(main())
