"""Evidence files: stored outside the web root under random names, and downloaded only by those who may see the return."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

import pytest
from sqlalchemy import select

from audit_app.data import evidence as evidence_data
from audit_app.data import people
from audit_app.evidence import storage
from audit_app.evidence.checks import EvidenceRefused
from audit_app.extensions import db
from audit_app.models import Evidence, EvidenceKind, Return, Role, User

from ..support import evidence as files
from ..support.client import soup
from ..support.factories import PASSWORD, make_cycle, make_organisation, make_partnership, make_user

POLICY = files.pdf("Child protection policy, reviewed by governors in March 2026")


class School:
    """Two schools in one partnership's cycle, and the people around them.

    People are made when a test first asks for them: each costs a password hash.
    """

    def __init__(self) -> None:
        self.partnership = make_partnership()
        self.oakbridge = make_organisation(self.partnership, "Oakbridge Primary School")
        self.fenwick = make_organisation(self.partnership, "Fenwick Market Academy", duty="s157")
        cycle = make_cycle(self.partnership, [self.oakbridge, self.fenwick])
        returns = {
            r.organisation_id: r
            for r in db.session.scalars(select(Return).where(Return.cycle_id == cycle.id))
        }
        self.oakbridge_return = returns[self.oakbridge.id]
        self.fenwick_return = returns[self.fenwick.id]

    @cached_property
    def oakbridge_dsl(self) -> User:
        return make_user(Role.RESPONDENT, self.partnership, self.oakbridge)

    @cached_property
    def fenwick_dsl(self) -> User:
        return make_user(Role.RESPONDENT, self.partnership, self.fenwick)

    @cached_property
    def admin(self) -> User:
        return make_user(Role.ADMIN, self.partnership)

    @cached_property
    def reviewer(self) -> User:
        return make_user(Role.REVIEWER, self.partnership)

    @cached_property
    def board_viewer(self) -> User:
        return make_user(Role.BOARD_VIEWER, self.partnership)

    @cached_property
    def other_admin(self) -> User:
        """The business unit admin of a different partnership."""
        return make_user(Role.ADMIN, make_partnership("Elsewhere Safeguarding Children Partnership"))


@pytest.fixture
def school(app) -> School:
    return School()


def upload(school: School, filename: str = "Child protection policy.pdf", data: bytes = POLICY) -> Evidence:
    evidence = evidence_data.store_file(school.oakbridge_return, "1.1", filename, data, None)
    db.session.commit()
    return evidence


def stored_path(evidence: Evidence) -> Path:
    return storage.path_for(evidence.stored_name)


# Storing


def test_an_upload_is_stored_under_a_random_name_inside_the_evidence_folder(app, school):
    evidence = evidence_data.store_file(
        school.oakbridge_return, "1.1", "../../etc/Child protection policy.pdf", POLICY, school.oakbridge_dsl
    )
    db.session.commit()
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", evidence.stored_name)
    path = stored_path(evidence)
    assert path.parent == Path(app.config["EVIDENCE_DIR"]).resolve()
    assert path.read_bytes() == POLICY
    assert evidence.original_filename == "Child protection policy.pdf"
    assert evidence.kind is EvidenceKind.FILE
    assert evidence.content_type == "application/pdf"
    assert evidence.size_bytes == len(POLICY)
    assert evidence.uploaded_by_id == school.oakbridge_dsl.id
    assert evidence.check_problem is None


def test_a_blank_pdf_is_kept_with_its_problem_and_does_not_count_as_usable_evidence(school):
    evidence = upload(school, filename="Policy.pdf", data=files.pdf(""))
    assert evidence.check_problem == "The PDF has no text on any page"
    as_scored = evidence_data.file_for_scoring(evidence)
    assert as_scored.empty and not as_scored.usable


def test_a_pdf_that_cannot_be_opened_counts_as_unreadable(school):
    evidence = upload(school, filename="Policy.pdf", data=b"%PDF-1.7\nnot really")
    as_scored = evidence_data.file_for_scoring(evidence)
    assert as_scored.unreadable and not as_scored.empty


def test_a_refused_upload_leaves_no_row_and_no_file(app, school):
    with pytest.raises(EvidenceRefused) as refused:
        evidence_data.store_file(school.oakbridge_return, "1.1", "policy.pdf", files.image(), None)
    assert refused.value.message == "The selected file is not a real PDF"
    db.session.commit()
    assert db.session.scalars(select(Evidence)).all() == []
    folder = Path(app.config["EVIDENCE_DIR"])
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_file_stored_in_a_request_that_fails_is_removed_again(app, school):
    evidence = evidence_data.store_file(school.oakbridge_return, "1.1", "policy.pdf", POLICY, None)
    path = stored_path(evidence)
    assert path.exists()
    db.session.rollback()
    assert not path.exists()
    assert db.session.scalars(select(Evidence)).all() == []


def test_removing_evidence_deletes_its_file_once_the_removal_is_committed(school):
    evidence = upload(school)
    path = stored_path(evidence)
    evidence_data.remove(evidence, None)
    assert path.exists()  # a failure before the commit must not lose the file
    db.session.commit()
    assert not path.exists()
    assert db.session.scalars(select(Evidence)).all() == []


def test_a_removal_that_is_rolled_back_keeps_the_file(school):
    evidence = upload(school)
    evidence_id, path = evidence.id, stored_path(evidence)
    evidence_data.remove(evidence, None)
    db.session.rollback()
    assert path.exists()
    assert db.session.get(Evidence, evidence_id) is not None


# Links and listing


def test_a_link_to_evidence_held_elsewhere_is_recorded(school):
    link = evidence_data.add_link(
        school.oakbridge_return,
        "1.2",
        "Policy on the trust website",
        " https://www.oakbridge.example/policy ",
        None,
    )
    db.session.commit()
    assert link.kind is EvidenceKind.LINK
    assert link.url == "https://www.oakbridge.example/policy"
    assert link.description == "Policy on the trust website"


def test_a_description_alone_is_enough_for_a_link(school):
    link = evidence_data.add_link(school.oakbridge_return, "1.2", "Held in the DSL's office", None, None)
    assert link.url is None


@pytest.mark.parametrize(
    ("description", "url", "message"),
    [
        (
            "Policy",
            "javascript:alert(1)",
            "Enter a link in the correct format, like https://www.example.org/policy.pdf",
        ),
        (
            "Policy",
            "ftp://files.example/policy.pdf",
            "Enter a link in the correct format, like https://www.example.org/policy.pdf",
        ),
        ("Policy", "https://", "Enter a link in the correct format, like https://www.example.org/policy.pdf"),
        (
            "Policy",
            "https://example.org/a b",
            "Enter a link in the correct format, like https://www.example.org/policy.pdf",
        ),
        ("Policy", "https://example.org/" + "a" * 1000, "The link must be 1000 characters or fewer"),
        ("  ", "", "Enter a description of the evidence or a link to it"),
    ],
)
def test_a_link_that_is_not_a_web_address_is_refused(school, description, url, message):
    with pytest.raises(EvidenceRefused) as refused:
        evidence_data.add_link(school.oakbridge_return, "1.2", description, url, None)
    assert refused.value.message == message
    assert db.session.scalars(select(Evidence)).all() == []


def test_evidence_is_listed_by_question_in_the_order_it_was_added(school):
    first = upload(school, filename="First.pdf")
    link = evidence_data.add_link(school.oakbridge_return, "1.2", "Minutes", None, None)
    second = upload(school, filename="Second.pdf")
    evidence_data.store_file(school.fenwick_return, "1.1", "Fenwick.pdf", POLICY, None)
    db.session.commit()
    listed = evidence_data.evidence_for(school.oakbridge_return)
    assert listed == {"1.1": [first, second], "1.2": [link]}
    assert evidence_data.evidence_in_return(school.oakbridge_return, second.id) == second
    assert evidence_data.evidence_in_return(school.fenwick_return, second.id) is None


# Downloading


def test_the_organisations_respondent_downloads_the_file_as_an_attachment(client, school):
    evidence = upload(school, filename="St Mary’s policy.pdf")
    client.sign_in(school.oakbridge_dsl.email, PASSWORD)
    response = client.get(f"/evidence/{evidence.id}")
    assert response.status_code == 200
    assert response.get_data() == POLICY
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''St%20Mary%E2%80%99s%20policy.pdf" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("who", ["admin", "reviewer"])
def test_the_partnerships_admin_and_reviewers_can_download_it(client, school, who):
    evidence = upload(school)
    client.sign_in(getattr(school, who).email, PASSWORD)
    response = client.get(f"/evidence/{evidence.id}")
    assert response.status_code == 200
    assert response.get_data() == POLICY


def assert_not_found(response) -> None:
    assert response.status_code == 404
    assert soup(response).h1.get_text(strip=True) == "Page not found"
    assert POLICY not in response.get_data()


@pytest.mark.parametrize("who", ["fenwick_dsl", "other_admin"])
def test_someone_outside_the_returns_scope_gets_page_not_found(client, school, who):
    evidence = upload(school)
    client.sign_in(getattr(school, who).email, PASSWORD)
    assert_not_found(client.get(f"/evidence/{evidence.id}"))


def test_a_board_viewer_is_refused_downloads_whatever_the_id(client, school):
    # Board viewers hold no download role: every id gets the same refusal, so none is revealed.
    evidence = upload(school)
    client.sign_in(school.board_viewer.email, PASSWORD)
    assert client.get(f"/evidence/{evidence.id}").status_code == 403
    assert client.get(f"/evidence/{evidence.id + 1000}").status_code == 403
    partnership = school.partnership
    assert evidence_data.get_evidence_for_download(evidence.id, school.board_viewer, partnership) is None


def test_a_board_viewer_who_also_answers_for_another_school_gets_page_not_found(client, school):
    evidence = upload(school)
    partnership = school.partnership
    people.grant_role(
        school.board_viewer, Role.RESPONDENT, partnership, school.fenwick_return.organisation_id
    )
    db.session.commit()
    client.sign_in(school.board_viewer.email, PASSWORD)
    assert_not_found(client.get(f"/evidence/{evidence.id}"))


def test_a_return_in_another_partnerships_cycle_is_not_reached_through_this_one(client, school):
    # Oakbridge also belongs to a neighbouring partnership's cycle: its respondent
    # here does not hold that return through this partnership.
    neighbour = make_partnership("Neighbourshire Safeguarding Children Partnership")
    their_cycle = make_cycle(neighbour, [school.oakbridge_return.organisation], name="Neighbourshire audit")
    their_return = db.session.scalar(select(Return).where(Return.cycle_id == their_cycle.id))
    evidence = evidence_data.store_file(their_return, "1.1", "policy.pdf", POLICY, None)
    db.session.commit()
    client.sign_in(school.oakbridge_dsl.email, PASSWORD)
    assert_not_found(client.get(f"/evidence/{evidence.id}"))


def test_an_unknown_id_and_a_link_both_get_page_not_found(client, school):
    link = evidence_data.add_link(school.oakbridge_return, "1.2", "Minutes", "https://example.org/m", None)
    db.session.commit()
    client.sign_in(school.oakbridge_dsl.email, PASSWORD)
    assert_not_found(client.get(f"/evidence/{link.id + 1000}"))
    assert_not_found(client.get(f"/evidence/{link.id}"))


def test_a_file_missing_from_disk_gets_a_clear_not_found_page(client, school):
    evidence = upload(school)
    stored_path(evidence).unlink()
    client.sign_in(school.oakbridge_dsl.email, PASSWORD)
    response = client.get(f"/evidence/{evidence.id}")
    assert response.status_code == 404
    page = soup(response)
    assert page.h1.get_text(strip=True) == "File not found"
    assert "Child protection policy.pdf could not be found" in page.get_text()


def test_signing_in_is_needed_to_download(client, school):
    evidence = upload(school)
    response = client.get(f"/evidence/{evidence.id}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")
