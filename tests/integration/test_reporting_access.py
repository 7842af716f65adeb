"""Who may open each page of challenge events and reports: role by route."""

from __future__ import annotations

import pytest

from audit_app.data import challenge
from audit_app.models import Role

from ..support.challenge import TODAY, agenda_cycle, new_event
from ..support.factories import PASSWORD, make_partnership, make_user

ADMIN, REVIEWER, BOARD, RESPONDENT = Role.ADMIN, Role.REVIEWER, Role.BOARD_VIEWER, Role.RESPONDENT
# Path (filled in from the setting) → the roles that may open it; everyone else is refused (403).
ROUTES = {
    "/challenge/": {ADMIN, REVIEWER},
    "/challenge/new": {ADMIN},
    "/challenge/{event}": {ADMIN, REVIEWER},
    "/challenge/{event}/edit": {ADMIN},
    "/challenge/{event}/panel/add": {ADMIN},
    "/challenge/{event}/agenda/build": {ADMIN},
    "/challenge/{event}/agenda": {ADMIN, REVIEWER},
    "/challenge/{event}/agenda/add": {ADMIN},
    "/challenge/{event}/agenda/{item}": {ADMIN, REVIEWER},
    "/challenge/{event}/agenda/{item}/actions/new": {ADMIN},
    "/challenge/{event}/agenda/{item}/briefing-pack.pdf": {ADMIN, REVIEWER},
    "/reports/": {ADMIN, BOARD},
    "/reports/cycles/{cycle}/board-summary": {ADMIN, BOARD},
    "/reports/cycles/{cycle}/board-summary.pdf": {ADMIN, BOARD},
    "/reports/cycles/{cycle}/workbook.xlsx": {ADMIN},
    "/reports/cycles/{cycle}/themes": {ADMIN},
    "/reports/cycles/{cycle}/letters": {ADMIN, REVIEWER},
    "/reports/returns/{ret}/feedback-letter.pdf": {ADMIN, REVIEWER},
    "/reports/feedback": {RESPONDENT},
}


@pytest.mark.parametrize("role", [ADMIN, REVIEWER, BOARD, RESPONDENT], ids=lambda role: role.value)
def test_each_role_opens_only_its_own_challenge_and_report_pages(client, app, role):
    partnership = make_partnership("Demoshire Safeguarding Children Partnership")
    setting = agenda_cycle(partnership)
    event = new_event(partnership, setting.cycle)
    challenge.build_agenda(partnership, event, ["red"], TODAY)
    (item,) = event.agenda
    audit_return = setting.return_of(setting.failing)
    organisation = setting.failing if role is RESPONDENT else None
    user = make_user(role, partnership, organisation)
    client.sign_in(user.email, PASSWORD)
    values = {"event": event.id, "item": item.id, "cycle": setting.cycle.id, "ret": audit_return.id}
    refused = []
    for pattern, allowed in ROUTES.items():
        path = pattern.format(**values)
        status = client.get(path).status_code
        expected = 200 if role in allowed else 403
        if status != expected:
            refused.append((path, status, expected))
    assert refused == []
