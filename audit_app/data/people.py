"""Users, role grants and sign-in."""

from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db
from ..models import Partnership, Role, RoleGrant, User, utcnow
from ..passwords import hash_password, needs_rehash, verify_password


def normalise_email(email: str) -> str:
    return email.strip().lower()


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def load_signed_in_user(session_id: str) -> User | None:
    """Flask-Login's loader: the id carries a session version so a reset signs people out."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user if the email and password match an active account, else None."""
    user = get_user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user is None or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_sign_in_at = utcnow()
    db.session.commit()
    return user


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.session_version += 1
    db.session.commit()


def create_user(email: str, name: str, password: str | None = None) -> User:
    user = User(
        email=normalise_email(email),
        name=name,
        password_hash=hash_password(password) if password else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def grant_role(
    user: User,
    role: Role,
    partnership: Partnership,
    organisation_id: int | None = None,
    from_organisation_id: int | None = None,
) -> RoleGrant:
    if role is Role.RESPONDENT and organisation_id is None:
        raise ValueError("a respondent's role is held for one organisation")
    grant = RoleGrant(
        user=user,
        role=role,
        partnership_id=partnership.id,
        organisation_id=organisation_id,
        from_organisation_id=from_organisation_id,
    )
    db.session.add(grant)
    db.session.flush()
    return grant


def partnerships_of(user: User) -> list[Partnership]:
    return list(
        db.session.scalars(
            select(Partnership)
            .where(Partnership.id.in_(select(RoleGrant.partnership_id).where(RoleGrant.user_id == user.id)))
            .order_by(Partnership.name, Partnership.id)
        )
    )


def roles_in(user: User, partnership: Partnership) -> set[Role]:
    return set(
        db.session.scalars(
            select(RoleGrant.role).where(
                RoleGrant.user_id == user.id, RoleGrant.partnership_id == partnership.id
            )
        )
    )


def organisation_ids_for(user: User, partnership: Partnership) -> list[int]:
    """The organisations a respondent answers for in this partnership."""
    return list(
        db.session.scalars(
            select(RoleGrant.organisation_id)
            .where(
                RoleGrant.user_id == user.id,
                RoleGrant.partnership_id == partnership.id,
                RoleGrant.role == Role.RESPONDENT,
                RoleGrant.organisation_id.is_not(None),
            )
            .order_by(RoleGrant.organisation_id)
        )
    )


def count_users() -> int:
    return db.session.scalar(select(func.count(User.id))) or 0
