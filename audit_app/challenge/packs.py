"""Briefing packs: one for an organisation on the agenda, or all of an event's as a
background job that leaves a zip."""

from __future__ import annotations

from datetime import date

from reports.briefing_pack import build_briefing_pack

from .. import jobs
from ..data import challenge, report_data
from ..models import ChallengeEvent, Job, Partnership, Return
from ..reporting.batches import BRIEFING_PACKS, save_zip, slug


def file_name(organisation_name: str) -> str:
    return f"briefing-pack-{slug(organisation_name)}.pdf"


def briefing_pdf(partnership: Partnership, event: ChallengeEvent, audit_return: Return, today: date) -> bytes:
    pack = report_data.briefing_pack(partnership, audit_return, today, panel_on=challenge.event_day(event))
    return build_briefing_pack(pack)


@jobs.handler(BRIEFING_PACKS)
def all_briefing_packs(job: Job, progress) -> dict:
    """A briefing pack for each organisation on the event's agenda, in agenda order."""
    partnership = challenge.partnership_of(job.partnership_id)
    event = challenge.event_in_scope(partnership, job.parameters["event_id"]) if partnership else None
    if event is None:
        raise jobs.JobError("The challenge event no longer exists.")
    today = date.fromisoformat(job.parameters["today"])
    lines = [line for line in challenge.agenda_lines(event) if line.audit_return is not None]
    if not lines:
        raise jobs.JobError("There is no one on the agenda yet, so there are no briefing packs to make.")
    progress(0, len(lines))

    def pdfs():
        for done, line in enumerate(lines, start=1):
            prefix = f"{line.item.position:02d}-"
            yield (
                prefix + file_name(line.organisation.name),
                briefing_pdf(partnership, event, line.audit_return, today),
            )
            progress(done, len(lines))

    count = save_zip(job, pdfs())
    return {"count": count, "file_name": f"briefing-packs-{slug(event.title)}.zip"}
