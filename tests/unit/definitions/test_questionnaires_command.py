"""``flask questionnaires check`` and ``diff``, run through click without an app."""

from __future__ import annotations

from click.testing import CliRunner

from audit_app.commands.questionnaires import questionnaires

from .helpers import VALID, edit


def run(*args: str):
    return CliRunner().invoke(questionnaires, list(args), catch_exceptions=False)


def test_check_without_paths_checks_the_shipped_questionnaires() -> None:
    result = run("check")
    assert result.exit_code == 0, result.output
    assert result.output.endswith("files, no problems\n")


def test_check_lists_problems_and_fails(tmp_path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(edit(VALID, "weight: 0.5", "weight: -1"), encoding="utf-8")
    result = run("check", str(path))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}:50:17: weight must be a positive number, got -1",
        "1 problem in 1 file",
    ]


def test_diff_prints_what_changed_between_two_versions(tmp_path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(VALID, encoding="utf-8")
    new.write_text(edit(VALID, "- id: policy.notes", "- id: policy.anything-else"), encoding="utf-8")
    result = run("diff", str(old), str(new))
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "Comparing test-standards 2025.1 with test-standards 2025.1",
        "Questions added (1):",
        "  + policy.anything-else",
        "Questions removed (1):",
        "  - policy.notes",
    ]


def test_diff_of_a_broken_file_lists_its_problems_and_fails(tmp_path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(VALID, encoding="utf-8")
    result = CliRunner().invoke(questionnaires, ["diff", str(old), str(tmp_path / "missing.yaml")])
    assert result.exit_code == 1
    assert f"{tmp_path / 'missing.yaml'}:1:1: no such file or folder" in result.output
    assert "Fix the problems above before comparing." in result.output
