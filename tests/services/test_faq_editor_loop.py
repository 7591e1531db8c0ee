"""The FAQ editor's loop without the web: the entry a group almost got, a new entry drafted from a
group, and the weekly digest of the most asked unanswered questions."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from bot.core import Core
from bot.faq.admin import inbox
from bot.faq.admin.records import Unanswered
from bot.faq.admin.tryit import Scored
from bot.faq.matcher import FaqMatch
from bot.faq.model import load_default_faq
from bot.storage.models import FaqUnanswered
from bot.storage.types import utcnow
from tests.services.fake_index import answered, refused, scripted_index

PASPOR = "bisa daftar pakai paspor?"
ENTRIES = load_default_faq()


async def _record(core: Core, text: str, times: int = 1, reason: str = "refused") -> list[int]:
    """Keep a refused question ``times`` times, as the bot does; return the rows' ids."""
    async with core.uow() as uow:
        for _ in range(times):
            await core.services.faq.record_unanswered(uow, text, reason, None)
        await uow.commit()
    async with core.uow() as uow:
        found = await uow.faq.open_unanswered(1000)
    return sorted(i.id for i in found if i.text == text)


async def _ids(core: Core) -> set[str]:
    async with core.uow() as uow:
        return await uow.faq.ids()


async def _age(core: Core, ids: list[int], days: int) -> None:
    """Make questions look ``days`` days old."""
    async with core.uow() as uow:
        await uow.session.execute(
            update(FaqUnanswered)
            .where(FaqUnanswered.id.in_(ids))
            .values(created_at=utcnow() - timedelta(days=days))
        )
        await uow.commit()


def _unanswered(*texts: str) -> list[Unanswered]:
    """Return open questions as the repository does, newest first."""
    now = utcnow()
    return [
        Unanswered(i + 1, text, "refused", None, now - timedelta(minutes=i))
        for i, text in enumerate(texts)
    ]


def test_a_group_shows_the_entry_the_matcher_almost_chose() -> None:
    index = scripted_index(ENTRIES, {
        PASPOR: refused(("resi-ktp", 0.31), ("cara-daftar", 0.24)),
        "cara daftar gimana": answered("cara-daftar", 0.8, ("cek-status", 0.4)),
    })  # fmt: skip
    items = _unanswered(PASPOR, PASPOR, "cara daftar gimana", "resep nasi goreng")
    paspor, how, recipe = inbox.group_unanswered(items, index)
    assert paspor.representative == PASPOR and len(paspor.items) == 2
    assert paspor.nearest == Scored("resi-ktp", index.entry("resi-ktp").question, 0.31)
    assert [s.faq_id for s in paspor.suggestions] == ["resi-ktp", "cara-daftar"]
    assert not paspor.answered_now
    # Asked when the FAQ could not answer it; it can now: the group says so.
    assert how.nearest is not None and how.nearest.faq_id == "cara-daftar" and how.answered_now
    assert [s.faq_id for s in how.suggestions] == ["cara-daftar", "cek-status"]
    assert recipe.nearest is None and not recipe.answered_now  # nothing comes close


def test_the_inbox_matches_only_the_groups_it_returns() -> None:
    asked: list[str] = []
    index = scripted_index(ENTRIES, {})
    real = index.ask

    def ask(text: str) -> FaqMatch:
        asked.append(text)
        return real(text)

    index.ask = ask  # type: ignore[method-assign]
    others = ("cuaca besok", "resep nasi goreng", "jadwal kereta", "harga tiket bioskop",
              "lagu dangdut baru", "kucing tetangga hilang")  # fmt: skip
    items = _unanswered(*others, PASPOR, PASPOR)
    assert len(inbox.group_unanswered(items, index)) == 7
    asked.clear()
    groups = inbox.group_unanswered(items, index, top=2)
    # The largest group, then the newest; only those two are matched against the FAQ.
    assert [g.representative for g in groups] == [PASPOR, "cuaca besok"]
    assert asked == [PASPOR, "cuaca besok"]


def test_a_draft_takes_the_most_asked_question_and_the_rest_as_paraphrases() -> None:
    index = scripted_index(ENTRIES, {PASPOR: refused(("resi-ktp", 0.31))})
    texts = [PASPOR, "daftar pake paspor bisa ga", "x" * 301]
    draft = inbox.draft_entry(texts, index, taken={"bisa-daftar-pakai-paspor"})
    assert draft == inbox.Draft(
        PASPOR, ("daftar pake paspor bisa ga",),  # the long one cannot be a paraphrase
        "bisa-daftar-pakai-paspor-2", index.entry("resi-ktp").category,
    )  # fmt: skip
    unknown = inbox.draft_entry(["resep nasi goreng"], index, taken=set())
    assert unknown is not None and unknown.category == ""  # no entry comes close: no guess
    assert inbox.draft_entry(["y" * 400], index, taken=set()) is None


def test_a_suggested_id_is_valid_free_and_never_a_page_name() -> None:
    assert inbox.suggest_id("KTP sy ilang gmn", set()) == "ktp-hilang-bagaimana"
    assert inbox.suggest_id("KTP sy ilang gmn", {"ktp-hilang-bagaimana"}) == (
        "ktp-hilang-bagaimana-2"
    )
    assert inbox.suggest_id("new", set()) == "new-2"
    assert inbox.suggest_id("???", set()) == ""


async def test_the_new_entry_form_is_drafted_from_the_chosen_questions(core: Core) -> None:
    ids = await _record(core, PASPOR, 2) + await _record(core, "daftar pake paspor bisa ga")
    found = await core.faq_cases.new_form(ids)
    assert found.draft is not None
    assert found.draft == inbox.draft_entry(
        [PASPOR, "daftar pake paspor bisa ga"], core.services.faq.index, await _ids(core)
    )
    assert (found.draft.question, found.draft.suggested_id) == (PASPOR, "bisa-daftar-pakai-paspor")
    assert found.categories and (await core.faq_cases.new_form([])).draft is None


async def test_the_digest_ranks_the_weeks_open_groups_and_keeps_five(core: Core) -> None:
    asked = {
        PASPOR: 5, "aplikasi buat iphone ada ga": 4, "cuaca hari ini": 3,
        "resep nasi goreng": 2, "jadwal kereta bandara": 2, "harga tiket bioskop": 1,
    }  # fmt: skip
    for text, times in asked.items():
        await _record(core, text, times)
    old = await _record(core, "cara bikin sim", 6)
    await _age(core, old, days=8)  # asked often, but before this week
    handled = await _record(core, "lokasi samsat terdekat", 6)
    async with core.uow() as uow:
        assert await uow.faq.resolve_unanswered(handled) == 6
        await uow.commit()

    digest = await core.faq_cases.digest()
    assert digest.days == 7 and digest.total == sum(asked.values())
    assert [(g.representative, len(g.items)) for g in digest.groups] == [
        (PASPOR, 5), ("aplikasi buat iphone ada ga", 4), ("cuaca hari ini", 3),
        ("jadwal kereta bandara", 2), ("resep nasi goreng", 2),  # a tie: newest first
    ]  # fmt: skip
    index = core.services.faq.index
    for group in digest.groups:
        expected, answered = inbox.closest(index, group.representative)
        assert group.nearest == (expected[0] if expected else None)
        assert group.answered_now == answered


async def test_the_digest_is_reused_until_the_weeks_questions_change(core: Core) -> None:
    ids = await _record(core, PASPOR, 2)
    first = await core.faq_cases.digest()
    assert await core.faq_cases.digest() is first
    await _record(core, "aplikasi buat iphone ada ga")
    second = await core.faq_cases.digest()
    assert second is not first and second.total == 3
    async with core.uow() as uow:
        await uow.faq.resolve_unanswered(ids)
        await uow.commit()
    third = await core.faq_cases.digest()
    assert [g.representative for g in third.groups] == ["aplikasi buat iphone ada ga"]


async def test_an_empty_week_gives_an_empty_digest(core: Core) -> None:
    await _age(core, await _record(core, PASPOR), days=30)
    digest = await core.faq_cases.digest()
    assert (digest.groups, digest.total) == ([], 0)
