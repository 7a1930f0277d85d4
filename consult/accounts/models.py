"""Staff accounts, their roles and sessions, set-password links, sign-in throttling
and the audit log.

Staff are accountable, so their times are kept to the second (UTC, stored without
a zone). Nothing here refers to a respondent: the audit log names responses by id
only, and sign-in throttling counts attempts per account name, never per address.
"""

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, DateTime, ForeignKey, Index, Integer, String
from sqlmodel import Field, Relationship, SQLModel


class Role(enum.StrEnum):
    """What a staff member may do. Roles add up; none implies another.

    An admin manages accounts, retention and the audit log, and nothing else unless
    they also hold the designer or analyst role: reading respondents' answers is a
    separate grant, so that whoever runs the server does not see them by default.
    """

    ADMIN = "admin"
    DESIGNER = "designer"
    ANALYST = "analyst"


class AccountStatus(enum.StrEnum):
    #: Created by an invitation; no password yet.
    INVITED = "invited"
    ACTIVE = "active"
    #: Cannot sign in; kept so the audit log keeps naming who did what.
    DEACTIVATED = "deactivated"


ROLES = tuple(r.value for r in Role)


def utcnow() -> datetime:
    """Now, in UTC, to the second (the precision staff timestamps are kept at)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _time(nullable: bool = False, **kwargs: Any) -> Any:
    if nullable:
        return Field(default=None, sa_column=Column(DateTime, nullable=True, **kwargs))
    return Field(default_factory=utcnow, sa_column=Column(DateTime, nullable=False, **kwargs))


def _user_fk(ondelete: str = "CASCADE", nullable: bool = False, **kwargs: Any) -> Any:
    column = Column(ForeignKey("staff_user.id", ondelete=ondelete), nullable=nullable, index=True, **kwargs)
    return Field(default=None, sa_column=column) if nullable else Field(sa_column=column)


class StaffUser(SQLModel, table=True):
    """A staff member, identified by e-mail address (stored lower-cased)."""

    __tablename__ = "staff_user"
    __table_args__ = (
        CheckConstraint("status in ('invited', 'active', 'deactivated')", name="known_status"),
        CheckConstraint("status != 'active' or password_hash is not null", name="active_has_password"),
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_column=Column(String(254), unique=True, nullable=False))
    #: Argon2id PHC string (consult.accounts.passwords); None until the invitee sets one.
    password_hash: str | None = Field(default=None, sa_column=Column(String(255), nullable=True))
    status: str = Field(default=AccountStatus.INVITED.value, sa_column=Column(String(16), nullable=False))
    created_at: datetime = _time()
    password_changed_at: datetime | None = _time(nullable=True)
    last_login_at: datetime | None = _time(nullable=True)

    role_rows: list["StaffRole"] = Relationship(
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin", "order_by": "StaffRole.role"}
    )

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(r.role for r in self.role_rows)

    def has_role(self, *roles: str) -> bool:
        """Whether the user holds any of `roles`."""
        return bool(self.roles.intersection(roles))

    @property
    def is_active(self) -> bool:
        return self.status == AccountStatus.ACTIVE and self.password_hash is not None


class StaffRole(SQLModel, table=True):
    """One role held by one staff member."""

    __tablename__ = "staff_role"
    __table_args__ = (CheckConstraint("role in ('admin', 'designer', 'analyst')", name="known_role"),)

    user_id: int = Field(
        sa_column=Column(ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True, nullable=False)
    )
    role: str = Field(sa_column=Column(String(16), primary_key=True, nullable=False))


class StaffSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is here,
    so deleting the row ends the session wherever the cookie is."""

    __tablename__ = "staff_session"

    token_hash: str = Field(sa_column=Column(String(64), primary_key=True, nullable=False))
    user_id: int = _user_fk()
    created_at: datetime = _time()
    last_seen_at: datetime = _time()


class PasswordLink(SQLModel, table=True):
    """A single-use, expiring link to set a password (an invitation or a reset).

    The token is shown once to the admin who made it; only its SHA-256 is stored.
    """

    __tablename__ = "staff_password_link"

    token_hash: str = Field(sa_column=Column(String(64), primary_key=True, nullable=False))
    user_id: int = _user_fk()
    created_by_id: int | None = _user_fk(ondelete="SET NULL", nullable=True)
    created_at: datetime = _time()
    expires_at: datetime = Field(sa_column=Column(DateTime, nullable=False))
    used_at: datetime | None = _time(nullable=True)


class LoginThrottle(SQLModel, table=True):
    """Failed sign-ins for one account name, shared by every worker.

    Keyed by an HMAC of the e-mail address typed, whether or not an account has it,
    so that throttling looks the same for both and mistyped addresses are not kept.
    """

    __tablename__ = "staff_login_throttle"
    __table_args__ = (CheckConstraint("failures >= 0", name="failures_not_negative"),)

    key_hash: str = Field(sa_column=Column(String(64), primary_key=True, nullable=False))
    failures: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    last_failure_at: datetime = _time()
    locked_until: datetime | None = _time(nullable=True)


class AuditEntry(SQLModel, table=True):
    """One staff action: who, what, when (to the second), on what, with details.

    Never respondent data: targets and details name responses by id, goals by id.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_at_id", "at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _time()
    #: None for the command line (whoever ran it on the server).
    actor_id: int | None = _user_fk(ondelete="SET NULL", nullable=True)
    #: The actor's address when it happened, so the entry reads the same later.
    actor_email: str | None = Field(default=None, sa_column=Column(String(254), nullable=True))
    action: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    target: str = Field(default="", sa_column=Column(String(200), nullable=False))
    details: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
