"""The questionnaire files a new cycle can use: the YAML files shipped in questionnaires/."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import current_app

from scoring.definitions import QuestionnaireError, parse_questionnaire
from scoring.definitions.loader import read_text

from ..data.cycles import QuestionnaireFile


def folder() -> Path:
    configured = current_app.config.get("QUESTIONNAIRES_DIR")
    return Path(configured) if configured else Path(current_app.root_path).parent / "questionnaires"


@lru_cache(maxsize=64)
def _load(path: str, modified_ns: int) -> QuestionnaireFile | None:
    # Keyed by modification time, so an edited file is read again. The file is read once:
    # the text a cycle stores is the very text that was parsed, even if the file is being
    # edited at that moment.
    text, problems = read_text(path)
    try:
        if text is None:
            raise QuestionnaireError(problems)
        questionnaire = parse_questionnaire(text, path)
    except QuestionnaireError as exc:
        current_app.logger.warning("questionnaire %s is not offered: %s", path, exc)
        return None
    return QuestionnaireFile(Path(path).name, questionnaire, text)


def shipped() -> list[QuestionnaireFile]:
    """Every valid questionnaire file, by title then file name."""
    files = []
    for path in sorted(folder().glob("*.yaml")):
        loaded = _load(str(path), path.stat().st_mtime_ns)
        if loaded is not None:
            files.append(loaded)
    return sorted(files, key=lambda f: (f.questionnaire.title, f.file_name))
