"""A person's data for the business unit: find someone, download what is held about them, or erase it.

The same work as ``flask people export`` / ``flask people erase`` (UK GDPR
articles 15 and 17), limited to the admin's partnership: only people who hold
a role in it or are contacts of its organisations can be found, the download
holds only what this partnership holds, and anyone also known to another
partnership is left to the installation's operator and the command.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, g, redirect, render_template, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import EmailField, SubmitField
from wtforms.validators import Email, InputRequired

from .access import requires_role
from .data import personal_data
from .data.people import normalise_email
from .fields import strip
from .models import Role

bp = Blueprint("people", __name__, url_prefix="/people")

# The address being looked at is kept in the session, not the URL, so it never lands in access logs.
_EMAIL = "person_email"


class FindPersonForm(FlaskForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired(message="Enter the person’s email address"),
            Email(message="Enter an email address in the correct format, like name@example.org"),
        ],
    )
    submit = SubmitField("Find", widget=GovSubmitInput())


class ErasePersonForm(FlaskForm):
    submit = SubmitField("Erase their data", widget=GovSubmitInput())


def _person():
    email = session.get(_EMAIL)
    return personal_data.find_person(email, g.partnership) if email else None


def _why_not_erase(person) -> str | None:
    if normalise_email(person.email) == current_user.email:
        return "You cannot erase your own data. Ask another admin of the partnership to do it."
    if person.elsewhere:
        return (
            "This person is also known to another partnership on this installation, so erasing their data "
            "here would erase it there too. Ask the installation’s operator to erase it with the command "
            f"‘{personal_data.ERASE_COMMAND} {person.email}’."
        )
    return None


@bp.route("", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def find():
    form = FindPersonForm()
    if form.validate_on_submit():
        if personal_data.find_person(form.email.data, g.partnership) is None:
            form.email.errors.append(
                "No one with this email address holds a role in this partnership or is a contact of its "
                "organisations"
            )
        else:
            session[_EMAIL] = normalise_email(form.email.data)
            return redirect(url_for(".person"))
    return render_template("people/find.html", form=form)


@bp.route("/person")
@requires_role(Role.ADMIN)
def person():
    found = _person()
    if found is None:
        return redirect(url_for(".find"))
    return render_template("people/person.html", person=found, why_not_erase=_why_not_erase(found))


@bp.route("/person/data.json")
@requires_role(Role.ADMIN)
def download():
    found = _person()
    if found is None:
        return redirect(url_for(".find"))
    data = json.dumps(personal_data.export_person(found.email, g.partnership), indent=2, ensure_ascii=False)
    return Response(
        data,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="personal-data.json"'},
    )


@bp.route("/person/erase", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def erase():
    found = _person()
    if found is None:
        return redirect(url_for(".find"))
    why_not = _why_not_erase(found)
    if why_not is not None:
        return render_template("people/cannot_erase.html", person=found, why_not=why_not), 409
    form = ErasePersonForm()
    if form.validate_on_submit():
        personal_data.erase_person(found.email)
        session.pop(_EMAIL, None)
        flash("Their data has been erased.", "success")
        return redirect(url_for(".find"))
    return render_template("people/erase.html", person=found, form=form)
