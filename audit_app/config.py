"""Configuration, read from environment variables only.

Every setting is documented in .env.example at the root of the project.
``AUDIT_ENV`` chooses the defaults: ``development`` (the embedded SQLite demo),
``test`` or ``production``. Production refuses to start without a
``SECRET_KEY`` of its own.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path

ENVIRONMENTS = ("development", "test", "production")


class ConfigurationError(RuntimeError):
    """The environment does not describe a working installation."""


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "")
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a whole number, got {raw!r}") from exc


def _development_secret(instance_path: Path) -> str:
    """A key kept in the instance folder, so that restarting the demo keeps people signed in."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def config_from_env(environ: Mapping[str, str], instance_path: Path) -> dict[str, object]:
    """Build the Flask configuration mapping from the environment."""
    env = environ.get("AUDIT_ENV", "development").strip() or "development"
    if env not in ENVIRONMENTS:
        raise ConfigurationError(f"AUDIT_ENV must be one of {', '.join(ENVIRONMENTS)}, got {env!r}")
    production = env == "production"

    secret_key = environ.get("SECRET_KEY", "")
    if not secret_key:
        if production:
            raise ConfigurationError(
                "SECRET_KEY is not set. Production needs a long random secret of its own, "
                "for example the output of: python -c 'import secrets; print(secrets.token_hex(32))'"
            )
        secret_key = _development_secret(instance_path) if env == "development" else secrets.token_hex(32)

    database_url = environ.get("DATABASE_URL", "")
    if not database_url:
        if production:
            raise ConfigurationError("DATABASE_URL is not set; production uses PostgreSQL.")
        database_url = f"sqlite:///{instance_path / 'audit.db'}"

    evidence_dir = environ.get("EVIDENCE_DIR", "") or str(instance_path / "evidence")

    return {
        "AUDIT_ENV": env,
        "TESTING": env == "test",
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": environ.get("REDIS_URL", ""),
        "EVIDENCE_DIR": evidence_dir,
        "EXTERNAL_URL": environ.get("EXTERNAL_URL", "http://127.0.0.1:5000").rstrip("/"),
        "SMTP_HOST": environ.get("SMTP_HOST", ""),
        "SMTP_PORT": _int(environ, "SMTP_PORT", 587),
        "SMTP_USERNAME": environ.get("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": environ.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _flag(environ.get("SMTP_STARTTLS"), True),
        "SMTP_FROM": environ.get("SMTP_FROM", "safeguarding-audit@localhost"),
        "PASSWORD_RESET_HOURS": _int(environ, "PASSWORD_RESET_HOURS", 2),
        "SESSION_COOKIE_SECURE": _flag(environ.get("SESSION_COOKIE_SECURE"), production),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": _int(environ, "SESSION_HOURS", 12) * 3600,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "MAX_CONTENT_LENGTH": _int(environ, "MAX_UPLOAD_MB", 25) * 1024 * 1024,
        "TEMPLATES_AUTO_RELOAD": env == "development",
    }
