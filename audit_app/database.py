"""Database settings that SQLAlchemy cannot express in a URL."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter

# The largest id an integer column holds on PostgreSQL. A larger one in an address would
# make PostgreSQL refuse the query (a 500); such a record cannot exist, so it is not found.
LARGEST_ID = 2**31 - 1

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


def id_from(text: str | None) -> int | None:
    """The whole number written in ``text`` if an id column could hold it, else None.

    ``str.isdigit`` alone also accepts digits such as "²", which ``int`` refuses.
    """
    if not text or not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if number <= LARGEST_ID else None


class DatabaseId(IntegerConverter):
    """``<int:…>`` in every route: a whole number no larger than an id column holds."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Call before any blueprint is registered, so that every route's ids use DatabaseId."""
    app.url_map.converters["int"] = DatabaseId
    global _listening
    if not _listening:
        event.listen(Engine, "connect", _configure_sqlite)
        _listening = True
