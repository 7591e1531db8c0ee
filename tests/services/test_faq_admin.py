"""FAQ editing rules: validation, versions and diffs, rollback, publishing, import/export,
try-it on drafts, and the unanswered inbox (grouping and conversion)."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.core import Core
from bot.faq.admin import diffs, inbox, tryit
from bot.faq.admin.diffs import VersionView
from bot.faq.admin.errors import FaqAdminError
from bot.faq.admin.records import FaqFilter, ImportResult, SaveResult, snapshot
from bot.faq.admin.validation import validate
from bot.faq.model import FaqEntry, dumps_faq, loads_faq
from bot.services.accounts import Actor, Role
from bot.storage.models import AppState, AuditEntry, FaqUnanswered, FaqVersion
from bot.storage.repositories.faq import GENERATION_KEY
from bot.usecases.faq import changes

ADMIN = Actor(type="user", id="1", name="rina", role=Role.ADMIN)
PASPOR = FaqEntry(
    id="daftar-paspor", category="pendaftaran", question="Bisa daftar pakai paspor?",
    paraphrases=("daftar pake paspor bisa ga", "paspor boleh buat daftar akun"),
    answer="Belum bisa. Pendaftaran memakai KTP-el atau resi KTP-el dari Disdukcapil.",
)  # fmt: skip


async def _generation(core: Core) -> str | None:
    async with core.uow() as uow:
        return await uow.session.scalar(
            select(AppState.value).where(AppState.key == GENERATION_KEY)
        )


async def _save(core: Core, entry: FaqEntry, **kw: object) -> SaveResult:
    async with core.uow() as uow:
        result = await changes.save_entry(uow, entry, actor=ADMIN, ip="127.0.0.1", **kw)  # type: ignore[arg-type]
        await uow.commit()
    return result


async def _history(core: Core, faq_id: str) -> list[VersionView]:
    return (await core.faq_cases.history(faq_id)).versions


async def _audit(core: Core, prefix: str = "faq.") -> list[AuditEntry]:
    async with core.uow() as uow:
        rows = await uow.session.execute(
            select(AuditEntry).where(AuditEntry.action.startswith(prefix)).order_by(AuditEntry.id)
        )
        return list(rows.scalars())


def test_validate_cleans_and_refuses_with_the_field() -> None:
    entry = validate(
        {"id": "daftar-paspor", "category": " Pendaftaran ", "question": "  Bisa   paspor? ",
         "paraphrases": ["paspor bisa?", "  BISA PASPOR? ", "paspor   bisa?", "bisa paspor?", " "],
         "answer": " Belum. "},
        new=True,
    )  # fmt: skip
    assert entry.category == "pendaftaran" and entry.question == "Bisa paspor?"
    assert entry.paraphrases == ("paspor bisa?",) and entry.answer == "Belum."
    base = snapshot(PASPOR)
    for change, code, field in (
        ({"id": "Daftar Paspor"}, "id_invalid", "id"),
        ({"id": "new"}, "id_invalid", "id"),
        ({"category": ""}, "category_invalid", "category"),
        ({"question": "  "}, "question_empty", "question"),
        ({"question": "x" * 301}, "question_long", "question"),
        ({"answer": ""}, "answer_empty", "answer"),
        ({"answer": 5}, "answer_invalid", "answer"),
        ({"paraphrases": [1, 2]}, "paraphrases_invalid", "paraphrases"),
        ({"paraphrases": "satu"}, "paraphrases_invalid", "paraphrases"),
        ({"paraphrases": [f"p{i}" for i in range(61)]}, "paraphrases_many", "paraphrases"),
        ({"published": "ya"}, "published_invalid", "published"),
    ):
        with pytest.raises(FaqAdminError) as caught:
            validate({**base, **change}, new=True)
        assert (caught.value.code, caught.value.field) == (code, field), change
    assert FaqAdminError("question_long").message_args() == {"max": 300, "detail": ""}


async def test_create_edit_versions_diff_and_generation(core: Core) -> None:
    before = await _generation(core)
    created = await _save(core, PASPOR, create=True)
    assert (created.version, created.created, created.changed) == (1, True, True)
    assert await _generation(core) != before
    assert core.services.faq.ask("daftar pake paspor bisa ga").faq_id == "daftar-paspor"
    with pytest.raises(FaqAdminError, match="id_taken"):
        await _save(core, PASPOR, create=True)

    edited = replace(
        PASPOR, answer="Belum bisa. Pendaftaran memakai KTP-el atau resi dari Disdukcapil Kota.",
        paraphrases=("daftar pake paspor bisa ga", "orang asing bisa daftar?"),
    )  # fmt: skip
    assert (await _save(core, edited, expected_version=1)).version == 2
    assert (await _save(core, edited)).changed is False
    with pytest.raises(FaqAdminError, match="version_conflict"):
        await _save(core, replace(edited, answer="Lain."), expected_version=1)

    newest, first = await _history(core, "daftar-paspor")
    assert (newest.version, newest.action, newest.by, newest.current) == (2, "edit", "rina", True)
    assert (first.version, first.action, first.current) == (1, "create", False)
    changes = {c.field: c for c in newest.changes}
    assert set(changes) == {"answer", "paraphrases"}
    assert changes["paraphrases"].added == ("orang asing bisa daftar?",)
    assert changes["paraphrases"].removed == ("paspor boleh buat daftar akun",)
    segments = changes["answer"].segments
    assert ("-", "resi KTP-el") in segments or any(
        op == "-" and "KTP-el" in t for op, t in segments
    )
    assert any(op == "+" and "Kota." in t for op, t in segments)
    assert "".join(t for op, t in segments if op != "+") == PASPOR.answer
    assert "".join(t for op, t in segments if op != "-") == edited.answer
    assert [e.action for e in await _audit(core)] == ["faq.created", "faq.updated"]


def test_word_diff_keeps_both_texts() -> None:
    segments = diffs.word_diff(
        "Verifikasi paling lama 1x24 jam.", "Verifikasi paling lama 2x24 jam kerja."
    )
    assert segments == (
        ("=", "Verifikasi paling lama "), ("-", "1x24 jam."), ("+", "2x24 jam kerja."),
    )  # fmt: skip
    assert diffs.diff(PASPOR, PASPOR) == ()
    published = diffs.diff(PASPOR, replace(PASPOR, published=False))
    assert [(c.field, c.before, c.after) for c in published] == [("published", "true", "false")]


async def test_unpublish_publish_and_only_live_changes_bump(core: Core) -> None:
    await _save(core, PASPOR, create=True)
    async with core.uow() as uow:
        await changes.set_published(uow, "daftar-paspor", False, actor=ADMIN)
        await uow.commit()
    assert core.services.faq.ask("daftar pake paspor bisa ga").faq_id is None
    generation = await _generation(core)
    # Editing an entry nobody sees does not make every worker rebuild.
    await _save(core, replace(PASPOR, published=False, answer="Belum bisa, maaf."))
    assert await _generation(core) == generation
    async with core.uow() as uow:
        result = await changes.set_published(uow, "daftar-paspor", True, actor=ADMIN)
        await uow.commit()
    assert await _generation(core) != generation
    assert core.services.faq.ask("daftar pake paspor bisa ga").faq_id == "daftar-paspor"
    assert [v.action for v in await _history(core, "daftar-paspor")] == [
        "publish", "edit", "unpublish", "create",
    ]  # fmt: skip
    assert result.version == 4
    actions = [e.action for e in await _audit(core)]
    assert actions == ["faq.created", "faq.unpublished", "faq.updated", "faq.published"]


async def test_delete_then_rollback_restores_as_a_new_version(core: Core) -> None:
    await _save(core, PASPOR, create=True)
    await _save(core, replace(PASPOR, answer="Jawaban kedua."))
    async with core.uow() as uow:
        assert await changes.delete_entry(uow, "daftar-paspor", actor=ADMIN) == 3
        await uow.commit()
    assert "daftar-paspor" not in core.services.faq.index
    deleted = await core.faq_cases.list_entries(FaqFilter(status="deleted"))
    assert [(d.entry.id, d.entry.answer, d.deleted) for d in deleted] == [
        ("daftar-paspor", "Jawaban kedua.", True),
    ]  # fmt: skip
    async with core.uow() as uow:
        assert await uow.faq.get("daftar-paspor") is None
        with pytest.raises(FaqAdminError, match="version_empty"):
            await changes.rollback(uow, "daftar-paspor", 3, actor=ADMIN)
        with pytest.raises(FaqAdminError, match="version_not_found"):
            await changes.rollback(uow, "daftar-paspor", 9, actor=ADMIN)
        restored = await changes.rollback(uow, "daftar-paspor", 1, actor=ADMIN)
        await uow.commit()
    assert (restored.version, restored.entry) == (4, PASPOR)
    assert core.services.faq.ask("daftar pake paspor bisa ga").faq_id == "daftar-paspor"
    views = await _history(core, "daftar-paspor")
    assert [(v.version, v.action, v.current) for v in views] == [
        (4, "rollback", True), (3, "delete", False), (2, "edit", False), (1, "create", False),
    ]  # fmt: skip
    assert views[1].changes == () and views[1].entry is None
    async with core.uow() as uow:
        again = await changes.rollback(uow, "daftar-paspor", 1, actor=ADMIN)
        assert again.changed is False
        audit = await uow.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "faq.rolled_back")
        )
        assert audit is not None and audit.details == {"version": 4, "to_version": 1}


async def test_list_search_by_text_category_and_status(core: Core) -> None:
    await _save(core, replace(PASPOR, published=False), create=True)
    cases = core.faq_cases
    found = await cases.list_entries(FaqFilter(text="PASPOR"))
    assert [i.entry.id for i in found] == ["daftar-paspor"]
    slang = await cases.list_entries(FaqFilter(text="ktp sy ilang"))
    assert "ktp-hilang" in [i.entry.id for i in slang]
    drafts = await cases.list_entries(FaqFilter(status="unpublished"))
    assert [i.entry.id for i in drafts] == ["daftar-paspor"]
    privacy = await cases.list_entries(FaqFilter(category="privasi"))
    assert privacy and all(i.entry.category == "privasi" for i in privacy)
    assert "privasi" in (await cases.entry_page(None)).categories


async def test_import_export_round_trip_and_errors(core: Core) -> None:
    async with core.uow() as uow:
        text = await changes.export_yaml(uow, actor=ADMIN)
        await uow.commit()
    exported = loads_faq(text)
    assert len(exported) == len(core.services.faq.index)
    async with core.uow() as uow:
        same = await changes.import_yaml(uow, text, replace_all=False, actor=ADMIN)
        assert same == ImportResult(0, 0, 0)
        with pytest.raises(FaqAdminError) as caught:
            await changes.import_yaml(
                uow, "- id: x\n  category: a\n", replace_all=False, actor=ADMIN
            )
        assert caught.value.code == "import_invalid" and "question" in caught.value.detail
        with pytest.raises(FaqAdminError, match="import_invalid"):
            await changes.import_yaml(uow, "- {id: x, category: '', question: q, answer: a}",
                                 replace_all=False, actor=ADMIN)  # fmt: skip
        with pytest.raises(FaqAdminError, match="id_invalid"):
            await changes.import_yaml(uow, "- {id: Bad Id, category: a, question: q, answer: a}",
                                 replace_all=False, actor=ADMIN)  # fmt: skip
        with pytest.raises(FaqAdminError, match="import_empty"):
            await changes.import_yaml(uow, "[]", replace_all=True, actor=ADMIN)
        result = await changes.import_yaml(uow, dumps_faq([PASPOR]), replace_all=True, actor=ADMIN)
        await uow.commit()
    assert result == ImportResult(1, 0, len(exported))
    assert [e.id for e in core.services.faq.index.entries] == ["daftar-paspor"]
    actions = [(e.action, e.details) for e in await _audit(core)]
    assert actions[0] == ("faq.exported", {"entries": len(exported)})
    assert actions[-1][0] == "faq.imported" and actions[-1][1]["deleted"] == len(exported)
    # A deleted entry brought back by an import continues its version numbers.
    async with core.uow() as uow:
        await changes.import_yaml(uow, text, replace_all=False, actor=ADMIN)
        await uow.commit()
    views = await _history(core, "cara-daftar")
    assert [(v.version, v.action) for v in views] == [(3, "import"), (2, "delete"), (1, "import")]


async def test_try_it_on_published_and_draft_indexes(core: Core) -> None:
    await _save(core, replace(PASPOR, published=False), create=True)
    cache = tryit.DraftIndexCache()
    live = core.services.faq.index
    async with core.uow() as uow:
        saved = await uow.faq.all()
    draft = await cache.get(saved, live)
    assert draft is not live and await cache.get(saved, live) is draft
    now = tryit.try_text(live, "daftar pake paspor bisa ga", core.services.faq.suggest_floor)
    later = tryit.try_text(draft, "daftar pake paspor bisa ga", core.services.faq.suggest_floor)
    # The live FAQ has no passport entry: it must not answer (whether it offers near topics
    # is the matcher's tuning); the draft that has one answers.
    assert now.outcome != "answer" and now.answer is None and len(now.offered) <= 3
    assert later.offered == ()  # an answer offers Ya/Tidak, not other questions
    assert later.outcome == "answer" and later.match.faq_id == "daftar-paspor"
    assert later.answer == PASPOR.answer and later.top[0].faq_id == "daftar-paspor"
    assert [c.score for c in later.top] == sorted((c.score for c in later.top), reverse=True)
    refused = tryit.try_text(live, "resep nasi goreng", core.services.faq.suggest_floor)
    assert refused.outcome == "refuse" and refused.offered == ()
    form = replace(PASPOR, id="cara-daftar-ulang", question="bagaimana cara daftar ulang")
    with_form = await cache.get(tryit.with_draft(saved, form), live)
    assert "cara-daftar-ulang" in with_form and "daftar-paspor" in with_form
    published_only = [e for e in saved if e.published]
    assert await cache.get(published_only, live) is live


def test_grouping_puts_the_same_question_together() -> None:
    texts = [
        "ktp sy ilang gmn", "bisa daftar pakai paspor?", "ktp saya hilang bagaimana daftar",
        "cuaca hari ini", "daftar pake paspor bisa ga", "KTP hilang, bisa daftar?",
        "ktp rusak gimana", "paspor boleh buat daftar", "???", "ktp sy ilang gmn",
    ]  # fmt: skip
    from bot.faq import FaqIndex, load_default_faq

    common = inbox.background(FaqIndex.build(load_default_faq()))
    groups = [[texts[i] for i in g] for g in inbox.group_similar(texts, common=common)]
    assert sorted(groups, key=len, reverse=True)[:2] == [
        ["ktp sy ilang gmn", "ktp saya hilang bagaimana daftar", "KTP hilang, bisa daftar?",
         "ktp sy ilang gmn"],
        ["bisa daftar pakai paspor?", "daftar pake paspor bisa ga", "paspor boleh buat daftar"],
    ]  # fmt: skip
    assert ["ktp rusak gimana"] in groups and ["cuaca hari ini"] in groups and ["???"] in groups
    assert inbox.group_similar([]) == []


async def _record(core: Core, *questions: tuple[str, str, str | None]) -> None:
    async with core.uow() as uow:
        for text, reason, faq_id in questions:
            await core.services.faq.record_unanswered(uow, text, reason, faq_id)
        await uow.commit()


async def test_inbox_groups_and_turns_a_group_into_paraphrases(core: Core) -> None:
    await _record(
        core,
        ("apakah ada aplikasinya untuk iphone", "refused", None),
        ("aplikasi buat iphone ada ga", "refused", None),
        ("cuaca hari ini", "refused", None),
        ("nik sy 3671014501900001 kok ditolak", "not_helpful", "alasan-ditolak"),
    )
    found = await core.faq_cases.inbox()
    groups, total = found.groups, found.total
    assert total == 4 and len(groups) == 3
    iphone = groups[0]
    assert [i.text for i in iphone.items] == [
        "aplikasi buat iphone ada ga", "apakah ada aplikasinya untuk iphone",
    ]  # fmt: skip
    assert "unduh-aplikasi" in [s.faq_id for s in iphone.suggestions]  # among the closest
    masked = next(g for g in groups if g.answered_with)
    assert masked.answered_with == ("alasan-ditolak",) and "3671014501900001" not in masked.texts[0]
    before = core.services.faq.entry("unduh-aplikasi")
    assert before is not None and not set(iphone.texts) & set(before.documents())

    async with core.uow() as uow:
        with pytest.raises(FaqAdminError, match="paraphrases_none"):
            await changes.add_paraphrases(uow, "unduh-aplikasi", ["  "], [], actor=ADMIN)
        with pytest.raises(FaqAdminError, match="not_found"):
            await changes.add_paraphrases(uow, "tidak-ada", ["x"], [], actor=ADMIN)
        result = await changes.add_paraphrases(
            uow, "unduh-aplikasi", list(iphone.texts), inbox.parse_ids(iphone.ids), actor=ADMIN
        )
        await uow.commit()
    assert core.services.faq.ask("ada aplikasi untuk iphone ga").faq_id == "unduh-aplikasi"
    assert all(core.services.faq.ask(text).faq_id == "unduh-aplikasi" for text in iphone.texts)
    [newest, *_] = await _history(core, "unduh-aplikasi")
    assert (newest.action, newest.version) == ("paraphrase", result.version)
    assert newest.changes[0].added == iphone.texts
    found = await core.faq_cases.inbox()
    groups, total = found.groups, found.total
    assert total == 2
    async with core.uow() as uow:
        dismissed = await changes.resolve_unanswered(
            uow, [i.id for g in groups for i in g.items], actor=ADMIN
        )
        await uow.commit()
        assert dismissed == 2
    async with core.uow() as uow:
        assert await uow.faq.count_unanswered() == 0
        resolved = await uow.session.scalar(
            select(func.count(FaqUnanswered.id)).where(FaqUnanswered.resolved_at.is_not(None))
        )
        assert resolved == 4
        versions = await uow.session.scalar(
            select(func.count(FaqVersion.id)).where(FaqVersion.faq_id == "unduh-aplikasi")
        )
        assert versions == 2
    actions = [e.action for e in await _audit(core)]
    assert actions == ["faq.updated", "faq.unanswered_converted", "faq.unanswered_dismissed"]


def test_parse_ids() -> None:
    assert inbox.parse_ids("3, 1,x,,2") == [1, 2, 3]
    assert inbox.parse_ids(["4,5", "5"]) == [4, 5]


async def test_the_inbox_keeps_the_question_behind_a_tapped_suggestion(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.services.fake_index import refused, scripted_index
    from tests.support.chat import ChatDriver

    # A question the bot is unsure of: the verdict is written down, not the matcher's current
    # tuning (which its own tests and the bench measure).
    text = "daftar pake paspor bisa ga"
    index = scripted_index(
        await core.faq_cases.entries(), {text: refused(("resi-ktp", 0.31), ("cara-daftar", 0.24))}
    )
    monkeypatch.setattr(core.services.faq, "_index", index)
    chat = ChatDriver(core)
    await chat.say("halo")
    await chat.tap("menu:faq")
    await chat.say(text)
    assert [b for b in chat.buttons if b.startswith("faq:")] == ["faq:resi-ktp", "faq:cara-daftar"]
    await chat.tap("faq:cara-daftar")
    await chat.tap("faq:unhelpful")
    [group] = (await core.faq_cases.inbox()).groups
    assert group.texts == (text,)
    # The entry the bot thought closest (kept with the unsure question) and the one she tapped.
    assert group.answered_with == ("cara-daftar", "resi-ktp")


async def test_the_command_line_import_is_the_console_import(
    core: Core, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot import cli

    bad = tmp_path / "bad.yaml"
    bad.write_text("- {id: Bad Id, category: a, question: q, answer: a}\n")
    assert await cli._faq_import(core.settings, argparse.Namespace(file=bad, replace=False)) == 1
    assert "id_invalid" in capsys.readouterr().err
    good = tmp_path / "good.yaml"
    good.write_text(dumps_faq([PASPOR]))
    assert await cli._faq_import(core.settings, argparse.Namespace(file=good, replace=False)) == 0
    assert "created 1, updated 0, deleted 0" in capsys.readouterr().out
    [entry] = await _audit(core, "faq.import")
    assert (entry.action, entry.actor_type, entry.actor_name, entry.target_type) == (
        "faq.imported", "system", "cli", "faq",
    )  # fmt: skip
    assert entry.details == {"created": 1, "updated": 0, "deleted": 0, "replace": False}
    [version] = await _history(core, "daftar-paspor")
    assert (version.action, version.by) == ("import", "cli")
