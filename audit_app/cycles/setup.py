"""Filling in the new-cycle form's choices, and reading what it chose."""

from __future__ import annotations

from ..data.chasing import Schedule
from ..data.cycles import Audience, AudienceChoices, QuestionnaireFile
from ..fields import options
from ..models import OrganisationKind, Partnership
from .forms import NONE, QUESTIONNAIRE_GROUPS, CycleForm
from .presenters import KIND_LABELS, agency_type_label


def default_schedule(partnership: Partnership) -> dict:
    """The form's starting values: the partnership's reminder days, then weekly until the final deadline."""
    schedule = Schedule.from_dict({}, partnership.reminder_days or None)
    return {
        "reminder_days": ", ".join(str(d) for d in schedule.reminder_days),
        "reminder_every_days": schedule.reminder_every_days,
        "chase_days": ", ".join(str(d) for d in schedule.chase_days),
        "letter_days": schedule.letter_days,
    }


def _questionnaire_label(chosen: QuestionnaireFile) -> str:
    return f"{chosen.questionnaire.title} (version {chosen.questionnaire.version})"


def prepare_cycle_form(
    form: CycleForm, files: list[QuestionnaireFile], choices: AudienceChoices, partners: list[Partnership]
) -> None:
    for name, (duties, kind, _words) in QUESTIONNAIRE_GROUPS.items():
        serving = [f for f in files if any(d.value in duties for d in f.questionnaire.duties)]
        words = {
            OrganisationKind.AGENCY: "Agencies",
            OrganisationKind.SCHOOL: "Schools",
            OrganisationKind.COLLEGE: "Colleges",
        }[kind]
        getattr(form, name).choices = options(
            [
                *((f.file_name, _questionnaire_label(f)) for f in serving),
                (NONE, f"{words} are not in this cycle"),
            ]
        )
    form.agency_types.choices = options((value, agency_type_label(value)) for value in choices.agency_types)
    form.type_codes.choices = options(
        (code, f"{name} ({code})") for code, name in choices.establishment_types
    )
    form.la_codes.choices = options(
        (code, f"{name} ({code})" if name else code) for code, name in choices.la_codes
    )
    form.organisation_ids.choices = options(
        (o.id, f"{o.name} ({KIND_LABELS[o.kind].lower()})") for o in choices.organisations
    )
    form.joint_with.choices = options((p.id, p.name) for p in partners)


def cycle_details(form: CycleForm, files: list[QuestionnaireFile], partners: list[Partnership]) -> dict:
    """The arguments of data.cycles.create_draft, from a validated form."""
    by_name = {f.file_name: f for f in files}
    joint = set(form.joint_with.data or [])
    return {
        "name": form.name.data,
        "opens_on": form.opens_on.data,
        "initial_deadline": form.initial_deadline.data,
        "final_deadline": form.final_deadline.data,
        "questionnaires": {duty: by_name[name] for duty, name in form.questionnaire_duties().items()},
        "audience": Audience(
            kinds=tuple(form.kinds.data or ()),
            agency_types=tuple(form.agency_types.data or ()),
            type_codes=tuple(form.type_codes.data or ()),
            la_codes=tuple(form.la_codes.data or ()),
            organisation_ids=tuple(sorted(form.organisation_ids.data or ())),
        ),
        "joint_with": [p for p in partners if p.id in joint],
        "reminder_schedule": Schedule(
            reminder_days=tuple(form.chosen_reminder_days),
            reminder_every_days=form.reminder_every_days.data,
            chase_days=tuple(form.chosen_chase_days),
            letter_days=form.letter_days.data,
        ).to_dict(),
    }
