"""The email that tells a school or college its feedback is ready, once its return is accepted.

Schools have long complained that they send these audits and hear nothing back; the
feedback is made from the accepted return, so it goes as soon as the return is accepted.
"""

from __future__ import annotations

from flask import current_app, render_template, url_for

from ..data.review import Notice
from ..models import ContactRole, OrganisationKind, Return


def feedback_ready(audit_return: Return) -> Notice | None:
    """The message to the lead contact (others copied), or None for an agency or no lead."""
    organisation = audit_return.organisation
    if organisation.kind is OrganisationKind.AGENCY:
        return None  # agencies get the reviewer's feedback letter, not the automatic feedback
    leads = list(dict.fromkeys(c.email for c in organisation.contacts if c.role is ContactRole.LEAD))
    if not leads:
        return None
    names = [c.name for c in organisation.contacts if c.role is ContactRole.LEAD and c.email == leads[0]]
    service_url = current_app.config["EXTERNAL_URL"]
    cycle = audit_return.cycle
    return Notice(
        to=leads[0],
        cc=", ".join(leads[1:]),
        subject=f"{organisation.name}'s safeguarding feedback is ready: {cycle.name}",
        body=render_template(
            "email/feedback_ready.txt",
            greeting=(names[0] if names and names[0] else "colleague"),
            organisation=organisation,
            cycle=cycle,
            audit_return=audit_return,
            partnership=cycle.partnership.name,
            link=service_url + url_for("reporting.school_feedback", return_id=audit_return.id),
            feedback_page=service_url + url_for("reporting.your_feedback"),
            service_url=service_url,
        ),
    )
