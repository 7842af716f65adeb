from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from audit_app import create_app
from audit_app.access import public
from audit_app.extensions import db

from ..support.client import soup


def test_migrations_create_exactly_the_tables_the_models_describe(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_sqlite_runs_with_foreign_keys_and_write_ahead_logging(tmp_path):
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'pragmas.db'}"})
    with app.app_context():
        assert db.session.execute(db.text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(db.text("PRAGMA journal_mode")).scalar() == "wal"
        db.session.remove()
        db.engine.dispose()


def test_healthz_reports_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_database_that_does_not_answer(tmp_path):
    broken = create_app(
        {
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}},
        }
    )
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "degraded"
    assert body["database"].startswith("unavailable")


def test_unknown_page_gets_the_services_own_not_found_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Page not found"
    assert page.select_one("link[rel=stylesheet]")["href"] == "/static/dist/app.css"


def test_a_crash_shows_the_error_page_not_a_traceback(app, client):
    @app.route("/test-crash")
    @public
    def crash():
        raise RuntimeError("boom in the middle of a request")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/test-crash")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Sorry, there is a problem with the service" in soup(response).h1.get_text()
    assert "Traceback" not in text and "boom" not in text


def test_pages_carry_no_gov_uk_branding(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert "govuk-logo" not in page and "crown" not in page.lower()
    assert "GOV.UK" not in page
    with client.get("/static/dist/app.css") as response:
        css = response.get_data(as_text=True)
    assert "GDS Transport" not in css
    assert 'font-family:"Helvetica Neue",helvetica,arial,sans-serif' in css


def test_every_endpoint_has_an_access_rule(app):
    missing = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and not hasattr(app.view_functions[rule.endpoint], "access_rule")
    ]
    assert missing == []
