"""The safeguarding self-audit toolkit: Flask application factory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

from .config import config_from_env
from .extensions import csrf, db, login_manager, migrate
from .templating import Environment


def create_app(config: Mapping[str, object] | None = None) -> Flask:
    """Build the app: configuration from the environment, then ``config`` on top (tests)."""
    app = Flask(__name__)
    app.jinja_environment = Environment
    app.config.update(config_from_env(os.environ, Path(app.instance_path)))
    if config:
        app.config.update(config)

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    WTFormsHelpers(app)
    app.jinja_loader = ChoiceLoader(
        [
            app.jinja_loader,
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )

    from . import audit_trail, database, presenters, security
    from .access import init_access
    from .audit_views import bp as audit_bp
    from .auth import bp as auth_bp
    from .challenge import bp as challenge_bp
    from .commands import register_commands
    from .cycles import bp as cycles_bp
    from .errors import register_error_pages
    from .evidence import bp as evidence_bp
    from .home import bp as home_bp
    from .jobs_views import bp as jobs_bp
    from .organisations import bp as organisations_bp
    from .pages import bp as pages_bp
    from .people_views import bp as people_bp
    from .reporting import bp as reporting_bp
    from .returns import bp as returns_bp
    from .review import bp as review_bp

    database.init_app(app)
    audit_trail.init_app(app)
    security.init_app(app)  # before the access rules: an expired session ends first
    init_access(app)
    presenters.init_app(app)
    app.register_blueprint(auth_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(returns_bp)
    app.register_blueprint(organisations_bp)
    app.register_blueprint(cycles_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(evidence_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(challenge_bp)
    app.register_blueprint(reporting_bp)
    register_error_pages(app)
    register_commands(app)
    return app
