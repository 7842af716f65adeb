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

from limits import parse as parse_limit

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


def _rate_limit(environ: Mapping[str, str], name: str, default: str) -> str:
    """A limit such as "10/15minutes", checked now rather than failing at the first sign-in."""
    raw = environ.get(name, "").strip() or default
    try:
        parse_limit(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a rate such as 10/15minutes, got {raw!r}") from exc
    return raw


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
    # Checked register files wait here between the dry run and the apply, which may run
    # on another app server or on a worker: with several machines, a shared folder.
    imports_dir = environ.get("IMPORTS_DIR", "") or str(instance_path / "imports")

    return {
        "AUDIT_ENV": env,
        "TESTING": env == "test",
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": environ.get("REDIS_URL", ""),
        "EVIDENCE_DIR": evidence_dir,
        "IMPORTS_DIR": imports_dir,
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
        # Server-side limits on a signed-in session (audit_app/security.py): signed out
        # after this long without a request, and this long after signing in, whatever.
        "SESSION_IDLE_MINUTES": _int(environ, "SESSION_IDLE_MINUTES", 30),
        "SESSION_HOURS": _int(environ, "SESSION_HOURS", 12),
        # Wrong passwords or codes in a row before an account is locked, and for how long.
        "SIGN_IN_LOCKOUT_ATTEMPTS": _int(environ, "SIGN_IN_LOCKOUT_ATTEMPTS", 5),
        "SIGN_IN_LOCKOUT_MINUTES": _int(environ, "SIGN_IN_LOCKOUT_MINUTES", 15),
        # Counted separately on the sign-in, two-factor code and password reset forms:
        # refused attempts (every request, for password resets) from one IP address,
        # and for one email address or account.
        "RATE_LIMIT_PER_ADDRESS": _rate_limit(environ, "RATE_LIMIT_PER_ADDRESS", "50/15minutes"),
        "RATE_LIMIT_PER_ACCOUNT": _rate_limit(environ, "RATE_LIMIT_PER_ACCOUNT", "10/15minutes"),
        # Invitations one person may email to colleagues (so the form cannot be used to send mail at will).
        "INVITATIONS_PER_PERSON": _rate_limit(environ, "INVITATIONS_PER_PERSON", "30/day"),
        # Counts shared by every app server when Redis is there; per process otherwise.
        "RATELIMIT_STORAGE_URI": environ.get("REDIS_URL", "") or "memory://",
        # How many reverse proxies sit in front of the app, so that the client's own
        # address (X-Forwarded-For) is the one rate limits count, not the proxy's.
        "TRUSTED_PROXIES": _int(environ, "TRUSTED_PROXIES", 0),
        # A running background job that reports no progress for this long has stopped
        # (its worker died): it is marked failed and can be started again (audit_app/jobs.py).
        "JOB_STALE_MINUTES": _int(environ, "JOB_STALE_MINUTES", 30),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "MAX_CONTENT_LENGTH": _int(environ, "MAX_UPLOAD_MB", 100) * 1024 * 1024,
        # The register import pages only: GIAS publishes one national file of about 64 MB.
        "MAX_IMPORT_MB": _int(environ, "MAX_IMPORT_MB", 200),
        "TEMPLATES_AUTO_RELOAD": env == "development",
    }
