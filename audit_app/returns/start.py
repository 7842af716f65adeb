"""Starting a return from an invitation link: set up an account, or sign in to the existing one.

Opening the link (GET) never spends it: mail systems fetch links to scan them,
and that must not use up a single-use invitation before its reader clicks.
"""

from __future__ import annotations

import hashlib

from flask import redirect, render_template, request, session, url_for
from flask_login import current_user

from .. import security
from ..access import public
from ..data import invitations, people
from ..security import limit_attempts, lockout_settings
from . import bp
from .forms import AcceptInvitationForm, InvitationSignInForm, NewAccountForm


def _invitation_key() -> str:
    """Attempts are counted per invitation link, hashed so the limiter's store holds no secrets."""
    token = (request.view_args or {}).get("token", "")
    return "invitation:" + hashlib.sha256(token.encode()).hexdigest()


def _expired():
    return render_template("returns/start_expired.html"), 410


def _begin(user, invitation: invitations.Invitation, already_signed_in: bool = False):
    """Into the return, signed in with a fresh session, in the partnership that runs the cycle.

    Someone who also holds a role that needs a code gives it first, as at sign-in.
    """
    destination = url_for("returns.task_list", return_id=invitation.audit_return.id)
    partnership_id = invitation.partnership_id
    if not already_signed_in:
        if people.needs_two_factor(user):
            security.await_second_step(user, destination)
            return redirect(url_for("auth.two_factor"))
        people.record_sign_in(user)
        security.start_session(user, second_step_done=False)
    session["partnership_id"] = partnership_id
    return redirect(destination)


@bp.route("/start/<token>", methods=["GET", "POST"])
@public
@limit_attempts(_invitation_key)
def start(token: str):
    invitation = invitations.find_invitation(token)
    if invitation is None:
        return _expired()
    context = {"invitation": invitation, "organisation": invitation.audit_return.organisation}
    if current_user.is_authenticated and current_user.email != invitation.email:
        return render_template("returns/start_other_account.html", **context)
    try:
        if invitation.needs_password:
            form = NewAccountForm(data={"name": invitation.user.name if invitation.user else ""})
            if form.validate_on_submit():
                return _begin(invitations.accept(invitation, form.name.data, form.password.data), invitation)
            return render_template("returns/start_new_account.html", form=form, **context)
        if current_user.is_authenticated:
            form = AcceptInvitationForm()
            if form.validate_on_submit():
                return _begin(invitations.accept(invitation), invitation, already_signed_in=True)
            return render_template("returns/start_accept.html", form=form, **context)
        form = InvitationSignInForm()
        if form.validate_on_submit():
            user = people.authenticate(invitation.email, form.password.data, *lockout_settings())
            if user is not None:
                return _begin(invitations.accept(invitation), invitation)
            form.password.errors.append("Enter the correct password for this account")
        return render_template("returns/start_sign_in.html", form=form, **context)
    except invitations.InvitationUsed:
        return _expired()
