"""A test client that checks every HTML page it fetches, and posts forms with their CSRF token."""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from audit_app.extensions import db

from .pages import check_page


class CheckedClient(FlaskClient):
    """Each request runs in an app context of its own, as on a real server.

    The test itself holds an app context (for factories and assertions);
    without a fresh one, Flask would reuse it and ``g`` would leak from one
    request into the next. What the test set up is committed first, and the
    test's view of the database is refreshed after.
    """

    def open(self, *args, **kwargs):
        db.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        if response.mimetype == "text/html" and response.status_code != 302:
            check_page(response.get_data(as_text=True), url=response.request.path)
        return response

    def csrf_token(self, path: str) -> str:
        page = self.get(path)
        field = BeautifulSoup(page.get_data(as_text=True), "html.parser").find(
            "input", attrs={"name": "csrf_token"}
        )
        assert field is not None, f"{path} has no form with a CSRF token"
        return field["value"]

    def submit(self, path: str, data: dict, **kwargs):
        """Post ``data`` to the form on ``path`` as a browser would, CSRF token included."""
        return self.post(path, data={"csrf_token": self.csrf_token(path), **data}, **kwargs)

    def sign_out(self):
        return self.post("/sign-out", data={"csrf_token": self.csrf_token("/sign-in")})

    def sign_in(self, email: str, password: str):
        response = self.submit("/sign-in", {"email": email, "password": password})
        assert response.status_code == 302, f"sign-in as {email} failed"
        return response


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")
