"""The layering contract: scoring/ and reports/ stay free of the web framework and the database."""

import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_in_setup_cfg_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("scoring", "reports", "audit_app", include_external_packages=True)


def imports(graph, importer: str, imported: str) -> bool:
    # A package nothing imports is not in the graph at all.
    return (
        imported in graph.modules
        and graph.find_shortest_chain(importer=importer, imported=imported) is not None
    )


@pytest.mark.parametrize(
    "forbidden", ["flask", "sqlalchemy", "wtforms", "flask_login", "reportlab", "audit_app"]
)
def test_scoring_never_imports(graph, forbidden):
    assert not imports(graph, "scoring", forbidden)


@pytest.mark.parametrize("forbidden", ["flask", "sqlalchemy", "wtforms", "flask_login", "audit_app"])
def test_reports_never_imports(graph, forbidden):
    assert not imports(graph, "reports", forbidden)


def test_the_app_does_use_the_scoring_core(graph):
    # Proves the graph sees real imports: the contract above would pass vacuously otherwise.
    assert imports(graph, "audit_app", "scoring")
    assert imports(graph, "audit_app", "flask")
