"""The board summary of a cycle: the accessible page, the PDF and the workbook carry the same
figures, and the workbook's figures by standard are those of the scoring core's roll-ups."""

from __future__ import annotations

import io
from datetime import timedelta

import pandas as pd
import pytest

import scoring
from audit_app.data import cycles
from audit_app.data.report_data.common import cycle_returns
from audit_app.data.scores import questionnaire_of
from audit_app.extensions import db
from audit_app.models import Answer, OrganisationKind, Return, Role, StandardModeration
from scoring.definitions import parse_questionnaire

from ..support.challenge import (
    TODAY,
    agenda_cycle,
    agree_action,
    moderate,
    open_schools_cycle,
    pdf_text,
    send_return,
    signed_in,
    soup,
)
from ..support.cycles import FILES, QUESTIONNAIRES, organisation_with_contacts, return_of, shipped_version
from ..support.factories import make_organisation, make_partnership


@pytest.fixture
def setting(app):
    partnership = make_partnership("Demoshire Safeguarding Children Partnership")
    setting = agenda_cycle(partnership)
    # A reviewer moderates one standard down, so the figures are the moderated ones.
    moderate(setting.return_of(setting.steady), "training", "amber")
    agree_action(
        partnership,
        setting.return_of(setting.failing),
        "Check the DBS status of every bank worker",
        "Director of Workforce",
        TODAY - timedelta(days=5),
    )
    return setting


def table_after(page, heading_id: str, number: int = 0) -> list[list[str]]:
    """The body rows of a table that follows a heading, as text."""
    heading = page.find(id=heading_id)
    table = heading.find_all_next("table")[number]
    return [
        [" ".join(cell.get_text().split()) for cell in row.find_all(["th", "td"])]
        for row in table.select("tbody tr")
    ]


def workbook_sheet(content: bytes, name: str) -> pd.DataFrame:
    return pd.read_excel(io.BytesIO(content), sheet_name=name)


def core_scores(cycle):
    """Every return made in the cycle scored afresh by the scoring core (scoring.score_many,
    with its moderation): the batch, the questionnaire, and the returns by id."""
    made = db.session.scalars(
        db.select(Return)
        .where(Return.cycle_id == cycle.id, Return.submitted_at.is_not(None))
        .order_by(Return.id)
    ).all()
    answers = db.session.scalars(db.select(Answer).where(Answer.return_id.in_([r.id for r in made]))).all()
    frame = pd.DataFrame(
        {
            "return_id": [a.return_id for a in answers],
            "question_id": [a.question_id for a in answers],
            "value": [a.value for a in answers],
            "na": [a.na_reason is not None for a in answers],
        }
    )
    moderations = db.session.scalars(
        db.select(StandardModeration).where(StandardModeration.return_id.in_([r.id for r in made]))
    ).all()
    moderated = pd.DataFrame(
        {
            "return_id": [m.return_id for m in moderations],
            "section_id": [m.section_id for m in moderations],
            "rating": [m.moderated_rating for m in moderations],
        }
    )
    questionnaire = questionnaire_of(made[0].questionnaire_version)
    batch = scoring.score_many(questionnaire, frame, {r.id: r.duty for r in made}, moderated=moderated)
    return batch, questionnaire, {r.id: r for r in made}


def core_roll_up(cycle) -> pd.DataFrame:
    """% green by standard worked out afresh by the scoring core, rolled up by rag_by_standard."""
    batch, _questionnaire, _made = core_scores(cycle)
    return scoring.rag_by_standard(batch.standards).set_index("section_id")


def test_the_page_the_pdf_and_the_workbook_give_the_same_figures(client, setting):
    signed_in(client, Role.ADMIN, setting.partnership)
    cycle = setting.cycle
    page = soup(client.get(f"/reports/cycles/{cycle.id}/board-summary"))
    pdf = pdf_text(client.get(f"/reports/cycles/{cycle.id}/board-summary.pdf").data)
    workbook = client.get(f"/reports/cycles/{cycle.id}/workbook.xlsx").data

    green = table_after(page, "green-by-standard")
    by_standard = workbook_sheet(workbook, "By standard")
    assert len(green) == len(by_standard) == 8
    for (_number, title, counted, greens, pct), (_, sheet) in zip(green, by_standard.iterrows(), strict=True):
        assert title == sheet["Standard"]
        assert (int(counted), int(greens)) == (sheet["Organisations"], sheet["Green"])
        assert pct == f"{round(100 * sheet['% green'])}%"
        assert f"{counted} {greens} {pct}" in pdf

    rates = table_after(page, "return-rates")
    everyone = rates[-1]
    assert everyone == ["All organisations", "5", "4", "80%", "4", "80%"]
    assert "All organisations 5 4 80% 4 80%" in pdf
    sheet = workbook_sheet(workbook, "Return rates").iloc[-1]
    assert (sheet["Expected"], sheet["By initial deadline"], sheet["By final deadline"]) == (5, 4, 4)

    training = next(row for row in green if row[1].startswith("Standard 5"))
    assert training[2:] == ["4", "2", "50%"]  # the moderation and the decline both count


def test_the_workbooks_figures_by_standard_are_the_scoring_cores_roll_ups(client, setting):
    signed_in(client, Role.ADMIN, setting.partnership)
    content = client.get(f"/reports/cycles/{setting.cycle.id}/workbook.xlsx").data
    sheet = workbook_sheet(content, "By standard").set_index("Standard id")
    core = core_roll_up(setting.cycle)
    assert list(sheet.index) == list(core.index.astype(str))
    for section_id, row in sheet.iterrows():
        expected = core.loc[section_id]
        assert (row["Organisations"], row["Green"], row["Amber"], row["Red"]) == (
            expected["organisations"],
            expected["green"],
            expected["amber"],
            expected["red"],
        )
        assert row["% green"] == pytest.approx(expected["pct_green"] / 100)


def test_the_workbooks_ratings_by_organisation_are_the_scoring_cores(client, setting):
    signed_in(client, Role.ADMIN, setting.partnership)
    content = client.get(f"/reports/cycles/{setting.cycle.id}/workbook.xlsx").data
    sheet = workbook_sheet(content, "By organisation").astype(object).fillna("").set_index("Organisation")
    batch, questionnaire, made = core_scores(setting.cycle)

    def words(rating) -> str:
        return "" if pd.isna(rating) else questionnaire.scale.rating(str(rating)).label

    columns = {column.split(":", 1)[0]: column for column in sheet.columns if ":" in column}
    assert list(columns) == [s.id for s in questionnaire.sections if s.scored]
    checked = set()
    for overall in batch.overall.itertuples():
        name = made[overall.return_id].organisation.name
        assert sheet.loc[name, "Overall rating"] == words(overall.rating), name
        checked.add(name)
    for standard in batch.standards.itertuples():
        name = made[standard.return_id].organisation.name
        shown = sheet.loc[name, columns[str(standard.section_id)]]
        expected = (
            "Not applicable" if str(standard.status) == "not_applicable" else words(standard.final_rating)
        )
        assert shown == expected, (name, standard.section_id)
    assert len(checked) == 4  # every return made; the silent council has no ratings at all
    silent = sheet.loc["Hillside District Council"]
    assert silent["Overall rating"] == "" and all(silent[c] == "" for c in columns.values())
    # The moderated standard shows the moderation, as the core applies it.
    assert sheet.loc["Northgate Police", columns["training"]] == "Amber"


def test_answers_keep_their_question_id_from_one_questionnaire_version_to_the_next(client, app):
    partnership = make_partnership("Demoshire Safeguarding Children Partnership")
    police = organisation_with_contacts(partnership, "Northgate Police", agency_type="police")
    council = organisation_with_contacts(
        partnership, "Hillside District Council", agency_type="district_council"
    )
    v1_text = (QUESTIONNAIRES / FILES["s11"]).read_text(encoding="utf-8")
    v2_text = v1_text.replace('version: "2025.1"', 'version: "2026.1"').replace(
        "Is a Disclosure and Barring Service (DBS) check at the right level obtained",
        "Is an enhanced Disclosure and Barring Service (DBS) check obtained",
    )
    assert v2_text.count("2026.1") == 1 and "enhanced Disclosure" in v2_text
    versions = [
        shipped_version("s11"),
        cycles.store_questionnaire(
            parse_questionnaire(v2_text, "v2.yaml"), v2_text, "s11-8-standards-2026.1.yaml"
        ),
    ]
    workbooks = []
    for years_ago, version in ((1, versions[0]), (0, versions[1])):
        start = TODAY - timedelta(days=365 * years_ago + 90)
        cycle = cycles.create_cycle(
            partnership,
            f"Section 11 audit {2026 - years_ago}",
            opens_on=start,
            initial_deadline=start + timedelta(days=30),
            final_deadline=start + timedelta(days=60),
            questionnaires={"s11": version},
        )
        cycles.open_cycle(
            cycle, [police, council], {"s11": [s.id for s in questionnaire_of(version).sections]}
        )
        db.session.commit()
        send_return(
            return_of(cycle, police),
            {"safer-recruitment.dbs-checks": "partly"},
            on=start + timedelta(days=20),
        )
        send_return(return_of(cycle, council), on=start + timedelta(days=25))
        workbooks.append(cycle)
    signed_in(client, Role.ADMIN, partnership)
    old, new = (
        workbook_sheet(client.get(f"/reports/cycles/{cycle.id}/workbook.xlsx").data, "Answers")
        for cycle in workbooks
    )

    assert list(old.columns) == list(new.columns)
    assert sorted(zip(old["Organisation"], old["Question id"], strict=True)) == sorted(
        zip(new["Organisation"], new["Question id"], strict=True)
    )
    both = old.merge(new, on=["Organisation", "Question id"], suffixes=(" v1", " v2"), validate="one_to_one")
    assert len(both) == len(old) == len(new)
    dbs = both[both["Question id"] == "safer-recruitment.dbs-checks"].set_index("Organisation")
    assert dbs.loc["Northgate Police", "Question v1"].startswith("Is a Disclosure and Barring Service")
    assert dbs.loc["Northgate Police", "Question v2"].startswith("Is an enhanced Disclosure")
    assert dbs.loc["Northgate Police", ["Answer v1", "Answer v2"]].tolist() == ["Partly", "Partly"]
    assert dbs.loc["Hillside District Council", ["Answer v1", "Answer v2"]].tolist() == ["Yes", "Yes"]
    same = both[both["Question id"] != "safer-recruitment.dbs-checks"]
    assert (same["Question v1"] == same["Question v2"]).all()
    # The ratings sheet keeps the same column for each standard in both versions.
    old_by, new_by = (
        workbook_sheet(client.get(f"/reports/cycles/{cycle.id}/workbook.xlsx").data, "By organisation")
        for cycle in workbooks
    )
    assert list(old_by.columns) == list(new_by.columns)


def test_the_workbook_holds_answers_by_question_id_actions_and_the_audit_trail(client, setting):
    signed_in(client, Role.ADMIN, setting.partnership)
    content = client.get(f"/reports/cycles/{setting.cycle.id}/workbook.xlsx").data
    answers = workbook_sheet(content, "Answers")
    failing = answers[answers["Organisation"] == "Riverside NHS Foundation Trust"].set_index("Question id")
    assert failing.loc["safer-recruitment.dbs-checks", "Answer"] == "No"
    assert failing.loc["safer-recruitment.dbs-checks", "Score"] == 0
    actions = workbook_sheet(content, "Actions")
    assert actions.iloc[0][["Organisation", "Owner", "Overdue"]].tolist() == [
        "Riverside NHS Foundation Trust",
        "Director of Workforce",
        "Yes",
    ]
    trail = workbook_sheet(content, "Audit trail")
    assert {"Riverside NHS Foundation Trust", "Northgate Police"} <= set(trail["Organisation"])
    assert trail["Event"].str.startswith("Moderation").any()


def test_the_page_shows_trend_themes_non_compliance_actions_and_ratings_in_words(client, setting):
    signed_in(client, Role.ADMIN, setting.partnership)
    cycle = setting.cycle
    response = client.submit(
        f"/reports/cycles/{cycle.id}/themes",
        {"themes": "- Bank staff are not always DBS checked\n\nTraining records are kept in many places"},
    )
    assert response.status_code == 302
    page = soup(client.get(f"/reports/cycles/{cycle.id}/board-summary"))
    themes = [li.get_text(strip=True) for li in page.find(id="themes").find_next("ul").find_all("li")]
    assert themes == ["Bank staff are not always DBS checked", "Training records are kept in many places"]
    trend = table_after(page, "trend")
    assert page.find(id="trend").get_text(strip=True) == "Change since Section 11 audit 2025"
    assert trend[4][1:] == ["100%", "50%", "-50 points"]
    red, missing = table_after(page, "non-compliance", 0), table_after(page, "non-compliance", 1)
    assert [row[0] for row in red] == ["Riverside NHS Foundation Trust"]
    assert [row[0] for row in missing] == ["Hillside District Council"]
    actions = table_after(page, "actions")
    assert actions[-1] == ["All organisations", "1", "0", "0", "0%", "1"]
    heat = page.find(id="heat-map").find_next("table")
    riverside = heat.find("th", string="Riverside NHS Foundation Trust").parent
    tags = [tag.get_text(strip=True) for tag in riverside.select(".govuk-tag")]
    assert tags.count("Red") == 2 and "app-rating--red" in str(riverside)
    pdf = pdf_text(client.get(f"/reports/cycles/{cycle.id}/board-summary.pdf").data)
    assert "Bank staff are not always DBS checked" in pdf and "-50 points" in pdf


def test_themes_longer_than_the_limit_are_refused_with_a_message(client, setting):
    signed_in(client, Role.ADMIN, setting.partnership)
    response = client.submit(f"/reports/cycles/{setting.cycle.id}/themes", {"themes": "x" * 4001})
    assert "Themes must be 4,000 characters or fewer" in response.get_data(as_text=True)


def test_board_viewers_read_the_summary_but_not_the_workbook_nor_briefing_packs(client, setting):
    signed_in(client, Role.BOARD_VIEWER, setting.partnership)
    cycle = setting.cycle
    assert client.get(f"/reports/cycles/{cycle.id}/board-summary").status_code == 200
    assert client.get(f"/reports/cycles/{cycle.id}/board-summary.pdf").mimetype == "application/pdf"
    assert client.get(f"/reports/cycles/{cycle.id}/workbook.xlsx").status_code == 403
    assert client.get(f"/reports/cycles/{cycle.id}/themes").status_code == 403
    assert client.get("/challenge/").status_code == 403
    home = client.get("/board").get_data(as_text=True)
    assert f"/reports/cycles/{cycle.id}/board-summary" in home


def test_reviewers_and_other_partnerships_cannot_read_the_board_summary(client, setting):
    other = make_partnership("Otherton Safeguarding Children Partnership")
    signed_in(client, Role.BOARD_VIEWER, other)
    assert client.get(f"/reports/cycles/{setting.cycle.id}/board-summary").status_code == 404
    client.sign_out()
    signed_in(client, Role.REVIEWER, setting.partnership, email="reviewer@example.org")
    assert client.get(f"/reports/cycles/{setting.cycle.id}/board-summary").status_code == 403


def test_before_the_final_deadline_missing_returns_are_not_called_non_returns(client, app):
    partnership = make_partnership("Demoshire Safeguarding Children Partnership")
    school = make_organisation(
        partnership, "Abbey Fields Primary School", OrganisationKind.SCHOOL, phase="Primary"
    )
    cycle = open_schools_cycle(partnership, [school])
    signed_in(client, Role.BOARD_VIEWER, partnership)
    page = soup(client.get(f"/reports/cycles/{cycle.id}/board-summary"))
    words = " ".join(page.find(id="non-compliance").find_next("p").get_text().split())
    deadline = cycle.final_deadline
    assert (
        f"1 organisation has not made a return yet; the final deadline is {deadline.day} {deadline:%B %Y}."
        in words
    )
    assert table_after(page, "non-compliance", 1)[0][0] == "Abbey Fields Primary School"
    assert page.find("caption", string="Organisations with no return yet") is not None


def test_the_workbooks_audit_trail_includes_changes_to_the_organisations_during_the_cycle(client, setting):
    police = next(
        e.organisation
        for e in cycle_returns(setting.partnership, setting.cycle)
        if e.organisation.name == "Northgate Police"
    )
    police.notes = "New chief constable from April"
    police.contacts[0].name = "Morgan Newlead"
    outsider = make_organisation(setting.partnership, "Seaview Academy")
    outsider.notes = "Not in this cycle"
    db.session.commit()
    signed_in(client, Role.ADMIN, setting.partnership)
    content = client.get(f"/reports/cycles/{setting.cycle.id}/workbook.xlsx").data
    trail = workbook_sheet(content, "Audit trail").fillna("")
    police_rows = trail[trail["Organisation"] == "Northgate Police"]
    notes = police_rows[police_rows["Event"] == "Organisation update: notes"]
    assert notes["Detail"].tolist() == ["– → New chief constable from April"]
    contact = police_rows[police_rows["Event"] == "Contact update: name"]
    # Names are never copied into the trail: the change is recorded, the name is not.
    assert contact["Detail"].tolist() == ["(set) → (changed)"]
    assert not trail["Detail"].astype(str).str.contains("Morgan|Not in this cycle").any()
    assert "Seaview Academy" not in set(trail["Organisation"])
