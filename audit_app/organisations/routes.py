"""The register pages: the list, an organisation, agencies, contacts and the type → duty mapping.

For the partnership's business unit only. An organisation the partnership
does not hold is "not found", never "forbidden": its existence is none of
another partnership's business.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from ..access import requires_role
from ..data import organisations
from ..data.organisations import RegisterFilters
from ..fields import options
from ..models import ContactRole, Organisation, OrganisationKind, OrganisationStatus, Role
from ..presenters import pagination
from ..registers.establishment_types import DEFAULT_TYPE_DUTIES, GIAS_TYPE_NAMES, type_duty_table
from . import bp, presenters
from .forms import (
    KIND_CHOICES,
    NOT_AUDITED,
    AgencyForm,
    ContactForm,
    RegisterFilterForm,
    RemoveContactForm,
    type_mapping_form,
)

PER_PAGE = 100


def _organisation(organisation_id: int) -> Organisation:
    organisation = organisations.organisation_in(g.partnership, organisation_id)
    if organisation is None:
        abort(404)
    return organisation


@bp.route("")
@requires_role(Role.ADMIN)
def index():
    form = RegisterFilterForm(formdata=request.args)
    kind, status = form.chosen("kind"), form.chosen("status")
    filters = RegisterFilters(
        kind=OrganisationKind(kind) if kind else None,
        status=OrganisationStatus(status) if status else None,
        query=(form.q.data or "")[:200],
        descending=form.chosen("sort") == "-name",
    )
    result = organisations.register_page(
        g.partnership, filters, request.args.get("page", 1, type=int), PER_PAGE
    )
    counts = result.kind_counts
    form.kind.choices = options(
        (value, f"{label} ({counts[value] if value else sum(counts.values())})")
        for value, label in KIND_CHOICES
    )
    arguments = {key: value for key, value in request.args.items() if key != "page" and value}

    def page_link(number: int) -> str:
        return url_for(".index", **arguments, page=number)

    return render_template(
        "organisations/index.html",
        form=form,
        result=result,
        filtered=bool(arguments.keys() - {"sort"}),
        pagination=pagination(result.page, result.pages, page_link, "Pages of the register"),
        p=presenters,
    )


@bp.route("/<int:organisation_id>")
@requires_role(Role.ADMIN)
def detail(organisation_id: int):
    organisation = _organisation(organisation_id)
    predecessors = organisations.predecessors_of(organisation)
    linkable = organisations.ids_in_register(g.partnership, [*predecessors, organisation.successor])
    return render_template(
        "organisations/detail.html",
        organisation=organisation,
        rows=presenters.detail_rows(organisation, predecessors, linkable),
        p=presenters,
        ContactRole=ContactRole,
    )


@bp.route("/agencies/new", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def add_agency():
    form = AgencyForm()
    if form.validate_on_submit():
        if organisations.agency_named(g.partnership, form.name.data) is not None:
            form.name.errors.append(f"An agency called {form.name.data} is already in the register")
        else:
            agency = organisations.create_agency(g.partnership, form.name.data, form.agency_type.data)
            flash(f"{agency.name} has been added to the register. Add its contacts below.", "success")
            return redirect(url_for(".detail", organisation_id=agency.id))
    return render_template("organisations/agency_form.html", form=form, organisation=None)


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def edit_agency(organisation_id: int):
    organisation = _organisation(organisation_id)
    if organisation.kind is not OrganisationKind.AGENCY:
        abort(404)  # schools and colleges are kept up to date from GIAS
    form = AgencyForm(obj=organisation)
    if form.validate_on_submit():
        if organisations.agency_named(g.partnership, form.name.data, other_than=organisation.id) is not None:
            form.name.errors.append(f"An agency called {form.name.data} is already in the register")
        else:
            organisations.update_agency(organisation, form.name.data, form.agency_type.data)
            flash("The agency’s details have been saved.", "success")
            return redirect(url_for(".detail", organisation_id=organisation.id))
    return render_template("organisations/agency_form.html", form=form, organisation=organisation)


def _contact_form_page(organisation: Organisation, contact=None):
    held = None
    if contact is not None:
        # Passed as plain data: WTForms would turn the enum into "ContactRole.LEAD".
        held = {
            "name": contact.name,
            "email": contact.email,
            "position": contact.position,
            "role": contact.role.value,
        }
    form = ContactForm(data=held)
    if form.validate_on_submit():
        role = ContactRole(form.role.data)
        clash = organisations.contact_clash(
            organisation, form.email.data, role, contact.id if contact else None
        )
        if clash is not None:
            form.email.errors.append(
                f"{clash.name} already has this email address as a {role.value} contact of this organisation"
            )
        else:
            saved = organisations.save_contact(
                organisation, contact, form.name.data, form.email.data, role, form.position.data or ""
            )
            flash(f"{saved.name} has been saved as a contact.", "success")
            return redirect(url_for(".detail", organisation_id=organisation.id))
    return render_template(
        "organisations/contact_form.html", form=form, organisation=organisation, contact=contact
    )


@bp.route("/<int:organisation_id>/contacts/new", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def add_contact(organisation_id: int):
    return _contact_form_page(_organisation(organisation_id))


def _contact(organisation: Organisation, contact_id: int):
    contact = organisations.contact_of(organisation, contact_id)
    if contact is None:
        abort(404)
    return contact


@bp.route("/<int:organisation_id>/contacts/<int:contact_id>", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def edit_contact(organisation_id: int, contact_id: int):
    organisation = _organisation(organisation_id)
    return _contact_form_page(organisation, _contact(organisation, contact_id))


@bp.route("/<int:organisation_id>/contacts/<int:contact_id>/remove", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def remove_contact(organisation_id: int, contact_id: int):
    organisation = _organisation(organisation_id)
    contact = _contact(organisation, contact_id)
    form = RemoveContactForm()
    if form.validate_on_submit():
        name = contact.name
        organisations.remove_contact(contact)
        flash(f"{name} has been removed from the contacts of {organisation.name}.", "success")
        return redirect(url_for(".detail", organisation_id=organisation.id))
    return render_template(
        "organisations/remove_contact.html", form=form, organisation=organisation, contact=contact
    )


@bp.route("/type-mapping", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def type_mapping():
    table = type_duty_table(g.partnership.type_duty_overrides)
    effective = {code: duty.value if duty else None for code, duty in table.items()}
    form = type_mapping_form(effective)
    if form.validate_on_submit():
        overrides: dict[str, str | None] = {}
        for code in effective:
            chosen = form[f"type_{code}"].data
            value = None if chosen == NOT_AUDITED else chosen
            default = DEFAULT_TYPE_DUTIES.get(code)
            if value != (default.value if default else None):
                overrides[code] = value
        organisations.set_type_duty_overrides(g.partnership, overrides)
        flash("The mapping has been saved. The next GIAS import will use it.", "success")
        return redirect(url_for(".type_mapping"))
    types = [
        (code, GIAS_TYPE_NAMES.get(code, ""), DEFAULT_TYPE_DUTIES.get(code), form[f"type_{code}"])
        for code in sorted(effective)
    ]
    return render_template(
        "organisations/type_mapping.html",
        form=form,
        types=types,
        overridden=set(g.partnership.type_duty_overrides or {}),
        p=presenters,
    )


from . import import_views  # noqa: E402,F401  (the import pages, registered on the same blueprint)
