"""Reading the audit log: newest first, a page at a time, filtered by actor and action."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from consult.accounts.models import AuditEntry, StaffUser

PER_PAGE = 50


@dataclass(frozen=True)
class AuditPage:
    """One page of audit entries and where it sits among the rest."""

    entries: list[AuditEntry]
    page: int
    pages: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def audit_page(
    db: Session,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
    actor_id: int | None = None,
    action: str | None = None,
) -> AuditPage:
    """A page of the audit log, newest first (ties broken by insertion order).

    :param page: 1-based; pages past the end are clamped to the last one.
    :param actor_id: only entries by this staff member.
    :param action: only entries with this action name.
    """
    conditions = []
    if actor_id is not None:
        conditions.append(AuditEntry.actor_id == actor_id)
    if action:
        conditions.append(AuditEntry.action == action)
    total = db.exec(select(func.count()).select_from(AuditEntry).where(*conditions)).one()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    entries = db.exec(
        select(AuditEntry)
        .where(*conditions)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return AuditPage(list(entries), page, pages, total)


def audit_actions(db: Session) -> list[str]:
    """The action names that occur in the log, for the filter."""
    return list(db.exec(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).all())


def audit_actors(db: Session) -> list[StaffUser]:
    """Staff members who appear in the log as actors, for the filter."""
    ids = select(AuditEntry.actor_id).where(AuditEntry.actor_id.is_not(None)).distinct()
    return list(db.exec(select(StaffUser).where(StaffUser.id.in_(ids)).order_by(StaffUser.email)).all())
