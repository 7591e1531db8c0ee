"""Canned answers: ready-made replies admins write and agents send."""

from __future__ import annotations

from bot.helpdesk.hold import HelpdeskError
from bot.services.accounts import Actor, Role
from bot.storage.models import CannedAnswer
from bot.storage.uow import UnitOfWork

MAX_TITLE = 64
MAX_TEXT = 2000


async def answers(uow: UnitOfWork) -> list[CannedAnswer]:
    """Return the canned answers, by title."""
    return await uow.helpdesk.canned_answers()


async def text_of(uow: UnitOfWork, canned_id: int) -> str:
    """Return what a canned answer says (as an agent would send it)."""
    canned = await uow.helpdesk.canned(canned_id)
    if canned is None:
        raise HelpdeskError("canned_not_found")
    return canned.text[:MAX_TEXT]


async def save(
    uow: UnitOfWork, actor: Actor, ip: str | None, title: str, text: str,
    canned_id: int | None = None,
) -> CannedAnswer:  # fmt: skip
    """Create or change a canned answer; admins only."""
    _require_admin(actor)
    title, text = " ".join(title.split())[:MAX_TITLE], text.strip()[:MAX_TEXT]
    if not title or not text:
        raise HelpdeskError("canned_empty")
    if canned_id is None:
        canned = await uow.helpdesk.add_canned(title, text)
    else:
        found = await uow.helpdesk.canned(canned_id)
        if found is None:
            raise HelpdeskError("canned_not_found")
        canned, canned.title, canned.text = found, title, text
    action = "canned.created" if canned_id is None else "canned.updated"
    _audit(uow, action, actor, ip, canned.id)
    return canned


async def delete(uow: UnitOfWork, actor: Actor, ip: str | None, canned_id: int) -> None:
    """Delete a canned answer; admins only."""
    _require_admin(actor)
    if not await uow.helpdesk.delete_canned(canned_id):
        raise HelpdeskError("canned_not_found")
    _audit(uow, "canned.deleted", actor, ip, canned_id)


def _require_admin(actor: Actor) -> None:
    if actor.role != Role.ADMIN:
        raise HelpdeskError("forbidden")


def _audit(uow: UnitOfWork, action: str, actor: Actor, ip: str | None, canned_id: int) -> None:
    uow.audit.record(action, actor_type=actor.type, actor_id=actor.id, actor_name=actor.name,
                     target_type="canned_answer", target_id=str(canned_id), ip=ip)  # fmt: skip
