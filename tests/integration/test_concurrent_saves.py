"""Many people saving one return's standards at the same moment, on PostgreSQL: every save
either lands or is refused as a conflict, and none is silently overwritten.

Eight colleagues each sign in with a client of their own and, in 25 rounds, each loads a
standard's page; a barrier lets all eight post at once, two to each of the four standards,
through the real section view (``answers.save_section``'s compare-and-set on the standard's
version). Of two saves from the same loaded page exactly one may land. Afterwards the answers
in the database are, for each standard, those of the save that moved its version last.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import Return, ReturnSection

from ..support.client import soup
from ..support.factories import PASSWORD, make_organisation, make_partnership
from ..support.returns import answers_of, open_test_cycle, respondent_for, return_of

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("database", ["postgresql"], indirect=True),
]

COLLEAGUES = 8
ROUNDS = 25
STANDARDS = ["standard-1", "standard-2", "standard-3", "standard-4"]

QUESTIONNAIRE = """
id: concurrent-saves
version: "2025.1"
title: Four standards to save at once
description: Each standard has a number and a note, so a save can be recognised.
legal_basis: Education Act 2002, section 175
duties: [s175, s157]
scale:
  name: RAG
  points: {min: 0, max: 2}
  ratings:
    - {id: green, label: Green, meaning: Fully meets the standard., colour: green, min_score: 0.85}
    - {id: amber, label: Amber, meaning: Partly meets the standard., colour: amber, min_score: 0.5}
    - {id: red, label: Red, meaning: Does not meet the standard., colour: red, min_score: 0}
sign_off:
  - {id: head-teacher, label: Head teacher}
declaration: We confirm that this return is accurate.
sections:
""" + "".join(
    f"""  - id: {standard}
    title: Standard {n}
    scored: false
    questions:
      - id: {standard}.count
        text: How many times was this reviewed?
        type: number
      - id: {standard}.note
        text: What changed?
        type: text
"""
    for n, standard in enumerate(STANDARDS, start=1)
)


@dataclass(frozen=True)
class Attempt:
    colleague: int
    round: int
    standard: str
    loaded_version: int
    status: int

    @property
    def count(self) -> int:
        return self.colleague * 1000 + self.round

    @property
    def note(self) -> str:
        return f"Saved by colleague {self.colleague} in round {self.round}"


def standard_for(colleague: int, round_: int) -> str:
    """Two colleagues on each standard every round, paired differently from round to round."""
    seats = random.Random(round_).sample(range(COLLEAGUES), COLLEAGUES)
    return STANDARDS[seats.index(colleague) * len(STANDARDS) // COLLEAGUES]


def sign_in(client: FlaskClient, email: str) -> None:
    token = soup(client.get("/sign-in")).find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post("/sign-in", data={"csrf_token": token, "email": email, "password": PASSWORD})
    assert response.status_code == 302, f"sign-in as {email} failed"


def colleague_saves(app, audit_return_id: int, colleague: int, email: str, barrier, attempts, failures):
    """One person's 25 saves; runs in a thread of its own, each request in its own app context."""
    try:
        client = FlaskClient(app, app.response_class, use_cookies=True)
        sign_in(client, email)
        for round_ in range(ROUNDS):
            standard = standard_for(colleague, round_)
            path = f"/returns/{audit_return_id}/sections/{standard}"
            page = soup(client.get(path))
            hidden = {
                field["name"]: field.get("value", "") for field in page.select("form input[type=hidden]")
            }
            attempt = Attempt(colleague, round_, standard, int(hidden["version"]), 0)
            barrier.wait()  # everyone has loaded a page: now all post at once
            response = client.post(
                path,
                data={
                    **hidden,
                    f"{standard}.count": str(attempt.count),
                    f"{standard}.note": attempt.note,
                    "later": "Save and come back later",
                },
            )
            attempts.append(
                Attempt(colleague, round_, standard, attempt.loaded_version, response.status_code)
            )
            barrier.wait()  # the round is over before anyone loads the next page
    except BaseException as exc:  # reported by the test, after every thread has stopped
        failures.append(exc)
        barrier.abort()


def test_concurrent_saves_each_land_or_conflict_and_none_is_silently_overwritten(app):
    partnership = make_partnership()
    school = make_organisation(partnership, "Abbey Fields Primary School")
    cycle = open_test_cycle(partnership, [school], text=QUESTIONNAIRE)
    audit_return = return_of(school, cycle)
    emails = [respondent_for(audit_return, name=f"Colleague {n}").email for n in range(COLLEAGUES)]
    versions_before = db.session.get(Return, audit_return.id).version
    db.session.commit()

    attempts: list[Attempt] = []
    failures: list[BaseException] = []
    barrier = threading.Barrier(COLLEAGUES)
    threads = [
        threading.Thread(
            target=colleague_saves,
            args=(app, audit_return.id, n, email, barrier, attempts, failures),
        )
        for n, email in enumerate(emails)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]

    outcomes = Counter(attempt.status for attempt in attempts)
    assert set(outcomes) <= {302, 409}, outcomes
    assert outcomes[302] + outcomes[409] == len(attempts) == COLLEAGUES * ROUNDS
    # Every round, two saves to each standard were made from the same page: one lands.
    assert outcomes[302] == len(STANDARDS) * ROUNDS
    assert outcomes[409] == COLLEAGUES * ROUNDS - len(STANDARDS) * ROUNDS

    db.session.expire_all()
    stored = answers_of(audit_return)
    rows = {
        row.section_id: row
        for row in db.session.scalars(select(ReturnSection).where(ReturnSection.return_id == audit_return.id))
    }
    for standard in STANDARDS:
        landed = sorted(
            (a for a in attempts if a.standard == standard and a.status == 302),
            key=lambda a: a.loaded_version,
        )
        # Each accepted save moved the version on from the one before: no two landed from the same page.
        assert [a.loaded_version for a in landed] == list(range(len(landed)))
        assert rows[standard].version == len(landed)
        last = landed[-1]
        # The stored answers are the last accepted save's, both of them (no mixture of two saves).
        assert stored[f"{standard}.count"] == last.count
        assert stored[f"{standard}.note"] == last.note
    # Each accepted save moved the return's own version on once too (a send racing them is refused).
    assert db.session.get(Return, audit_return.id).version == versions_before + outcomes[302]
