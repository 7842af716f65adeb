from pathlib import Path

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "questionnaires"


def test_flask_questionnaires_check_passes_the_shipped_files(runner):
    result = runner.invoke(args=["questionnaires", "check", str(QUESTIONNAIRES)])
    assert result.exit_code == 0, result.output
    assert "4 files, no problems" in result.output


def test_flask_questionnaires_check_names_file_line_and_column(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        (QUESTIONNAIRES / "s11-8-standards-2025.1.yaml").read_text().replace("weight: 2", "weight: -2", 1)
    )
    result = runner.invoke(args=["questionnaires", "check", str(bad)])
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    path, line, column, message = first.split(":", 3)
    assert path == str(bad)
    assert int(line) > 1 and int(column) >= 1
    assert "weight must be a positive number, got -2" in message
