"""Users, role grants and sign-in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, or_, select, update

from ..extensions import db
from ..models import Partnership, Role, RoleGrant, User, utcnow
from ..passwords import hash_password, needs_rehash, verify_password

# Roles that open other organisations' returns or the whole partnership: whoever
# holds one, in any partnership, signs in with a code as well as a password
# (ASVS 2.2.1, 4.3.1).
TWO_FACTOR_ROLES = (Role.ADMIN, Role.REVIEWER)


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


def authenticate(
    email: str,
    password: str,
    max_failures: int = 5,
    lock_for: timedelta = timedelta(minutes=15),
) -> User | None:
    """The user if the email and password match an active, unlocked account, else None.

    The password is checked even for an unknown, deactivated or locked account,
    so that no answer comes back sooner than another (ASVS 2.2.1, 3.5.x timing).
    A wrong password counts towards locking the account; the counter is only
    cleared by a complete sign-in (:func:`record_sign_in`), so that someone who
    knows the password cannot reset it between guesses at the code.
    """
    user = get_user_by_email(email)
    matches = verify_password(user.password_hash if user else None, password)
    if user is None or not user.active or is_locked(user):
        return None
    if not matches:
        record_failed_sign_in(user, max_failures, lock_for)
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def is_locked(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > utcnow()


def record_failed_sign_in(user: User, max_failures: int, lock_for: timedelta) -> bool:
    """Count a wrong password or code; lock the account at ``max_failures`` in a row.

    True if this failure locked the account. The count is incremented in SQL so
    that failures sent in parallel are all counted.
    """
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(failed_sign_ins=User.failed_sign_ins + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(user)
    locked = user.failed_sign_ins >= max_failures
    if locked:
        user.locked_until = utcnow() + lock_for
        user.failed_sign_ins = 0
    db.session.commit()
    return locked


def record_sign_in(user: User) -> None:
    """A complete sign-in: password, and code where one is needed."""
    user.last_sign_in_at = utcnow()
    user.failed_sign_ins = 0
    user.locked_until = None
    db.session.commit()


def needs_two_factor(user: User) -> bool:
    """Whether signing in takes a code: required by the roles held, or chosen."""
    return scope_of(user).needs_two_factor


def start_two_factor(user: User, new_secret: str) -> str:
    """The secret to enrol with: the one already offered, or ``new_secret``.

    Kept until it is confirmed, so that reloading the page, or coming back after
    installing an app, shows the secret already scanned.
    """
    if user.totp_confirmed_at is None and not user.totp_secret:
        user.totp_secret = new_secret
        user.totp_last_step = None
        db.session.commit()
    return user.totp_secret


def spend_two_factor_step(user: User, step: int) -> bool:
    """Accept a code's time step once only (ASVS 2.8.4: no replay).

    A conditional UPDATE, as for reset tokens, so that two requests racing with
    the same code cannot both succeed; a code from a step earlier than one
    already used is refused too.
    """
    result = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(user)
    return result.rowcount == 1


def confirm_two_factor(user: User) -> None:
    user.totp_confirmed_at = utcnow()
    db.session.commit()


def reset_two_factor(user: User) -> None:
    """Forget the authenticator; the person sets one up at their next sign-in.

    Their sessions end too, so a session opened with the old app does not outlive it.
    """
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    user.session_version += 1
    db.session.commit()


def end_all_sessions(user: User) -> None:
    """Sign the person out in every browser (sessions are cookies; ASVS 3.3.1)."""
    user.session_version += 1
    db.session.commit()


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


@dataclass(frozen=True)
class Scope:
    """Everything a person's role grants open, read with one query at the start of a request.

    Every question about what a person may do is answered from here
    (:func:`needs_two_factor`, :func:`roles_in`, :func:`organisation_ids_for`); a
    request reads it once (``access.py``) rather than once per question.
    """

    user: User
    grants: tuple[tuple[Role, Partnership, int | None], ...]  # (role, partnership, organisation id)

    @property
    def needs_two_factor(self) -> bool:
        return self.user.totp_confirmed_at is not None or any(
            role in TWO_FACTOR_ROLES for role, _, _ in self.grants
        )

    @property
    def partnerships(self) -> list[Partnership]:
        unique = {partnership.id: partnership for _, partnership, _ in self.grants}
        return sorted(unique.values(), key=lambda partnership: (partnership.name, partnership.id))

    def roles_in(self, partnership: Partnership) -> set[Role]:
        return {role for role, held_in, _ in self.grants if held_in.id == partnership.id}

    def organisation_ids_for(self, partnership: Partnership) -> list[int]:
        return sorted(
            {
                organisation_id
                for role, held_in, organisation_id in self.grants
                if held_in.id == partnership.id and role is Role.RESPONDENT and organisation_id is not None
            }
        )


def scope_of(user: User) -> Scope:
    rows = db.session.execute(
        select(RoleGrant.role, Partnership, RoleGrant.organisation_id)
        .join(Partnership, Partnership.id == RoleGrant.partnership_id)
        .where(RoleGrant.user_id == user.id)
        .order_by(RoleGrant.id)
    )
    return Scope(
        user, tuple((role, partnership, organisation_id) for role, partnership, organisation_id in rows)
    )


def roles_in(user: User, partnership: Partnership) -> set[Role]:
    return scope_of(user).roles_in(partnership)


def organisation_ids_for(user: User, partnership: Partnership) -> list[int]:
    """The organisations a respondent answers for in this partnership."""
    return scope_of(user).organisation_ids_for(partnership)


def count_users() -> int:
    return db.session.scalar(select(func.count(User.id))) or 0
