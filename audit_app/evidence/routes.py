"""Downloading an evidence file, for those allowed to see the return it belongs to."""

from __future__ import annotations

import io

from flask import abort, current_app, g, render_template, send_file
from flask_login import current_user

from ..access import requires_role
from ..data import evidence as evidence_data
from ..models import Role
from . import bp, storage


@bp.route("/<int:evidence_id>")
@requires_role(Role.RESPONDENT, Role.REVIEWER, Role.ADMIN)
def download(evidence_id: int):
    # Someone outside the return's scope gets the same 404 as for an id that
    # does not exist, so ids reveal nothing.
    evidence = evidence_data.get_evidence_for_download(evidence_id, current_user, g.partnership)
    if evidence is None:
        abort(404)
    # Read whole (uploads are at most 10MB) so no file handle outlives the request.
    data = storage.read(evidence.stored_name)
    if data is None:
        current_app.logger.error("Evidence %s: stored file %s is missing", evidence.id, evidence.stored_name)
        return render_template(
            "errors/error.html",
            heading="File not found",
            paragraphs=[
                f"The file {evidence.original_filename} could not be found.",
                "Contact your partnership's business unit, who can ask for it to be uploaded again.",
            ],
        ), 404
    response = send_file(
        io.BytesIO(data),
        mimetype=evidence.content_type,
        as_attachment=True,
        download_name=evidence.original_filename or evidence.stored_name,
        max_age=0,
    )
    # Evidence can hold personal information: never cached on the way, never
    # sniffed into something the browser would run. (The app's security headers
    # say the same for every page; a download must not depend on that.)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
