import re
from pathlib import Path

import pytest

from audit_app.config import ConfigurationError, config_from_env


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(ConfigurationError, match="SECRET_KEY is not set"):
        config_from_env({"AUDIT_ENV": "production", "DATABASE_URL": "postgresql+psycopg://x@y/z"}, tmp_path)


def test_production_refuses_to_start_without_a_database_url(tmp_path):
    with pytest.raises(ConfigurationError, match="DATABASE_URL is not set"):
        config_from_env({"AUDIT_ENV": "production", "SECRET_KEY": "s" * 64}, tmp_path)


def test_production_takes_everything_from_the_environment(tmp_path):
    config = config_from_env(
        {
            "AUDIT_ENV": "production",
            "SECRET_KEY": "k" * 64,
            "DATABASE_URL": "postgresql+psycopg://audit@db/audit",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "SMTP_HOST": "smtp.example.org",
            "SMTP_PORT": "2525",
            "EVIDENCE_DIR": "/srv/evidence",
            "IMPORTS_DIR": "/srv/imports",
            "MAX_IMPORT_MB": "120",
        },
        tmp_path,
    )
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://audit@db/audit"
    assert config["SMTP_PORT"] == 2525
    assert config["EVIDENCE_DIR"] == "/srv/evidence"
    assert config["IMPORTS_DIR"] == "/srv/imports"
    assert config["MAX_IMPORT_MB"] == 120
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True


def test_development_defaults_to_embedded_sqlite_and_keeps_its_secret(tmp_path):
    first = config_from_env({}, tmp_path)
    second = config_from_env({}, tmp_path)
    assert first["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'audit.db'}"
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert len(first["SECRET_KEY"]) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_unknown_environment_name_is_refused(tmp_path):
    with pytest.raises(ConfigurationError, match="AUDIT_ENV must be one of"):
        config_from_env({"AUDIT_ENV": "staging"}, tmp_path)


def test_a_number_setting_that_is_not_a_number_is_named(tmp_path):
    with pytest.raises(ConfigurationError, match="SMTP_PORT must be a whole number, got 'twenty-five'"):
        config_from_env({"SMTP_PORT": "twenty-five"}, tmp_path)


def test_files_are_kept_in_the_instance_folder_unless_told_otherwise(tmp_path):
    config = config_from_env({"AUDIT_ENV": "test"}, tmp_path)
    assert config["EVIDENCE_DIR"] == str(tmp_path / "evidence")
    assert config["IMPORTS_DIR"] == str(tmp_path / "imports")
    assert config["MAX_IMPORT_MB"] == 200


ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_read_from_the_environment_is_documented_in_env_example():
    source = (ROOT / "audit_app" / "config.py").read_text()
    read = set(re.findall(r'environ(?:\.get)?\(\s*"([A-Z_]+)"', source))
    read |= set(re.findall(r'_(?:int|rate_limit)\(environ, "([A-Z_]+)"', source))
    assert {"IMPORTS_DIR", "EVIDENCE_DIR", "MAX_IMPORT_MB", "TRUSTED_PROXIES"} <= read
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert sorted(read - documented) == []
