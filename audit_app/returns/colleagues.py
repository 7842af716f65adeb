"""Inviting a colleague to help with a return: a start link of their own, emailed to them alone."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, url_for
from flask_login import current_user

from .. import mail
from ..access import requires_role
from ..data import invitations, people
from ..extensions import db
from ..models import Message, Role
from ..security import limit_invitations
from . import bp
from .forms import InviteColleagueForm
from .routes import can_invite, cannot_change, load


def _writer(view, name: str):
    audit_return = view.audit_return
    organisation = audit_return.organisation

    def write(link: str) -> tuple[str, str]:
        subject = (
            f"{current_user.name} has invited you to help with {organisation.name}'s safeguarding return"
        )
        body = render_template(
            "email/colleague.txt",
            name=name,
            inviter=current_user.name,
            organisation=organisation,
            cycle=audit_return.cycle,
            audit_return=audit_return,
            partnership=g.partnership.name,
            link=current_app.config["EXTERNAL_URL"] + link,
            service_url=current_app.config["EXTERNAL_URL"],
        )
        return subject, body

    return write


@bp.route("/returns/<int:return_id>/invite", methods=["GET", "POST"])
@requires_role(Role.RESPONDENT, Role.ADMIN)
@limit_invitations
def invite_colleague(return_id: int):
    view = load(return_id)
    if not can_invite(view):
        return cannot_change(
            view,
            "This audit is closed",
            f"The {view.audit_return.cycle.name} is closed, so no one new can be invited to its return.",
        )
    form = InviteColleagueForm()
    if form.validate_on_submit():
        email = people.normalise_email(form.email.data)
        try:
            message_id = invitations.invite_colleague(
                view.audit_return, email, g.partnership.id, _writer(view, form.name.data)
            )
        except invitations.AlreadyHasAccess:
            form.email.errors.append(
                f"{email} can already work on this return: they can sign in with that address"
            )
        else:
            mail.deliver(db.session.get(Message, message_id))
            flash(f"We have emailed an invitation to {form.name.data} at {email}.", "success")
            return redirect(url_for("returns.task_list", return_id=return_id))
    return render_template("returns/invite.html", view=view, form=form)
