"""Checking files and folders, and ``python -m scoring.definitions``."""

from __future__ import annotations

import subprocess
import sys

from scoring.definitions import Problem, check_paths
from scoring.definitions.__main__ import main

from .helpers import FILES, REPO, VALID, edit


def write(folder, name: str, text: str):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_problem_prints_as_path_line_column_message() -> None:
    assert str(Problem("questionnaires/x.yaml", 42, 9, "weight must be a positive number, got -1")) == (
        "questionnaires/x.yaml:42:9: weight must be a positive number, got -1"
    )


def test_a_folder_is_checked_file_by_file_yaml_and_yml_alike(tmp_path) -> None:
    write(tmp_path, "good.yaml", VALID)
    write(
        tmp_path,
        "bad.yml",
        edit(edit(VALID, "weight: 0.5", "weight: -1"), 'version: "2025.1"', 'version: "2"'),
    )
    write(tmp_path, "notes.txt", "not a questionnaire")
    problems = check_paths([tmp_path])
    assert [(problem.path, problem.message) for problem in problems] == [
        (str(tmp_path / "bad.yml"), "weight must be a positive number, got -1"),
    ]


def test_two_files_with_the_same_id_and_version_are_a_problem_in_the_second(tmp_path) -> None:
    write(tmp_path, "a.yaml", VALID)
    write(tmp_path, "b.yaml", VALID)
    write(tmp_path, "c.yaml", edit(VALID, 'version: "2025.1"', 'version: "2026.1"'))
    assert [str(problem) for problem in check_paths([tmp_path])] == [
        f"{tmp_path / 'b.yaml'}:2:10: questionnaire 'test-standards' version '2025.1' is also defined in "
        f"{tmp_path / 'a.yaml'} (line 2): give this file a new version",
    ]


def test_a_file_named_twice_is_checked_once(tmp_path) -> None:
    path = write(tmp_path, "a.yaml", VALID)
    assert check_paths([path, tmp_path, str(path)]) == []


def test_a_missing_path_and_a_folder_without_questionnaires_are_problems(tmp_path) -> None:
    (tmp_path / "empty").mkdir()
    problems = check_paths([tmp_path / "nowhere.yaml", tmp_path / "empty"])
    assert sorted(problem.message for problem in problems) == [
        "no questionnaire files (*.yaml or *.yml) in this folder",
        "no such file or folder",
    ]


def test_the_bad_file_fixtures_each_give_problems_and_none_crash() -> None:
    problems = check_paths([FILES])
    assert {problem.path for problem in problems} == {str(path) for path in FILES.glob("*.yaml")}
    assert all(problem.line >= 1 and problem.column >= 1 for problem in problems)


def test_the_command_prints_each_problem_then_a_count_and_exits_1(tmp_path, capsys) -> None:
    bad = write(
        tmp_path, "bad.yaml", edit(edit(VALID, "weight: 0.5", "weight: -1"), "colour: amber", "colour: pink")
    )
    write(tmp_path, "good.yaml", edit(VALID, "id: test-standards", "id: other-standards"))
    assert main([str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{bad}:11:77: colour must be one of green, amber, red; got 'pink'",
        f"{bad}:50:17: weight must be a positive number, got -1",
        "2 problems in 1 file",
    ]


def test_the_command_says_no_problems_and_exits_0(tmp_path, capsys) -> None:
    write(tmp_path, "a.yaml", VALID)
    write(tmp_path, "b.yaml", edit(VALID, "id: test-standards", "id: other-standards"))
    assert main([str(tmp_path)]) == 0
    assert capsys.readouterr().out == "2 files, no problems\n"


def test_the_module_runs_from_the_command_line_without_a_traceback_on_any_input(tmp_path) -> None:
    write(tmp_path, "valid.yaml", VALID)
    (tmp_path / "junk.yaml").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "empty.yml").write_bytes(b"")
    (tmp_path / "no-yaml-here").mkdir()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scoring.definitions",
            str(tmp_path),
            str(tmp_path / "no-yaml-here"),
            "missing.yaml",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[-1] == "4 problems in 4 files"
    assert [line.split(":")[0] for line in lines[:-1]] == [
        str(tmp_path / "no-yaml-here"),
        str(tmp_path / "empty.yml"),
        str(tmp_path / "junk.yaml"),
        "missing.yaml",
    ]
