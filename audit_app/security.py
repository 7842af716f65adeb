"""Security around every request: session lifetime, rate limits and response headers.

What each part answers to in OWASP ASVS 4.0.3 (level 2) is cited beside it;
docs/security.md sums it up. Sessions are Flask's signed cookies, so the limits
on a session's life are enforced here, on the server, from timestamps written
into the cookie at sign-in and on each request: a browser cannot extend them.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
import time
from collections.abc import Callable
from datetime import timedelta
from tempfile import SpooledTemporaryFile

from flask import Flask, Request, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_limiter import Limiter, RateLimitExceeded
from flask_login import current_user, login_user, logout_user
from werkzeug.datastructures import MultiDict
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.utils import cached_property
from werkzeug.wrappers import Response

from .data import people
from .models import User


def _client_address() -> str:
    return request.remote_addr or "unknown"


limiter = Limiter(key_func=_client_address)

# Session keys. Flask-Login keeps its own (_user_id and so on) beside these.
_SIGNED_IN_AT = "signed_in_at"
_LAST_SEEN = "last_seen"
_SECOND_STEP_DONE = "second_step_done"
_AWAITING = "awaiting_second_step"  # {"user": "<id>:<session version>", "since": seconds, "next": path}

# Time allowed between a right password and the code (or enrolment) that completes it.
SECOND_STEP_MINUTES = 15

# Requests that are never turned away for an old session: files, and signing out.
_NO_SESSION_CHECK = {"static", "auth.sign_out"}


# --- Starting and ending sessions ---------------------------------------------------------


def start_session(user: User, second_step_done: bool) -> None:
    """Sign ``user`` in with a fresh session: nothing from before survives (ASVS 3.2.1)."""
    session.clear()
    login_user(user)
    now = time.time()
    session[_SIGNED_IN_AT] = now
    session[_LAST_SEEN] = now
    session[_SECOND_STEP_DONE] = second_step_done


def await_second_step(user: User, next_path: str | None) -> None:
    """The password was right; hold the person at the second step, signed in to nothing."""
    waiting = {"user": user.get_id(), "since": time.time(), "next": next_path}
    logout_user()
    session.clear()
    session[_AWAITING] = waiting


def awaiting_user() -> User | None:
    """The person at the second step, if the password step is recent and still valid.

    The session version travels with the id, so resetting the person's password
    or two-factor meanwhile ends the wait as well.
    """
    waiting = session.get(_AWAITING)
    if not waiting or time.time() - waiting["since"] > SECOND_STEP_MINUTES * 60:
        return None
    return people.load_signed_in_user(waiting["user"])


def is_awaiting_second_step() -> bool:
    return _AWAITING in session


def page_after_second_step() -> str | None:
    waiting = session.get(_AWAITING) or {}
    return waiting.get("next")


def second_step_done() -> bool:
    return bool(session.get(_SECOND_STEP_DONE))


def end_session() -> None:
    logout_user()
    session.clear()


# --- Session lifetime (ASVS 3.3.1, 3.3.2) ------------------------------------------------


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _expired_because(now: float) -> str | None:
    config = current_app.config
    hours, minutes = config["SESSION_HOURS"], config["SESSION_IDLE_MINUTES"]
    if now - session.get(_SIGNED_IN_AT, 0) > hours * 3600:
        return f"you signed in more than {_plural(hours, 'hour')} ago"
    if now - session.get(_LAST_SEEN, 0) > minutes * 60:
        return f"you had not used the service for {_plural(minutes, 'minute')}"
    return None


def _return_path() -> str | None:
    """Where to go after signing in again: this page, if it can be opened with GET."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    if request.url_rule is not None and "GET" in (request.url_rule.methods or ()):
        return request.path
    return None


def _enforce_session_lifetime() -> Response | None:
    if request.endpoint in _NO_SESSION_CHECK:
        return None
    now = time.time()
    if is_awaiting_second_step() and now - session[_AWAITING]["since"] > SECOND_STEP_MINUTES * 60:
        end_session()
        flash(
            f"More than {_plural(SECOND_STEP_MINUTES, 'minute')} passed after you entered your "
            "password, so you need to sign in again.",
            "info",
        )
        return redirect(url_for("auth.sign_in"))
    if not current_user.is_authenticated:
        return None
    reason = _expired_because(now)
    if reason is None:
        session[_LAST_SEEN] = now
        return None
    sent_changes = request.method not in ("GET", "HEAD")
    if sent_changes and request.endpoint == "auth.sign_in":
        # Signing in again from an old tab: the old session just ends (its CSRF
        # token is kept, as the form being sent was made with it).
        logout_user()
        return None
    next_path = _return_path()
    end_session()
    message = f"You were signed out because {reason}."
    if sent_changes:
        message += " Your changes were not saved."
    flash(message, "info")
    return redirect(url_for("auth.sign_in", next=next_path) if next_path else url_for("auth.sign_in"))


# --- Rate limits (ASVS 2.2.1, 11.1.4) ----------------------------------------------------


def _per_address() -> str:
    return current_app.config["RATE_LIMIT_PER_ADDRESS"]


def _per_account() -> str:
    return current_app.config["RATE_LIMIT_PER_ACCOUNT"]


def submitted_email_key() -> str:
    """The email typed into the form, hashed so the limiter's store holds no addresses."""
    email = people.normalise_email(request.form.get("email", ""))
    return "email:" + hashlib.sha256(email.encode()).hexdigest()


def awaiting_account_key() -> str:
    waiting = session.get(_AWAITING) or {}
    return "account:" + str(waiting.get("user", "none")).partition(":")[0]


def lockout_settings() -> tuple[int, timedelta]:
    """Wrong passwords or codes in a row that lock an account, and for how long (ASVS 2.2.1)."""
    config = current_app.config
    return config["SIGN_IN_LOCKOUT_ATTEMPTS"], timedelta(minutes=config["SIGN_IN_LOCKOUT_MINUTES"])


def _form_came_back(response: Response) -> bool:
    """A refused attempt: the form is shown again (200) rather than moving on (302)."""
    return response.status_code == 200


def limit_attempts(account_key: Callable[[], str], failures_only: bool = True) -> Callable:
    """Limit a form's POSTs per client address and per account.

    With ``failures_only``, only refused attempts count, so that a busy school
    behind one address is not stopped by its own successful sign-ins.
    """
    deduct_when = _form_came_back if failures_only else None

    def decorate(view: Callable) -> Callable:
        per_account = limiter.limit(
            _per_account, key_func=account_key, methods=["POST"], deduct_when=deduct_when
        )
        per_address = limiter.limit(
            _per_address, key_func=_client_address, methods=["POST"], deduct_when=deduct_when
        )
        return per_address(per_account(view))

    return decorate


def _signed_in_person_key() -> str:
    return "person:" + str(current_user.get_id())


def _invitation_sent(response: Response) -> bool:
    return response.status_code == 302


def limit_invitations(view: Callable) -> Callable:
    """Count the invitations each signed-in person sends; refused forms do not count."""
    return limiter.limit(
        lambda: current_app.config["INVITATIONS_PER_PERSON"],
        key_func=_signed_in_person_key,
        methods=["POST"],
        deduct_when=_invitation_sent,
    )(view)


def _too_many_attempts(error: RateLimitExceeded):
    seconds = error.limit.limit.get_expiry()
    wait = _plural(max(1, math.ceil(seconds / 60)), "minute")
    page = render_template(
        "errors/error.html",
        heading="Too many attempts",
        paragraphs=[
            "You have tried this too many times in a short time.",
            f"Wait {wait}, then try again.",
        ],
    )
    return page, 429, {"Retry-After": str(seconds)}


# --- Input no page can use (ASVS 5.1.4) ---------------------------------------------------


# Characters no one types and no page can show: NUL and the other control characters
# (tab and line breaks aside), and Unicode's noncharacters. They arrive pasted from other
# programs (a vertical tab from a word processor). PostgreSQL cannot store a NUL in text
# (a 500), and a page showing any of them again is not valid HTML; so they are taken out
# of form fields and the query string before any view reads them.
_UNSHOWABLE = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
    + "]"
)


def _showable(values: MultiDict) -> MultiDict:
    return type(values)(
        (_UNSHOWABLE.sub("", key), _UNSHOWABLE.sub("", value)) for key, value in values.items(multi=True)
    )


class _CappedSpool(SpooledTemporaryFile):
    """An uploaded file's store that keeps its first ``cap + 1`` bytes and drops the rest.

    One byte over the cap is kept so that the size check still sees a file too large.
    """

    def __init__(self, cap: int) -> None:
        super().__init__(max_size=500 * 1024, mode="w+b")
        self._room = cap + 1

    def write(self, data) -> int:
        kept = bytes(data[: max(self._room, 0)])
        self._room -= len(kept)
        if kept:
            super().write(kept)
        return len(data)


class CheckedRequest(Request):
    """A request whose form fields and query string hold only characters a page can show.

    Form fields are cleaned when a view first reads them, not before: the register
    imports raise the upload limit before anything reads the body.

    A view that sets ``file_cap`` (bytes) before reading the body has each uploaded
    file cut short just past it, so an oversize file costs no disk and the rest of
    the form is still read: the view refuses the file and keeps every answer.
    """

    file_cap: int | None = None

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        if self.file_cap is None:
            return super()._get_file_stream(total_content_length, content_type, filename, content_length)
        return _CappedSpool(self.file_cap)

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _showable(self.__dict__["form"])

    @cached_property
    def args(self) -> MultiDict:
        return _showable(super().args)


# --- Response headers (ASVS 14.4, 3.4, 8.2.1) --------------------------------------------


def csp_nonce() -> str:
    """This request's nonce for the inline script GOV.UK Frontend's template needs."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def content_security_policy(nonce: str) -> str:
    """No inline script but the one carrying the nonce, no inline style, nothing framing us."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ]
    )


def _add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = content_security_policy(csp_nonce())
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    # Addresses here name returns and organisations: tell no other site.
    headers["Referrer-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if current_app.config["AUDIT_ENV"] == "production":
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if request.endpoint != "static":
        # Pages hold safeguarding information and forms hold CSRF tokens: keep
        # them out of shared and back-button caches (ASVS 8.2.1).
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Bind the limiter, the session checks and the headers to ``app``.

    Call it before the access rules are set up, so that an expired session is
    ended before anything reads who is signed in.
    """
    app.request_class = CheckedRequest
    if app.config["TRUSTED_PROXIES"]:
        count = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    # Should Redis be unreachable, count in this process's memory meanwhile, and
    # never turn a sign-in into an error page because the counter failed.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, _too_many_attempts)
    app.add_template_global(csp_nonce)
    app.before_request(_enforce_session_lifetime)
    app.after_request(_add_security_headers)
