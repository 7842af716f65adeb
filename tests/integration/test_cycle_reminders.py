import io
import re
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader

from audit_app import mail
from audit_app.cycles import sending
from audit_app.data import invitations, organisations, outbox
from audit_app.data.chasing import Schedule
from audit_app.extensions import db
from audit_app.models import ContactRole, Message, MessageStage, MessageStatus, utcnow

from ..support.client import soup
from ..support.cycles import open_s11_cycle, organisation_with_contacts, return_of, start, submit
from ..support.factories import make_partnership
from ..support.smtp import SMTPServer

OPENS, INITIAL, FINAL = date(2026, 9, 1), date(2026, 10, 1), date(2026, 10, 29)
# The default schedule: reminders on 17, 24 and 30 September; weekly after the initial deadline
# (8, 15, 22 and 29 October); the business-unit chase on 15 October; the chair's letter on 30 October.


def run(runner, day: date, *options: str) -> str:
    result = runner.invoke(args=["reminders", "send", "--today", day.isoformat(), *options])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def sent_on(stage: MessageStage | None = None) -> list[tuple[str, str]]:
    """(stage, to) of the cycle's messages, in the order they were queued."""
    query = db.select(Message).where(Message.stage != MessageStage.ACCOUNT).order_by(Message.id)
    if stage is not None:
        query = query.where(Message.stage == stage)
    return [(m.stage.value, m.to) for m in db.session.scalars(query)]


@pytest.fixture
def smtp(app):
    server = SMTPServer()
    server.configure(app)
    yield server.inbox
    server.stop()


@pytest.fixture
def cycle_of_four(app):
    partnership = make_partnership(independent_chair="Professor Alison Carver, independent scrutineer")
    agencies = {
        "silent": organisation_with_contacts(partnership, "Silent Trust", escalation=("head", "chair")),
        "prompt": organisation_with_contacts(partnership, "Prompt Council"),
        "slow": organisation_with_contacts(partnership, "Slow Police"),
        "leadless": organisation_with_contacts(partnership, "Leadless Housing", lead=None),
    }
    cycle = open_s11_cycle(partnership, list(agencies.values()), OPENS, INITIAL, FINAL)
    return cycle, agencies


def test_reminders_go_to_non_responders_only_and_only_on_the_schedule(runner, cycle_of_four):
    cycle, agencies = cycle_of_four
    silent, prompt, slow = "lead@silenttrust.example", "lead@promptcouncil.example", "lead@slowpolice.example"

    run(runner, OPENS)
    assert sent_on() == [("invitation", silent), ("invitation", prompt), ("invitation", slow)]
    run(runner, OPENS)
    run(runner, date(2026, 9, 16))
    assert len(sent_on()) == 3  # the same day again, and a day with nothing scheduled: nothing new

    start(return_of(cycle, agencies["slow"]), date(2026, 9, 10))
    output = run(runner, date(2026, 9, 17))
    assert "queued 3 reminders" in output
    assert sent_on(MessageStage.REMINDER) == [("reminder", silent), ("reminder", prompt), ("reminder", slow)]

    submit(return_of(cycle, agencies["prompt"]), date(2026, 9, 20))
    run(runner, date(2026, 9, 24))
    run(runner, date(2026, 9, 25))
    reminders = db.session.scalars(
        db.select(Message).where(Message.stage == MessageStage.REMINDER).order_by(Message.id)
    ).all()
    assert [(m.to, m.idempotency_key.rsplit(":", 1)[1]) for m in reminders[3:]] == [
        (silent, "2026-09-24"),
        (slow, "2026-09-24"),
    ]
    slow_reminder = reminders[-1]
    assert "The return has been started" in slow_reminder.body
    assert "due by 1 October 2026" in slow_reminder.subject

    run(runner, date(2026, 10, 8))
    overdue = sent_on(MessageStage.REMINDER)[5:]
    assert overdue == [("reminder", silent), ("reminder", slow)]
    assert (
        "we have not received it"
        in db.session.scalars(db.select(Message).order_by(Message.id.desc())).first().body
    )
    # The organisation without a lead contact was never invited, so it is never chased either.
    assert not any("leadlesshousing" in to for _, to in sent_on())


def test_the_escalation_runs_from_reminder_to_chase_to_the_chairs_letter(runner, cycle_of_four, smtp):
    cycle, agencies = cycle_of_four
    submit(return_of(cycle, agencies["prompt"]), date(2026, 9, 20))
    for day in (OPENS, date(2026, 10, 8), date(2026, 10, 15), date(2026, 10, 16), date(2026, 10, 30)):
        run(runner, day)

    chases = db.session.scalars(
        db.select(Message).where(Message.stage == MessageStage.CHASE).order_by(Message.id)
    ).all()
    # The lead's chase carries their start link, so it goes to them alone; the escalation
    # contacts get a copy of their own without one.
    assert [(m.to, m.cc) for m in chases] == [
        ("lead@silenttrust.example", ""),
        ("head@silenttrust.example, chair@silenttrust.example", ""),
        ("lead@slowpolice.example", ""),
        ("head@slowpolice.example", ""),
    ]
    silent_id = return_of(cycle, agencies["silent"]).id
    assert [m.idempotency_key for m in chases[:2]] == [f"chase:{silent_id}:1", f"chase:{silent_id}:1/copy"]
    # No reminder on the chase day, nor the day after for the same week.
    assert [
        m.idempotency_key.rsplit(":", 1)[1]
        for m in db.session.scalars(db.select(Message).where(Message.stage == MessageStage.REMINDER))
    ] == ["2026-10-08", "2026-10-08"]

    [copy] = smtp.to("head@silenttrust.example")[:1]
    assert copy.subject == "Overdue: Silent Trust's Section 11 audit 2026 return"
    assert sorted(copy.recipients) == sorted(["head@silenttrust.example", "chair@silenttrust.example"])
    assert "We have written to Lead Lead to ask for it" in copy.body()
    assert "/start/" not in copy.body()
    [chase] = [r for r in smtp.to("lead@silenttrust.example") if r.subject.startswith("Overdue")]
    assert chase.recipients == ["lead@silenttrust.example"]
    assert "We are also writing to Head Person (Head teacher) and Chair Person (Head teacher)" in chase.body()
    assert "/start/" in chase.body()

    letters = db.session.scalars(
        db.select(Message).where(Message.stage == MessageStage.LETTER).order_by(Message.id)
    ).all()
    assert [(m.to, m.cc) for m in letters] == [
        ("head@silenttrust.example, chair@silenttrust.example", "lead@silenttrust.example"),
        ("head@slowpolice.example", "lead@slowpolice.example"),
    ]
    assert letters[0].attachment["kind"] == "escalation_letter"
    received = [
        r for r in smtp.received if r.subject.startswith("Letter from the independent chair: Silent Trust")
    ]
    assert len(received) == 1
    [(filename, pdf)] = received[0].attachments()
    assert filename == f"letter-{return_of(cycle, agencies['silent']).reference}.pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    for expected in (
        "Silent Trust",
        "Head Person",
        "Chair Person",
        "1 October 2026",
        "29 October 2026",
        "section 16H of the Children Act 2004",
        "section 14B",
        "Professor Alison Carver",
        "Independent scrutineer",
    ):
        assert expected in text, expected
    # Nothing goes twice, and nothing at all to the organisation that returned.
    assert len({(r.subject, tuple(r.recipients)) for r in smtp.received}) == len(smtp.received)
    assert not smtp.to("lead@promptcouncil.example")[1:]


def test_a_dry_run_lists_what_is_due_and_changes_nothing(runner, cycle_of_four):
    output = run(runner, OPENS, "--dry-run")
    assert "Invitation" in output and "Silent Trust" in output
    assert "3 messages would be queued" in output
    assert sent_on() == []


def test_a_refused_message_is_left_failed_with_the_error_and_retried_by_a_later_run(
    runner, cycle_of_four, smtp
):
    smtp.refuse_recipients.add("lead@slowpolice.example")
    output = run(runner, OPENS)
    assert "Delivered: 2 sent, 0 kept in the outbox, 1 failed." in output
    failed = db.session.scalar(db.select(Message).where(Message.status == MessageStatus.FAILED))
    assert failed.to == "lead@slowpolice.example"
    assert failed.attempts == 1
    assert "550" in failed.last_error and "No such mailbox" in failed.last_error
    assert len(smtp.received) == 2

    # Straight away, the back-off holds it back; later it is tried again.
    assert mail.deliver_due(now=utcnow()).handled == 0
    smtp.refuse_recipients.clear()
    smtp.refuse_next = 1  # the server is busy once more: 451
    again = mail.deliver_due(now=utcnow() + timedelta(minutes=6))
    assert (again.sent, again.failed) == (0, 1)
    db.session.refresh(failed)
    assert failed.attempts == 2 and "451" in failed.last_error
    finally_sent = mail.deliver_due(now=utcnow() + timedelta(hours=1))
    assert finally_sent.sent == 1
    db.session.refresh(failed)
    assert (failed.status, failed.attempts, failed.last_error) == (MessageStatus.SENT, 3, "")
    assert [r.recipients for r in smtp.to("lead@slowpolice.example")] == [["lead@slowpolice.example"]]


def test_a_message_that_keeps_failing_stops_after_five_attempts(app, cycle_of_four, smtp):
    sending.queue_due(OPENS)
    smtp.refuse_recipients.add("lead@slowpolice.example")
    moment = utcnow()
    for attempt in range(8):
        mail.deliver_due(now=moment + timedelta(days=attempt))
    stuck = db.session.scalar(db.select(Message).where(Message.to == "lead@slowpolice.example"))
    assert (stuck.status, stuck.attempts) == (MessageStatus.FAILED, outbox.MAX_ATTEMPTS)


def test_two_workers_sending_at_once_deliver_each_message_exactly_once(app, smtp):
    partnership = make_partnership()
    agencies = [organisation_with_contacts(partnership, f"Agency {n}") for n in range(8)]
    open_s11_cycle(partnership, agencies, OPENS, INITIAL, FINAL, schedule=Schedule())
    barrier = threading.Barrier(2)
    problems = []

    def worker():
        try:
            with app.app_context():
                barrier.wait()
                sending.send_due(OPENS)
                db.session.remove()
        except Exception as exc:  # reported below: a thread's exception would be lost
            problems.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert problems == []
    db.session.expire_all()
    recipients = sorted(r.recipients[0] for r in smtp.received)
    assert recipients == sorted(f"lead@agency{n}.example" for n in range(8))
    messages = db.session.scalars(db.select(Message)).all()
    assert len(messages) == 8
    assert {(m.status, m.attempts) for m in messages} == {(MessageStatus.SENT, 1)}


def test_running_the_send_twice_the_same_day_sends_nothing_new(runner, cycle_of_four, smtp):
    run(runner, OPENS)
    first = len(smtp.received)
    output = run(runner, OPENS)
    assert "queued nothing new" in output
    assert "Delivered: 0 sent" in output
    assert len(smtp.received) == first == 3


def test_the_day_a_message_is_recorded_is_the_day_the_run_acted_for(runner, cycle_of_four):
    run(runner, OPENS)
    created = {m.created_at.date() for m in db.session.scalars(db.select(Message))}
    assert created == {OPENS}
    assert all(m.created_at.tzinfo is UTC for m in db.session.scalars(db.select(Message)))
    assert datetime.now(UTC).date() >= OPENS


def test_of_two_workers_that_both_saw_a_message_waiting_only_one_can_claim_it(app, cycle_of_four):
    sending.queue_due(OPENS)
    now = utcnow()
    with app.app_context():
        seen_by_first = outbox.deliverable(now)
        with app.app_context():
            seen_by_second = outbox.deliverable(now)
            assert [item.id for item in seen_by_second] == [item.id for item in seen_by_first]
        claimed = outbox.claim(seen_by_first[0], now, smtp=True)
        assert claimed is not None and claimed.status is MessageStatus.SENT
        db.session.remove()
    with app.app_context():
        assert outbox.claim(seen_by_second[0], now, smtp=True) is None
        db.session.remove()


def test_of_two_workers_that_both_planned_a_message_only_one_queues_it(app, cycle_of_four):
    from audit_app.cycles import messages
    from audit_app.data import chasing

    with app.app_context():  # the second worker plans while nothing is queued yet
        second_plan = chasing.plan_due(OPENS)
        with app.app_context():  # the first worker queues and commits meanwhile
            assert len(messages.queue(chasing.plan_due(OPENS), OPENS).message_ids) == 3
            db.session.commit()
            db.session.remove()
        # The second worker's inserts come after its check: the unique key turns each into nothing.
        assert [outbox.add_message(**messages.compose(due, OPENS)[0]) for due in second_plan] == [
            None,
            None,
            None,
        ]
        db.session.commit()
        db.session.remove()
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 3


def test_the_business_unit_can_send_what_is_due_now_for_its_own_partnership_only(client):
    from ..support.client import soup
    from ..support.cycles import signed_in_admin

    today = date.today()
    ours = make_partnership("Ours")
    theirs = make_partnership("Theirs")
    open_s11_cycle(
        ours,
        [organisation_with_contacts(ours, "Our Police")],
        today,
        today + timedelta(days=30),
        today + timedelta(days=60),
    )
    open_s11_cycle(
        theirs,
        [organisation_with_contacts(theirs, "Their Police")],
        today,
        today + timedelta(days=30),
        today + timedelta(days=60),
    )
    signed_in_admin(client, ours)
    response = client.post("/cycles/outbox/send", data={"csrf_token": client.csrf_token("/cycles/outbox")})
    assert response.headers["Location"] == "/cycles/outbox"
    page = soup(client.get("/cycles/outbox"))
    assert (
        "Messages sent: 0, kept in the outbox: 1, failed: 0."
        in page.select_one(".govuk-notification-banner").get_text()
    )
    assert sent_on() == [("invitation", "lead@ourpolice.example")]
    subjects = [a.get_text(strip=True) for a in page.select("tbody a")]
    assert subjects == ["Section 11 audit 2026: please complete Our Police's safeguarding return"]


START_LINK = re.compile(r"https?://\S+?(/start/[\w-]+)")


def test_each_start_link_goes_only_to_the_person_it_was_made_for(runner, client, smtp):
    partnership = make_partnership()
    police = organisation_with_contacts(partnership, "Two Leads Police", escalation=("head",))
    organisations.add_contact(police, "Second Lead", "second@twoleadspolice.example", ContactRole.LEAD)
    db.session.commit()
    cycle = open_s11_cycle(partnership, [police], OPENS, INITIAL, FINAL)
    for day in (OPENS, date(2026, 10, 15)):  # the invitation, then the business unit's chase
        run(runner, day)

    leads = ["lead@twoleadspolice.example", "second@twoleadspolice.example"]
    links_to: dict[str, set[str]] = {}
    for received in smtp.received:
        for link in START_LINK.findall(received.body()):
            links_to.setdefault(link, set()).update(received.recipients)
    assert len(links_to) == 4  # an invitation and a chase for each lead contact
    assert all(len(recipients) == 1 for recipients in links_to.values())
    for link, (recipient,) in links_to.items():
        assert recipient in leads
        assert invitations.find_invitation(link.removeprefix("/start/")).email == recipient
    # The head teacher is copied on the chase, but with the address of the service, not a link.
    [copy] = smtp.to("head@twoleadspolice.example")
    assert copy.recipients == ["head@twoleadspolice.example"]
    assert "/start/" not in copy.body() and "online at http://audit.test." in copy.body()
    assert "We have written to Lead Lead and Second Lead" in copy.body()

    # A link works for its own person only: signed in as the second lead, the first lead's is refused.
    first_link = next(link for link, people in links_to.items() if people == {leads[0]})
    second_link = next(link for link, people in links_to.items() if people == {leads[1]})
    response = client.submit(
        second_link,
        {
            "name": "Second Lead",
            "password": "a long and memorable passphrase",
            "confirm": "a long and memorable passphrase",
        },
    )
    assert response.headers["Location"] == f"/returns/{return_of(cycle, police).id}"
    refused = client.get(first_link)
    assert soup(refused).h1.get_text(strip=True) == "This invitation is for someone else"
    assert invitations.find_invitation(first_link.removeprefix("/start/")) is not None

    # Run again: nothing new for anyone.
    count = len(smtp.received)
    run(runner, date(2026, 10, 15))
    assert len(smtp.received) == count


def test_the_last_reminder_before_the_deadline_and_the_weekly_ones_after_go_to_non_responders_only(
    runner, cycle_of_four
):
    cycle, agencies = cycle_of_four
    silent, prompt, slow = "lead@silenttrust.example", "lead@promptcouncil.example", "lead@slowpolice.example"
    run(runner, OPENS)
    submit(return_of(cycle, agencies["prompt"]), date(2026, 9, 20))

    run(runner, date(2026, 9, 30))  # the day before the initial deadline
    assert sent_on(MessageStage.REMINDER) == [("reminder", silent), ("reminder", slow)]
    run(runner, date(2026, 10, 8))  # a week after it
    submit(return_of(cycle, agencies["slow"]), date(2026, 10, 10))
    for day in (date(2026, 10, 15), date(2026, 10, 22), date(2026, 10, 29)):
        run(runner, day)

    reminders = db.session.scalars(
        db.select(Message).where(Message.stage == MessageStage.REMINDER).order_by(Message.id)
    ).all()
    assert [(m.to, m.idempotency_key.rsplit(":", 1)[1]) for m in reminders] == [
        (silent, "2026-09-30"),
        (slow, "2026-09-30"),
        (silent, "2026-10-08"),
        (slow, "2026-10-08"),
        # 15 October is the business unit's chase day: the chase goes instead of a reminder.
        (silent, "2026-10-22"),
        (silent, "2026-10-29"),  # the final deadline falls on a weekly date
    ]
    assert (
        reminders[0].subject
        == "Reminder: Silent Trust's Section 11 audit 2026 return is due by 1 October 2026"
    )
    assert reminders[-1].subject == "Reminder: Silent Trust's Section 11 audit 2026 return is overdue"
    # The chase goes to the lead, and a copy without the start link to the escalation contacts.
    assert sent_on(MessageStage.CHASE) == [
        ("chase", silent),
        ("chase", "head@silenttrust.example, chair@silenttrust.example"),
    ]
    assert not any(to == prompt for stage, to in sent_on() if stage != "invitation")
