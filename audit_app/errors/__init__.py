"""Error pages in the service's own style, and /healthz."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..access import public
from ..evidence.checks import DEFAULT_MAX_BYTES, too_big_message
from ..extensions import db

health = Blueprint("health", __name__)

_PAGES = {
    400: (
        "There is a problem with what was sent",
        ["The page could not use what your browser sent. Go back, check it and try again."],
    ),
    403: (
        "You do not have permission to see this page",
        [
            "Your account does not give you access to this page. If you think it should, ask your partnership's business unit."
        ],
    ),
    404: (
        "Page not found",
        [
            "If you typed the web address, check it is correct.",
            "If you pasted the web address, check you copied the entire address.",
        ],
    ),
    405: ("Page not found", ["This page cannot be used that way. Go back and try again."]),
    413: ("The file is too large", ["Go back and choose a smaller file."]),
    500: (
        "Sorry, there is a problem with the service",
        [
            "Try again later. Nothing you saved before this page appeared has been lost.",
            "If it keeps happening, contact your partnership's business unit.",
        ],
    ),
}


def _render(status: int, heading: str | None = None, paragraphs: list[str] | None = None):
    default_heading, default_paragraphs = _PAGES[status]
    heading = heading or default_heading
    paragraphs = paragraphs or default_paragraphs
    try:
        return render_template("errors/error.html", heading=heading, paragraphs=paragraphs), status
    except Exception:  # the page itself failed (e.g. the database is down): plain words
        db.session.rollback()
        body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        html = (
            "<!DOCTYPE html><html lang=en><head><title>"
            f"{escape(heading)}</title></head><body><main><h1>{escape(heading)}</h1>{body}</main></body></html>"
        )
        return html, status


def register_error_pages(app: Flask) -> None:
    for status in (400, 403, 404, 405):
        app.register_error_handler(status, lambda error, status=status: _render(status))

    @app.errorhandler(413)
    def too_large(error):
        # Refused before the view ran, so nothing on the page was saved. Name the limit that
        # applies: the register import pages raise this request's own (MAX_IMPORT_MB);
        # elsewhere the file was evidence, whose own limit is the smaller one.
        usual = current_app.config["MAX_CONTENT_LENGTH"]
        limit = request.max_content_length
        if limit is None or (usual is not None and limit <= usual):
            limit = min(limit or DEFAULT_MAX_BYTES, DEFAULT_MAX_BYTES)
        return _render(
            413,
            paragraphs=[
                f"{too_big_message(int(limit))}. Nothing on the page you sent it from was saved.",
                "Go back and choose a smaller file.",
            ],
        )

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        return _render(
            400,
            "Your page had expired",
            [
                "For your security, forms stop working after a while or after you sign out.",
                "Go back, reload the page and send it again. Anything on the page that was not yet saved will need entering again.",
            ],
        )

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return _render(500)

    app.register_blueprint(health)


@health.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError as exc:
        db.session.rollback()
        database = f"unavailable: {type(exc).__name__}"
    status = 200 if database == "ok" else 503
    return jsonify({"status": "ok" if status == 200 else "degraded", "database": database}), status
