"""A valid GIAS establishment file (and its links file), spoilt the ways files get spoilt,
through the app's own dry run: never an exception, and every refusal says where.

The changes (tests/support/mutations.py) delete, duplicate and swap lines, change fields,
add stray quotes and bytes, and cut the file short. Each spoilt file goes through
``importing.dry_run_gias_upload``, which the upload page calls, and a few through the upload
page itself. Every error the dry run records names its file, and its row unless it is about
the file as a whole; the record is plain JSON, as the summary page and the apply read it.

SQLite only (``database`` is parametrized here): this is about reading files, not the
database, and each example is a dry run recorded in it.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit_app.models import Role
from audit_app.organisations import importing

from ..support.client import soup
from ..support.factories import PASSWORD, make_partnership, make_user
from ..support.mutations import mutated
from ..support.registers import gias_file, keep_imports_in, links_file, school, upload

ESTABLISHMENTS = gias_file(
    school(),
    school(urn=100002, number=2102, name="Birchwood Academy", type="28", type_name="Academy converter"),
    school(urn=100003, number=2103, name="Cedar Hill School", status="2", closed="31-08-2025"),
    school(urn=100004, number=4001, name="Dale Secondary School", phase="Secondary", high_age=16),
    school(urn=200001, la="991", la_name="Elsewhere", number=2001, name="Elsewhere Primary"),
)
LINKS = links_file((100003, 100002, "Successor"), (100002, 100003, "Predecessor"))
FILES = {"edubasealldata.csv", "links_edubasealldata.csv"}


def where_problems(summary: dict) -> list[str]:
    wrong = []
    for error in summary["errors"]:
        if error["file"] not in FILES:
            wrong.append(f"{error} does not name the file")
        if error["row"] is not None and not (isinstance(error["row"], int) and error["row"] >= 1):
            wrong.append(f"{error} names no row")
        if not error["message"].strip():
            wrong.append(f"{error} says nothing")
    return wrong


@pytest.fixture
def partnership(app, tmp_path):
    keep_imports_in(app, tmp_path)
    return make_partnership("Demoshire Safeguarding Children Partnership", la_codes=["990"])


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_spoilt_gias_file_gets_a_dry_run_whose_every_error_says_where(partnership):
    admin = make_user(Role.ADMIN, partnership)
    clean = importing.dry_run_gias_upload(
        partnership,
        importing.RegisterFile(ESTABLISHMENTS, "edubasealldata.csv"),
        ["990"],
        importing.RegisterFile(LINKS, "links_edubasealldata.csv"),
        admin.id,
    )
    assert clean.summary["counts"]["errors"] == 0 and clean.summary["counts"]["new"] == 3
    examined = 0

    @settings(max_examples=150)
    @given(
        establishments=mutated(ESTABLISHMENTS),
        links=st.one_of(st.none(), st.just(LINKS), mutated(LINKS)),
    )
    def dry_run(establishments, links):
        nonlocal examined
        run = importing.dry_run_gias_upload(
            partnership,
            importing.RegisterFile(establishments, "edubasealldata.csv"),
            ["990"],
            importing.RegisterFile(links, "links_edubasealldata.csv") if links is not None else None,
            admin.id,
        )
        summary = json.loads(json.dumps(run.summary))  # what the JSON column keeps
        assert where_problems(summary) == []
        if summary["counts"]["errors"]:  # listed, and the dry run cannot be applied
            assert summary["errors"] and importing.refusal(run) is not None
        examined += 1

    dry_run()
    assert examined == 150


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_spoilt_gias_file_uploaded_gets_a_page_that_says_what_is_wrong(client, partnership):
    admin = make_user(Role.ADMIN, partnership)
    client.sign_in(admin.email, PASSWORD)
    token = client.csrf_token("/organisations/import")
    uploaded = 0

    @settings(max_examples=25)
    @given(establishments=mutated(ESTABLISHMENTS))
    def post(establishments):
        nonlocal uploaded
        response = client.post(
            "/organisations/import",
            data={
                "csrf_token": token,
                "file": upload(establishments, "edubasealldata.csv"),
                "la_codes": "990",
            },
            content_type="multipart/form-data",
        )
        if response.status_code == 302:  # checked: the summary page lists what it found
            page = soup(client.get(response.headers["Location"]))
            assert page.h1 is not None
        else:  # refused as a whole: the upload form again, saying why
            assert response.status_code == 200
            summary = soup(response).select_one(".govuk-error-summary")
            assert summary is not None and summary.get_text(strip=True)
            # A refusal of the file as a whole is shown on the file's own upload field.
            assert {link["href"] for link in summary.select("a")} == {"#file"}
        uploaded += 1

    post()
    assert uploaded == 25
