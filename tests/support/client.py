"""A test client that checks every HTML page it fetches, and posts forms with their CSRF token."""

from __future__ import annotations

import time

import pyotp
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import User

from .pages import check_page

TWO_FACTOR = "/sign-in/two-factor"
SET_UP_TWO_FACTOR = "/sign-in/set-up-two-factor"


def authenticator_code(secret: str, last_step: int | None = None) -> str:
    """The code an authenticator app shows now, or in the next step if this one was used.

    The service refuses a code whose time step was used before, and tests sign
    in faster than once every 30 seconds.
    """
    now = int(time.time() // 30)
    step = max(now, (last_step if last_step is not None else -1) + 1)
    if step > now + 1:  # this step and the next are used up: wait until the next is current
        time.sleep((step - 1) * 30 - time.time() + 0.1)
    return pyotp.TOTP(secret).generate_otp(step)


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
        """Sign in as a person would, giving an authenticator code where one is asked for."""
        response = self.submit("/sign-in", {"email": email, "password": password})
        assert response.status_code == 302, f"sign-in as {email} failed"
        if response.headers["Location"] == TWO_FACTOR:
            response = self.give_two_factor_code(email)
        return response

    def give_two_factor_code(self, email: str):
        """The second step: set up an authenticator from the key on the page the first
        time, as a person would; afterwards, use the secret set up then."""
        if self.get(TWO_FACTOR).headers.get("Location") == SET_UP_TWO_FACTOR:
            path = SET_UP_TWO_FACTOR
            key = soup(self.get(path)).find(id="two-factor-key")
            secret, last_step = key.get_text().replace(" ", ""), None
        else:
            path = TWO_FACTOR
            user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
            secret, last_step = user.totp_secret, user.totp_last_step
        response = self.submit(path, {"code": authenticator_code(secret, last_step)})
        assert response.status_code == 302, f"the second step of signing in as {email} failed"
        return response


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")
