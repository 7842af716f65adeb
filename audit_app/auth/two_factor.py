"""The second step of signing in: a code from an authenticator app (ASVS 2.7, 2.8).

Admins and reviewers (audit_app/data/people.py, TWO_FACTOR_ROLES) give one
after their password. The first time, they set up an app here; a copy of the
secret is shown only on that page and only until it is confirmed.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from .. import mail, security
from ..access import awaiting_second_step
from ..data import outbox, people
from ..extensions import db
from ..models import MessageStage, User
from ..security import awaiting_account_key, limit_attempts, lockout_settings
from . import bp, totp
from .forms import CodeForm

WRONG_CODE = "The code is not right. Enter the code your authenticator app shows now"
USED_CODE = "That code has already been used. Wait for your app to show a new code, then enter it"


def _refusal(user: User, code: str) -> str | None:
    """Why the code is refused, or None if it is accepted (and can never be used again)."""
    step = totp.matching_step(user.totp_secret, code)
    if step is None:
        return WRONG_CODE
    if not people.spend_two_factor_step(user, step):
        return USED_CODE
    return None


def _finish_signing_in(user: User, message: str | None = None):
    next_path = security.page_after_second_step()
    people.record_sign_in(user)
    security.start_session(user, second_step_done=True)
    if message:
        flash(message, "success")
    return redirect(next_path or url_for("auth.index"))


@bp.route("/sign-in/two-factor", methods=["GET", "POST"])
@awaiting_second_step
@limit_attempts(awaiting_account_key)
def two_factor(user: User):
    if user.totp_confirmed_at is None:
        return redirect(url_for("auth.set_up_two_factor"))
    form = CodeForm()
    if form.validate_on_submit():
        refusal = _refusal(user, form.code.data)
        if refusal is None:
            return _finish_signing_in(user)
        # A wrong code counts towards locking the account, as a wrong password does.
        if people.record_failed_sign_in(user, *lockout_settings()):
            security.end_session()
            flash("You entered too many wrong codes, so you need to wait before you sign in again.", "info")
            return redirect(url_for("auth.sign_in"))
        form.code.errors.append(refusal)
    return render_template("auth/two_factor.html", form=form)


@bp.route("/sign-in/set-up-two-factor", methods=["GET", "POST"])
@awaiting_second_step
@limit_attempts(awaiting_account_key)
def set_up_two_factor(user: User):
    if user.totp_confirmed_at is not None:
        return redirect(url_for("auth.two_factor"))
    secret = people.start_two_factor(user, totp.new_secret())
    form = CodeForm()
    if form.validate_on_submit():
        # Wrong codes here do not count towards a lockout: the person is copying
        # a secret they can see, and the rate limit still applies.
        refusal = _refusal(user, form.code.data)
        if refusal is None:
            people.confirm_two_factor(user)
            _tell_the_account_holder(user)
            return _finish_signing_in(
                user,
                "Two-factor authentication is set up. You will need a code from your app each time you sign in.",
            )
        form.code.errors.append(refusal)
    uri = totp.provisioning_uri(secret, user.email)
    return render_template(
        "auth/set_up_two_factor.html",
        form=form,
        user=user,
        secret=totp.grouped(secret),
        uri=uri,
        qr_code=totp.qr_code_data_uri(uri),
    )


def _tell_the_account_holder(user: User) -> None:
    """An email after the sign-in details change, in case it was not them (ASVS 2.2.3)."""
    message = outbox.queue_message(
        key=f"two-factor-set-up:{user.id}:{user.totp_confirmed_at.isoformat()}",
        stage=MessageStage.ACCOUNT,
        to=user.email,
        subject="Two-factor authentication was set up for your safeguarding self-audit account",
        body=render_template("auth/two_factor_email.txt", user=user),
    )
    db.session.commit()
    mail.deliver(message)
