"""When reminders go: days before the initial deadline, then every so many days until the final one."""

from __future__ import annotations

from datetime import date

from audit_app.data.chasing import Schedule
from audit_app.models import AuditCycle

# A Thursday initial deadline; the final deadline four weeks later falls on a weekly reminder day.
OPENS, INITIAL, FINAL = date(2026, 9, 1), date(2026, 10, 1), date(2026, 10, 29)


def cycle(opens: date = OPENS, initial: date = INITIAL, final: date = FINAL) -> AuditCycle:
    return AuditCycle(opens_on=opens, initial_deadline=initial, final_deadline=final)


def days(*pairs: tuple[int, int]) -> list[date]:
    return [date(2026, month, day) for month, day in pairs]


def test_by_default_reminders_go_14_7_and_1_days_before_then_weekly_to_the_final_deadline():
    assert Schedule().reminder_dates(cycle()) == days(
        (9, 17), (9, 24), (9, 30), (10, 8), (10, 15), (10, 22), (10, 29)
    )


def test_a_final_deadline_on_a_weekly_date_gets_its_reminder_and_nothing_goes_after_it():
    dates = Schedule().reminder_dates(cycle())
    assert dates[-1] == FINAL
    assert Schedule().reminder_dates(cycle(final=date(2026, 10, 28)))[-1] == date(2026, 10, 22)
    assert Schedule().reminder_dates(cycle(final=date(2026, 10, 30)))[-1] == FINAL


def test_when_the_initial_and_final_deadlines_are_the_same_day_only_the_reminders_before_it_go():
    assert Schedule().reminder_dates(cycle(final=INITIAL)) == days((9, 17), (9, 24), (9, 30))


def test_a_final_deadline_less_than_a_week_after_the_initial_one_has_no_weekly_reminder():
    assert Schedule().reminder_dates(cycle(final=date(2026, 10, 7))) == days((9, 17), (9, 24), (9, 30))


def test_custom_days_and_interval():
    schedule = Schedule(reminder_days=(21, 3), reminder_every_days=10)
    assert schedule.reminder_dates(cycle()) == days((9, 10), (9, 28), (10, 11), (10, 21))


def test_no_reminders_after_the_initial_deadline_when_the_interval_is_zero():
    schedule = Schedule(reminder_every_days=0)
    assert schedule.reminder_dates(cycle()) == days((9, 17), (9, 24), (9, 30))


def test_reminder_days_before_the_cycle_opens_are_dropped():
    assert Schedule().reminder_dates(cycle(opens=date(2026, 9, 25)))[:2] == days((9, 30), (10, 8))


def test_a_reminder_on_the_initial_deadline_itself_counts_as_before_it():
    schedule = Schedule(reminder_days=(0,), reminder_every_days=7)
    assert schedule.reminder_dates(cycle(final=date(2026, 10, 8))) == [INITIAL, date(2026, 10, 8)]


def test_the_stored_schedule_falls_back_to_the_partnerships_reminder_days():
    assert Schedule.from_dict({}, [10, 3, 10]).reminder_days == (10, 3)
    stored = Schedule.from_dict({"reminder_days": [1, 7, 14], "reminder_every_days": 14})
    assert stored.reminder_dates(cycle()) == days((9, 17), (9, 24), (9, 30), (10, 15), (10, 29))
    assert Schedule.from_dict(Schedule(reminder_days=(5,)).to_dict()) == Schedule(reminder_days=(5,))
