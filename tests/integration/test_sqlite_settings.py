"""The embedded SQLite database runs in WAL mode with foreign keys enforced, on every connection the app opens.

WAL lets respondents read while someone else saves; without ``foreign_keys`` SQLite
would silently accept an answer for a return that does not exist.
"""

import pytest
from sqlalchemy import text

from audit_app.extensions import db

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


def pragmas(connection) -> tuple[str, int, int]:
    journal = connection.execute(text("PRAGMA journal_mode")).scalar()
    foreign_keys = connection.execute(text("PRAGMA foreign_keys")).scalar()
    busy_timeout = connection.execute(text("PRAGMA busy_timeout")).scalar()
    return journal, foreign_keys, busy_timeout


def test_a_connection_from_the_apps_engine_is_in_wal_mode_with_foreign_keys_on(app):
    with db.engine.connect() as connection:
        assert pragmas(connection) == ("wal", 1, 5000)


def test_every_pooled_connection_is_configured_not_only_the_first(app):
    first, second = db.engine.connect(), db.engine.connect()
    try:
        assert pragmas(first) == pragmas(second) == ("wal", 1, 5000)
    finally:
        first.close()
        second.close()


def test_the_request_session_sees_the_same_settings(app):
    assert pragmas(db.session.connection()) == ("wal", 1, 5000)


def test_a_row_pointing_at_nothing_is_refused(app):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        db.session.execute(
            text("INSERT INTO answer (return_id, question_id, copied_forward) VALUES (999999, 'q', 0)")
        )
    db.session.rollback()
