"""Assigning a reviewer to a return: any reviewer of the partnership, peer reviewers from
other agencies included, but never someone from the organisation under review."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ...extensions import db
from ...models import Organisation, Partnership, Return, Role, RoleGrant, User
from . import Refused, Review, commit


@dataclass(frozen=True)
class Candidate:
    user: User
    peer_from: str | None  # the agency a peer reviewer comes from


@dataclass
class Candidates:
    eligible: list[Candidate]
    excluded: list[tuple[User, str]]  # with why they cannot review this return


def reviewer_candidates(partnership: Partnership, audit_return: Return) -> Candidates:
    """The partnership's reviewers, split into those who may review this return and those who may not.

    Nobody reviews their own organisation: not a peer reviewer who comes from
    it, nor anyone who answers for it.
    """
    grants = db.session.execute(
        select(RoleGrant, User, Organisation)
        .join(User, User.id == RoleGrant.user_id)
        .outerjoin(Organisation, Organisation.id == RoleGrant.from_organisation_id)
        .where(
            RoleGrant.partnership_id == partnership.id,
            RoleGrant.role == Role.REVIEWER,
            User.active.is_(True),
        )
        .order_by(User.name, User.id, RoleGrant.id)
    ).all()
    answering = set(
        db.session.scalars(
            select(RoleGrant.user_id).where(
                RoleGrant.role == Role.RESPONDENT,
                RoleGrant.organisation_id == audit_return.organisation_id,
            )
        )
    )
    organisation_name = audit_return.organisation.name
    eligible: dict[int, Candidate] = {}
    excluded: dict[int, tuple[User, str]] = {}
    for grant, user, peer_organisation in grants:
        if grant.from_organisation_id == audit_return.organisation_id:
            excluded[user.id] = (user, f"{user.name} is a peer reviewer from {organisation_name}")
        elif user.id in answering:
            excluded[user.id] = (user, f"{user.name} answers for {organisation_name}")
        elif user.id not in excluded:
            eligible.setdefault(
                user.id, Candidate(user, peer_organisation.name if peer_organisation else None)
            )
    return Candidates(
        eligible=[candidate for user_id, candidate in eligible.items() if user_id not in excluded],
        excluded=list(excluded.values()),
    )


def assign_reviewer(review: Review, partnership: Partnership, reviewer_id: int) -> User:
    """Make this reviewer responsible for the return; Refused if they may not review it."""
    audit_return = review.audit_return
    candidates = reviewer_candidates(partnership, audit_return)
    for user, why in candidates.excluded:
        if user.id == reviewer_id:
            raise Refused(f"{why}, so cannot review its return. Select another reviewer")
    chosen = next((c.user for c in candidates.eligible if c.user.id == reviewer_id), None)
    if chosen is None:
        raise Refused("Select a reviewer from the list")
    audit_return.reviewer_id = chosen.id
    commit()
    return chosen
