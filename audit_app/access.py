"""Who may open which page.

Every view is either marked :func:`public` or guarded by :func:`requires_role`
(or :func:`signed_in`, :func:`awaiting_second_step`); each leaves an
``access_rule`` on the view function, and a test walks the URL map to prove no
endpoint has been left without one. Authorisation is by role *and* scope: the
roles counted are those held in the partnership in use, and respondents are
further limited to their own organisations by the data layer.

Signing in takes two steps for admins and reviewers. Until the second is done
the person is not signed in at all; and a session that began with a password
alone (someone given such a role since) opens nothing but the second step.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, current_app, g, redirect, request, session, url_for
from flask_login import current_user

from . import security
from .data import people
from .extensions import login_manager
from .models import Partnership, Role

# The order in which a person with several roles is sent to a home page.
HOME_ORDER = (Role.ADMIN, Role.REVIEWER, Role.BOARD_VIEWER, Role.RESPONDENT)
HOME_ENDPOINTS = {
    Role.ADMIN: "home.admin",
    Role.REVIEWER: "home.reviewer",
    Role.BOARD_VIEWER: "home.board",
    Role.RESPONDENT: "home.respondent",
}


def public(view: Callable) -> Callable:
    view.access_rule = "public"
    return view


def _not_signed_in():
    """Someone part-way through signing in goes back to their second step, not the first."""
    if security.is_awaiting_second_step():
        return redirect(url_for("auth.two_factor"))
    return login_manager.unauthorized()


def signed_in(view: Callable) -> Callable:
    """Any signed-in person, whatever their roles (e.g. choosing a partnership)."""

    @wraps(view)
    def guarded(*args, **kwargs):
        if not current_user.is_authenticated:
            return _not_signed_in()
        return view(*args, **kwargs)

    guarded.access_rule = "signed_in"
    return guarded


def requires_role(*roles: Role) -> Callable[[Callable], Callable]:
    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return _not_signed_in()
            if g.partnership is None:
                return redirect(url_for("auth.choose_partnership", next=request.full_path))
            if not g.roles.intersection(roles):
                abort(403)
            return view(*args, **kwargs)

        guarded.access_rule = tuple(roles)
        return guarded

    return decorate


def awaiting_second_step(view: Callable) -> Callable:
    """The second step of signing in: the password was right, the code is still to come.

    The view is called with the person waiting as its first argument.
    """

    @wraps(view)
    def guarded(*args, **kwargs):
        user = security.awaiting_user()
        if user is None:
            return redirect(url_for("auth.sign_in"))
        return view(user, *args, **kwargs)

    guarded.access_rule = "awaiting_second_step"
    return guarded


def home_endpoint(roles: set[Role]) -> str | None:
    for role in HOME_ORDER:
        if role in roles:
            return HOME_ENDPOINTS[role]
    return None


def _scope() -> people.Scope:
    """The signed-in person's grants, read once for the request's checks and ``g``."""
    if "scope" not in g:
        g.scope = people.scope_of(current_user)
    return g.scope


def _load_scope() -> None:
    """Put the partnership in use, the roles held in it and the organisations answered for, on ``g``."""
    g.partnership = None
    g.roles = set()
    g.partnerships = []
    g.organisation_ids = []
    if not current_user.is_authenticated:
        return
    scope = _scope()
    g.partnerships = scope.partnerships
    chosen: Partnership | None = None
    wanted = session.get("partnership_id")
    for partnership in g.partnerships:
        if partnership.id == wanted:
            chosen = partnership
    if chosen is None and len(g.partnerships) == 1:
        chosen = g.partnerships[0]
        session["partnership_id"] = chosen.id
    g.partnership = chosen
    if chosen is not None:
        g.roles = scope.roles_in(chosen)
        g.organisation_ids = scope.organisation_ids_for(chosen)


def _require_second_step():
    """No page but the public ones for a password-only session that now needs a code.

    Sign-in asks for the code whenever it is needed; this catches a session
    that began before the person was given an admin or reviewer role
    (ASVS 4.3.1), and sends them to the second step.
    """
    if request.endpoint == "static" or not current_user.is_authenticated or security.second_step_done():
        return None
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or getattr(view, "access_rule", None) == "public":
        return None
    if not _scope().needs_two_factor:
        return None
    next_path = request.full_path.rstrip("?") if request.method == "GET" else None
    security.await_second_step(current_user._get_current_object(), next_path)
    return redirect(url_for("auth.two_factor"))


def init_access(app: Flask) -> None:
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(people.load_signed_in_user)
    app.before_request(_require_second_step)
    app.before_request(_load_scope)
