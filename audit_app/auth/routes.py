from datetime import timedelta

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user

from .. import mail, security
from ..access import home_endpoint, public, signed_in
from ..data import outbox, people, tokens
from ..extensions import db
from ..models import MessageStage, TokenPurpose
from ..security import limit_attempts, lockout_settings, submitted_email_key
from . import bp
from .forms import ChoosePartnershipForm, ForgotPasswordForm, ResetPasswordForm, SignInForm


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths, so a crafted link cannot send someone elsewhere after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@bp.route("/")
@public
def index():
    if not current_user.is_authenticated:
        if security.is_awaiting_second_step():
            return redirect(url_for("auth.two_factor"))
        return redirect(url_for("auth.sign_in"))
    if g.partnership is None:
        return redirect(url_for("auth.choose_partnership"))
    endpoint = home_endpoint(g.roles)
    if endpoint is None:
        return render_template("auth/no_roles.html")
    return redirect(url_for(endpoint))


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@limit_attempts(submitted_email_key)
def sign_in():
    form = SignInForm()
    if form.validate_on_submit():
        user = people.authenticate(form.email.data, form.password.data, *lockout_settings())
        if user is not None:
            next_path = _safe_next(request.args.get("next"))
            if people.needs_two_factor(user):
                security.await_second_step(user, next_path)
                return redirect(url_for("auth.two_factor"))
            people.record_sign_in(user)
            security.start_session(user, second_step_done=False)
            return redirect(next_path or url_for("auth.index"))
        # The same words whether the email is unknown, the password wrong or the
        # account locked, so that no one can learn which accounts exist (ASVS 2.2.1).
        form.email.errors.append("Enter a correct email address and password")
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@public
def sign_out():
    if current_user.is_authenticated:
        # Sessions are cookies: a copy taken before signing out would otherwise
        # still work. A new session version ends every copy (ASVS 3.3.1).
        people.end_all_sessions(current_user)
    security.end_session()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@public
@limit_attempts(submitted_email_key, failures_only=False)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = people.get_user_by_email(form.email.data)
        if user is not None and user.active:
            hours = current_app.config["PASSWORD_RESET_HOURS"]
            secret, record = tokens.issue_token(
                TokenPurpose.PASSWORD_RESET, user.email, timedelta(hours=hours), user=user
            )
            link = current_app.config["EXTERNAL_URL"] + url_for("auth.reset_password", token=secret)
            message = outbox.queue_message(
                key=f"password-reset:{record.id}",
                stage=MessageStage.ACCOUNT,
                to=user.email,
                subject="Reset your password for the safeguarding self-audit",
                body=render_template("auth/reset_email.txt", user=user, link=link, hours=hours),
            )
            db.session.commit()
            mail.deliver(message)
        # Say the same whether or not the account exists.
        return redirect(url_for("auth.check_email"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/forgot-password/sent")
@public
def check_email():
    return render_template("auth/check_email.html")


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    record = tokens.find_live_token(TokenPurpose.PASSWORD_RESET, token)
    if record is None or record.user is None:
        return render_template("auth/link_expired.html"), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        if not tokens.spend_token(record):
            db.session.rollback()
            return render_template("auth/link_expired.html"), 410
        people.set_password(record.user, form.password.data)
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form, user=record.user)


@bp.route("/partnership", methods=["GET", "POST"])
@signed_in
def choose_partnership():
    form = ChoosePartnershipForm()
    form.partnership.choices = [(p.id, p.name) for p in g.partnerships]
    if form.validate_on_submit():
        session["partnership_id"] = form.partnership.data
        return redirect(_safe_next(request.args.get("next")) or url_for("auth.index"))
    return render_template("auth/choose_partnership.html", form=form)
