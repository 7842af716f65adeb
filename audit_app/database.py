"""Database settings that SQLAlchemy cannot express in a URL."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

_listening = False


def _configure_sqlite(dbapi_connection, connection_record) -> None:
    # SQLite leaves foreign keys off unless asked on every connection, and its
    # default rollback journal lets a reader block a writer: WAL avoids that.
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def init_app(app: Flask) -> None:
    global _listening
    if not _listening:
        event.listen(Engine, "connect", _configure_sqlite)
        _listening = True
