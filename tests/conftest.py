"""Fixtures shared by the integration and browser tests.

Integration tests run twice: on SQLite and on a real PostgreSQL that this run
starts itself. The PostgreSQL run is required: if the server cannot start, the
tests fail rather than skip. Set TEST_POSTGRES_URL to use a server of your own.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import flask_migrate
import psycopg
import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import text

from audit_app import create_app
from audit_app.extensions import db

from .support.client import CheckedClient
from .support.postgres import PostgresUnavailable, start_postgres

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "audit_app" / "migrations")

# Property tests must give the same verdict on every run and on a slow, shared machine:
# examples are derived from each test's name, and no check depends on wall-clock time.
settings.register_profile(
    "stable",
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
settings.load_profile("stable")


@dataclass(frozen=True)
class TestDatabase:
    backend: str
    url: str


@pytest.fixture(scope="session")
def postgres_url():
    external = os.environ.get("TEST_POSTGRES_URL")
    if external:
        yield external
        return
    try:
        server = start_postgres()
    except PostgresUnavailable as exc:
        pytest.fail(f"PostgreSQL could not start, and the PostgreSQL run is required: {exc}")
    yield server.url
    server.stop()


def _fresh_postgres_database(server_url: str, name: str) -> str:
    plain = server_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"


def config_for(url: str, tmp_path: Path) -> dict[str, object]:
    return {
        "AUDIT_ENV": "test",
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": url,
        "EVIDENCE_DIR": str(tmp_path / "evidence"),
        "EXTERNAL_URL": "http://audit.test",
        "SMTP_HOST": "",
    }


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database(request, tmp_path_factory) -> TestDatabase:
    """A database migrated to the newest revision, once per backend per run.

    For SQLite this is a template file that each test copies; PostgreSQL is
    emptied after each test instead.
    """
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'template.db'}"
    else:
        url = _fresh_postgres_database(request.getfixturevalue("postgres_url"), "audit_test")
    app = create_app(config_for(url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS)
        db.engine.dispose()
    return TestDatabase(request.param, url)


def _empty_postgres_tables() -> None:
    # The audit trail refuses TRUNCATE as it refuses deletes; between tests (the tests connect
    # as a superuser) the database's replica mode sets its ordinary triggers aside.
    names = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
    db.session.execute(text("SET LOCAL session_replication_role = replica"))
    db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture
def app(database, tmp_path):
    url = database.url
    if database.backend == "sqlite":
        template = Path(url.removeprefix("sqlite:///"))
        copy = tmp_path / "audit.db"
        shutil.copyfile(template, copy)
        url = f"sqlite:///{copy}"
    app = create_app(config_for(url, tmp_path))
    app.test_client_class = CheckedClient
    with app.app_context():
        yield app
        db.session.remove()
        if database.backend == "postgresql":
            _empty_postgres_tables()
        db.engine.dispose()


@pytest.fixture
def client(app) -> CheckedClient:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
