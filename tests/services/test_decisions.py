"""Decision rules: recorded once, one notification, claims, the queue and the SLA clock."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.core import Core
from bot.domain.days import day_bounds
from bot.i18n import WIB
from bot.services import decisions
from bot.services.accounts import Actor, Role
from bot.services.decisions import QueueFilter
from bot.services.registration import DecisionError
from bot.storage.models import AuditEntry, OutboxItem, Registration
from bot.storage.types import utcnow
from tests.console.support import seed_registration

VERIFIER = Actor(type="user", id="1", name="siti", role=Role.VERIFIER)


_IDS = {"siti": "1", "budi": "2"}


def _user(name: str) -> Actor:
    return Actor(type="user", id=_IDS[name], name=name, role=Role.VERIFIER)


async def _decide(core: Core, reg_id: int, actor: str = "siti", **kw: object) -> Registration:
    values: dict[str, object] = {"approve": False, "reason": "ktp_blurry", "note": None}
    values.update(kw)
    decided = await core.review_cases.decide(
        _user(actor),
        reg_id,
        ip="127.0.0.1",
        **values,  # type: ignore[arg-type]
    )
    return decided.registration


async def _count(core: Core, stmt: object) -> int:
    async with core.uow() as uow:
        return int(await uow.session.scalar(stmt) or 0)  # type: ignore[arg-type]


async def _outgoing(core: Core, conversation_id: int) -> list[dict[str, object]]:
    async with core.uow() as uow:
        history = await uow.conversations.history(conversation_id, directions=("out",))
    return [body for _m, body in history]


async def test_two_concurrent_decisions_record_one_and_notify_once(any_core: Core) -> None:
    any_core.services.delivery.push_channels.add("telegram")
    seeded = await seed_registration(any_core, channel="telegram", chat_id="5550001")
    results = await asyncio.gather(
        _decide(any_core, seeded.id, "siti", approve=True, reason=None),
        _decide(any_core, seeded.id, "budi", approve=False, reason="ktp_blurry"),
        return_exceptions=True,
    )
    decided = [r for r in results if isinstance(r, Registration)]
    refused = [r for r in results if isinstance(r, DecisionError)]
    assert len(decided) == 1 and len(refused) == 1, results
    assert refused[0].code == "already_decided"
    winner = decided[0]
    async with any_core.uow() as uow:
        stored = await uow.registrations.get(seeded.id)
    assert stored is not None and stored.status == winner.status
    assert stored.decided_by == winner.decided_by
    assert len(await _outgoing(any_core, seeded.conversation_id)) == 1
    assert await _count(any_core, select(func.count(OutboxItem.id))) == 1
    decided_audit = select(func.count(AuditEntry.id)).where(
        AuditEntry.action.in_(("registration.approved", "registration.rejected"))
    )
    assert await _count(any_core, decided_audit) == 1


async def test_a_retried_decision_is_refused_and_notifies_nobody(core: Core) -> None:
    seeded = await seed_registration(core)
    reg = await _decide(core, seeded.id, approve=True, reason=None)
    assert reg.status == "approved" and reg.decided_by == "user:1"
    for approve in (True, False):
        with pytest.raises(DecisionError) as caught:
            await _decide(core, seeded.id, approve=approve)
        assert caught.value.code == "already_decided"
    messages = await _outgoing(core, seeded.conversation_id)
    assert len(messages) == 1
    assert reg.reference in str(messages[0]["text"]) and "disetujui" in str(messages[0]["text"])


async def test_rejection_tells_the_reason_and_how_to_resubmit(core: Core) -> None:
    seeded = await seed_registration(core)
    reg = await _decide(core, seeded.id, reason="face_not_visible")
    assert (reg.status, reg.reject_reason) == ("rejected", "face_not_visible")
    [message] = await _outgoing(core, seeded.conversation_id)
    assert "wajah tidak terlihat jelas" in str(message["text"])
    assert [b["id"] for b in message["buttons"]] == ["reg:resubmit", "agent"]  # type: ignore[index, union-attr]


async def test_invalid_reason_and_missing_note_change_nothing(core: Core) -> None:
    seeded = await seed_registration(core)
    for reason, note, code in (
        ("bogus", None, "invalid_reason"), (None, None, "invalid_reason"),
        ("other", "  ", "note_required"),
    ):  # fmt: skip
        with pytest.raises(DecisionError) as caught:
            await _decide(core, seeded.id, reason=reason, note=note)
        assert caught.value.code == code
    assert await _outgoing(core, seeded.conversation_id) == []
    reg = await _decide(core, seeded.id, reason="other", note="Foto terbalik")
    assert reg.decision_note == "Foto terbalik"


async def test_unknown_and_undecidable_requests(core: Core) -> None:
    with pytest.raises(DecisionError) as caught:
        await _decide(core, 999)
    assert caught.value.code == "not_found"
    draft = await seed_registration(core, status="draft")
    with pytest.raises(DecisionError) as caught:
        await _decide(core, draft.id)
    assert caught.value.code == "not_submitted"


async def test_a_claim_keeps_other_reviewers_out_until_it_expires(core: Core) -> None:
    seeded = await seed_registration(core)
    now = utcnow()
    cases = core.review_cases
    mine = await cases.claim(_user("siti"), seeded.id, now=now)
    assert mine.mine and mine.holder == "user:1"
    other = await cases.claim(_user("budi"), seeded.id, now=now)
    assert await cases.next_waiting(_user("budi"), now=now) is None
    assert await cases.next_waiting(_user("siti"), now=now) == seeded.id
    assert not other.mine and other.holder == "user:1"
    with pytest.raises(DecisionError) as caught:
        await _decide(core, seeded.id, "budi")
    assert caught.value.code == "claimed"
    later = now + timedelta(minutes=decisions.CLAIM_MINUTES + 1)
    taken_over = await cases.claim(_user("budi"), seeded.id, now=later)
    assert taken_over.mine
    reg = await _decide(core, seeded.id, "budi")  # the new holder decides; the claim ends
    assert reg.claimed_by is None and reg.claimed_until is None


async def test_a_token_decides_like_a_verifier_and_is_named_in_the_record(core: Core) -> None:
    seeded = await seed_registration(core)
    token = Actor(type="token", id="7", name="sistem-dukcapil", role=Role.VERIFIER)
    decided = await core.review_cases.decide(
        token, seeded.id, approve=True, reason=None, note=None, ip=None
    )
    reg = decided.registration
    assert reg.decided_by == "token:7"  # by id: a token may be named like a user
    async with core.uow() as uow:
        entry = (
            await uow.session.execute(
                select(AuditEntry).where(AuditEntry.action == "registration.approved")
            )
        ).scalar_one()
    assert (entry.actor_type, entry.actor_id, entry.target_id) == ("token", "7", seeded.reference)
    assert entry.details["notified"] is True


# --- the SLA clock -------------------------------------------------------------------------


def _reg(submitted: datetime | None, decided: datetime | None = None) -> Registration:
    return Registration(reference="TL-TEST", submitted_at=submitted, decided_at=decided)


def test_sla_clock_counts_down_from_submission(settings_factory: object) -> None:
    settings = settings_factory()  # type: ignore[operator]
    now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    fresh = decisions.sla_of(settings, _reg(now - timedelta(hours=23)), now)
    assert fresh is not None
    assert fresh.remaining == timedelta(hours=1) and not fresh.overdue
    assert fresh.deadline == now + timedelta(hours=1)
    late = decisions.sla_of(settings, _reg(now - timedelta(hours=25)), now)
    assert late is not None and late.overdue and late.remaining == timedelta(hours=-1)
    assert decisions.sla_of(settings, _reg(None), now) is None


def test_sla_clock_stops_at_the_decision_and_follows_the_setting(settings_factory: object) -> None:
    settings = settings_factory(verification_sla_hours=2)  # type: ignore[operator]
    now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    submitted = now - timedelta(hours=10)
    in_time = decisions.sla_of(settings, _reg(submitted, submitted + timedelta(hours=1)), now)
    assert in_time is not None and not in_time.overdue and in_time.age == timedelta(hours=1)
    late = decisions.sla_of(settings, _reg(submitted, submitted + timedelta(hours=3)), now)
    assert late is not None and late.overdue and late.age == timedelta(hours=3)


# --- the queue -----------------------------------------------------------------------------


async def test_queue_lists_waiting_requests_oldest_first_with_filters(any_core: Core) -> None:
    now = utcnow()
    newest = await seed_registration(any_core, submitted_at=now - timedelta(hours=1))
    oldest = await seed_registration(any_core, submitted_at=now - timedelta(hours=30),
                                     kecamatan="Benda", kelurahan="Benda")  # fmt: skip
    middle = await seed_registration(any_core, channel="telegram",
                                     submitted_at=now - timedelta(hours=5))  # fmt: skip
    await seed_registration(any_core, status="approved", submitted_at=now - timedelta(hours=40),
                            decided_at=now - timedelta(hours=39))  # fmt: skip
    queue = any_core.review_cases.queue
    page = await queue(QueueFilter(), now=now)
    by_kec = await queue(QueueFilter(kecamatan="Benda"))
    by_channel = await queue(QueueFilter(channel="telegram"))
    decided = await queue(QueueFilter(status="approved"))
    everything = await queue(QueueFilter(status="all"))
    paged = await queue(QueueFilter(), page=2, per_page=2)
    today = now.astimezone(WIB).date()
    old_day = (now - timedelta(hours=30)).astimezone(WIB).date()
    by_date = await queue(QueueFilter(date_from=old_day, date_to=old_day))
    assert [i.registration.id for i in page.items] == [oldest.id, middle.id, newest.id]
    assert [i.sla.overdue for i in page.items if i.sla] == [True, False, False]
    assert page.items[0].nik_masked == "3671••••••••0001"
    assert [i.registration.id for i in by_kec.items] == [oldest.id]
    assert [i.registration.id for i in by_channel.items] == [middle.id]
    assert decided.total == 1 and everything.total == 4
    assert (paged.page, paged.pages, [i.registration.id for i in paged.items]) == (
        2, 2, [newest.id],
    )  # fmt: skip
    assert oldest.id in [i.registration.id for i in by_date.items]
    if old_day != today:
        assert newest.id not in [i.registration.id for i in by_date.items]


async def test_next_waiting_moves_past_a_skipped_request(core: Core) -> None:
    now = utcnow()
    first = await seed_registration(core, submitted_at=now - timedelta(hours=3))
    second = await seed_registration(core, submitted_at=now - timedelta(hours=2))
    next_waiting = core.review_cases.next_waiting
    assert await next_waiting(VERIFIER, now=now) == first.id
    await core.review_cases.skip(VERIFIER, first.id)
    assert await next_waiting(VERIFIER, now=now) == second.id
    await core.review_cases.skip(VERIFIER, second.id)
    # Only skipped ones are left: the one skipped longest ago comes back first.
    assert await next_waiting(VERIFIER, now=now) == first.id


async def test_review_shows_earlier_requests_and_audits_the_view(core: Core) -> None:
    earlier = await seed_registration(core, status="rejected", reject_reason="ktp_blurry",
                                      submitted_at=utcnow() - timedelta(days=3),
                                      decided_at=utcnow() - timedelta(days=2))  # fmt: skip
    async with core.uow() as uow:
        citizen_id = (await uow.registrations.get(earlier.id)).citizen_id  # type: ignore[union-attr]
    current = await seed_registration(core, chat_id=earlier.chat_id, citizen_id=citizen_id)
    review = await core.review_cases.open(VERIFIER, current.id, ip="10.0.0.1", claim_it=True)
    assert review is not None and not review.taken
    assert [r.id for r in review.earlier] == [earlier.id]
    assert review.data["nik"] == "3671014501900001" and set(review.documents) == {"ktp", "selfie"}
    views = select(func.count(AuditEntry.id)).where(AuditEntry.action == "registration.viewed")
    assert await _count(core, views) == 1


async def test_home_counts(core: Core) -> None:
    now = utcnow()
    await seed_registration(core, submitted_at=now - timedelta(hours=30))
    await seed_registration(core, submitted_at=now - timedelta(hours=1))
    counts = await core.review_cases.counts(now)
    assert counts["waiting"] == 2 and counts["overdue"] == 1


def test_day_bounds_use_jakarta_midnight() -> None:
    low, high = day_bounds(date(2026, 11, 29), date(2026, 11, 29))
    assert low == datetime(2026, 11, 28, 17, 0, tzinfo=UTC)
    assert high == datetime(2026, 11, 29, 17, 0, tzinfo=UTC)
