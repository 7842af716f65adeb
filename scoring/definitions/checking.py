"""Checking many questionnaire files at once, as CI and the command line do."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from scoring.definitions.loader import analyse, read_text
from scoring.definitions.problems import Problem, quote

PathArg = str | os.PathLike[str]


def expand_paths(paths: Iterable[PathArg]) -> tuple[list[str], list[Problem]]:
    """The files to check: folders give their ``*.yaml`` and ``*.yml`` files, sorted.

    Each file is listed once however often it is named. A folder with no
    questionnaire files is a problem, so a mistyped folder cannot pass silently.
    """
    files: list[str] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for path in paths:
        name = os.fspath(path)
        if os.path.isdir(name):
            try:
                found = sorted(
                    str(Path(name) / entry)
                    for entry in os.listdir(name)
                    if entry.endswith((".yaml", ".yml")) and os.path.isfile(os.path.join(name, entry))
                )
            except OSError as error:
                problems.append(Problem(name, 1, 1, f"cannot list this folder: {error.strerror or error}"))
                continue
            if not found:
                problems.append(
                    Problem(name, 1, 1, "no questionnaire files (*.yaml or *.yml) in this folder")
                )
        else:
            found = [name]
        for file in found:
            key = os.path.realpath(file) if "\0" not in file else file
            if key not in seen:
                seen.add(key)
                files.append(file)
    return files, problems


def check_paths(paths: Iterable[PathArg]) -> list[Problem]:
    """Every problem in every file named (folders expand to their YAML files).

    Besides each file's own problems, two files defining the same questionnaire
    id and version is a problem, reported on the later file.
    """
    files, problems = expand_paths(paths)
    return problems + _check_files(files)


def _check_files(files: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    first_defined: dict[tuple[str, str], tuple[str, int]] = {}
    for file in files:
        text, read_problems = read_text(file)
        if text is None:
            problems.extend(read_problems)
            continue
        analysis = analyse(text, file)
        problems.extend(analysis.problems)
        tree = analysis.tree
        if tree is None or "id" not in tree or "version" not in tree:
            continue
        key = (tree["id"], tree["version"])
        if key in first_defined:
            other, line = first_defined[key]
            problems.append(
                Problem(
                    file,
                    *tree.at("version"),
                    f"questionnaire {quote(key[0])} version {quote(key[1])} is also defined in {other} "
                    f"(line {line}): give this file a new version",
                )
            )
        else:
            first_defined[key] = (file, tree.at("version")[0])
    return problems


def check_report(paths: Iterable[PathArg]) -> tuple[list[str], int]:
    """The lines a command prints for a check of ``paths``, and its exit status (0 clean, 1 not)."""
    paths = list(paths)
    files, _ = expand_paths(paths)
    problems = check_paths(paths)
    lines = [str(problem) for problem in problems]
    if not problems:
        return [*lines, f"{_count(len(files), 'file')}, no problems"], 0
    with_problems = len({problem.path for problem in problems})
    return [*lines, f"{_count(len(problems), 'problem')} in {_count(with_problems, 'file')}"], 1


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
