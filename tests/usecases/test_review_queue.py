"""The verifier's "next": atomic claims, skipped requests parked per verifier, claims released.

Two cores on one database play two worker processes: nothing here may live in process memory.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.core import Core, build_core
from bot.services.accounts import Actor, Role
from bot.storage.models import AuditEntry, Registration, ReviewPark
from tests.console.support import seed_queue

SITI = Actor(type="user", id="1", name="siti", role=Role.VERIFIER)
BUDI = Actor(type="user", id="2", name="budi", role=Role.VERIFIER)
RINA = Actor(type="user", id="3", name="rina", role=Role.VERIFIER)
DEDI = Actor(type="user", id="4", name="dedi", role=Role.VERIFIER)


@pytest.fixture
async def worker(any_core: Core) -> AsyncIterator[Core]:
    """Yield a second core on the same database (another worker process)."""
    other = build_core(any_core.settings, ocr=False)
    yield other
    await other.db.dispose()


async def _holder(core: Core, registration_id: int) -> str | None:
    async with core.uow() as uow:
        reg = await uow.registrations.get(registration_id)
        assert reg is not None
        return reg.claimed_by


async def test_verifiers_starting_at_the_same_moment_each_get_a_different_request(
    any_core: Core, worker: Core
) -> None:
    seeded = await seed_queue(any_core, 8)
    verifiers = [Actor(type="user", id=str(n), name=f"v{n}", role=Role.VERIFIER) for n in range(8)]
    # SQLite serves one worker process; PostgreSQL several, so half ask through another one.
    cores = [any_core if any_core.db.is_sqlite or n % 2 else worker for n in range(8)]
    got = await asyncio.gather(*(
        core.review_cases.next_waiting(actor) for core, actor in zip(cores, verifiers, strict=True)
    ))  # fmt: skip
    assert sorted(i for i in got if i is not None) == [s.id for s in seeded]
    # Each holds the one she was sent to: opening it shows the request, not "sedang diperiksa".
    for actor, registration_id in zip(verifiers, got, strict=True):
        assert registration_id is not None
        assert await _holder(any_core, registration_id) == actor.key
        review = await any_core.review_cases.open(actor, registration_id, ip=None, claim_it=True)
        assert review is not None and not review.taken


async def test_next_skips_requests_another_verifier_holds_and_says_none_when_all_are_held(
    any_core: Core,
) -> None:
    first, second = await seed_queue(any_core, 2)
    assert await any_core.review_cases.next_waiting(SITI) == first.id
    assert await any_core.review_cases.next_waiting(BUDI) == second.id
    assert await any_core.review_cases.next_waiting(RINA) is None
    # Asking again keeps one's own request rather than taking another.
    assert await any_core.review_cases.next_waiting(SITI) == first.id


async def test_a_skipped_request_comes_back_only_after_the_others_even_on_another_worker(
    any_core: Core, worker: Core
) -> None:
    first, second, third = await seed_queue(any_core, 3)
    assert await any_core.review_cases.next_waiting(SITI) == first.id
    await asyncio.gather(  # N pressed twice, in two tabs: one park
        any_core.review_cases.skip(SITI, first.id, ip=None),
        worker.review_cases.skip(SITI, first.id, ip=None),
    )
    assert await worker.review_cases.next_waiting(SITI) == second.id
    await worker.review_cases.decide(SITI, second.id, approve=True, reason=None, note=None,
                                     ip=None)  # fmt: skip
    # Skipped stays skipped: the third comes before the first, asked on either worker.
    assert await any_core.review_cases.next_waiting(SITI) == third.id
    await any_core.review_cases.decide(SITI, third.id, approve=True, reason=None, note=None,
                                       ip=None)  # fmt: skip
    # The others are done: now the skipped one is offered again.
    assert await worker.review_cases.next_waiting(SITI) == first.id


async def test_a_skip_is_the_skipping_verifiers_own(any_core: Core) -> None:
    first, second = await seed_queue(any_core, 2)
    assert await any_core.review_cases.next_waiting(SITI) == first.id
    await any_core.review_cases.skip(SITI, first.id, ip=None)
    assert await any_core.review_cases.next_waiting(BUDI) == first.id
    assert await any_core.review_cases.next_waiting(SITI) == second.id


async def test_opening_a_skipped_request_on_purpose_puts_it_back_in_her_order(
    any_core: Core,
) -> None:
    first, second, _third = await seed_queue(any_core, 3)
    await any_core.review_cases.next_waiting(SITI)
    await any_core.review_cases.skip(SITI, first.id, ip=None)
    assert await any_core.review_cases.open(SITI, first.id, ip=None, claim_it=True)
    await any_core.review_cases.skip(SITI, second.id, ip=None)  # never claimed: still parked
    await any_core.review_cases.release_claims(SITI, ip=None, why="test")
    assert await any_core.review_cases.next_waiting(SITI) == first.id


async def test_signing_out_releases_every_claim_and_audits_each(any_core: Core) -> None:
    first, second, third = await seed_queue(any_core, 3)
    assert await any_core.review_cases.next_waiting(SITI) == first.id
    assert await any_core.review_cases.open(SITI, second.id, ip=None, claim_it=True)
    assert await any_core.review_cases.next_waiting(BUDI) == third.id
    released = await any_core.review_cases.release_claims(SITI, ip="10.0.0.1", why="logout")
    assert released == 2
    assert await _holder(any_core, first.id) is None
    assert await _holder(any_core, second.id) is None
    assert await _holder(any_core, third.id) == BUDI.key  # someone else's claim is kept
    assert await any_core.review_cases.next_waiting(RINA) == first.id
    async with any_core.uow() as uow:
        stmt = select(AuditEntry.target_id).where(AuditEntry.action == "registration.released")
        audited = sorted((await uow.session.execute(stmt)).scalars())
        count = await uow.session.scalar(select(func.count(Registration.id)))
    assert audited == sorted([first.reference, second.reference]) and count == 3


async def test_a_parked_request_can_still_be_erased(any_core: Core) -> None:
    first, _second = await seed_queue(any_core, 2)
    await any_core.review_cases.next_waiting(SITI)
    await any_core.review_cases.skip(SITI, first.id, ip=None)
    async with any_core.uow() as uow:
        reg = await uow.registrations.get(first.id)
        assert reg is not None
        await uow.personal_data.remove_registration(reg)  # the citizen asked to be forgotten
        await uow.commit()
    async with any_core.uow() as uow:
        left = await uow.session.scalar(select(func.count(ReviewPark.id)))
    assert left == 0
