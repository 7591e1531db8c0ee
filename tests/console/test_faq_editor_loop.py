"""The FAQ editor's loop in the console: each inbox group names the entry the bot almost chose,
becomes an unpublished draft in one click, and the week's top groups wait on the home page."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.core import Core
from bot.faq.admin.inbox import closest
from bot.storage.models import AuditEntry, FaqUnanswered
from tests.console.support import add_user, client_for, login, page_csrf
from tests.services.fake_index import answered, refused, scripted_index

Client = TestClient[object, object]
PASPOR = ("bisa daftar pakai paspor?", "bisa daftar pakai paspor?", "daftar pake paspor bisa ga")


async def _record(core: Core, *texts: str) -> None:
    async with core.uow() as uow:
        for text in texts:
            await core.services.faq.record_unanswered(uow, text, "refused", None)
        await uow.commit()


async def _signed_in(core: Core, client: Client, role: str = "admin") -> str:
    await add_user(core, f"user-{role}", role)
    assert (await login(client, f"user-{role}")).status == 200
    return await page_csrf(client, "/console/account")


def _value(page: str, field_id: str) -> str:
    """Return the value of an input, or the text of a textarea, by id."""
    tag = re.search(rf'<(input|textarea)[^>]*\bid="{field_id}"[^>]*>', page)
    assert tag, f"no #{field_id}"
    if tag.group(1) == "textarea":
        return html.unescape(page[tag.end() :].split("</textarea>")[0])
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


def _group(page: str, text: str) -> str:
    """Return the HTML of the inbox group whose title quotes ``text``."""
    for section in page.split('<section class="card inbox-group"')[1:]:
        if f"“{text}" in section.split("</h2>")[0]:
            return section.split("</section>")[0]
    raise AssertionError(f"no group titled {text!r}")


async def _open_questions(core: Core) -> int:
    async with core.uow() as uow:
        return await uow.faq.count_unanswered()


async def _faq_audit(core: Core) -> list[tuple[str, str | None, dict[str, Any]]]:
    async with core.uow() as uow:
        rows = await uow.session.execute(
            select(AuditEntry).where(AuditEntry.action.startswith("faq.")).order_by(AuditEntry.id)
        )
        return [(e.action, e.target_id, e.details) for e in rows.scalars()]


async def test_each_inbox_group_names_the_entry_the_bot_almost_chose(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _record(core, *PASPOR, "cara daftar gimana", "resep nasi goreng")
    index = scripted_index(await core.faq_cases.entries(), {
        PASPOR[0]: refused(("resi-ktp", 0.31), ("cara-daftar", 0.24)),
        "cara daftar gimana": answered("cara-daftar", 0.83),
    })  # fmt: skip
    monkeypatch.setattr(core.services.faq, "_index", index)
    async with client_for(core) as client:
        await _signed_in(core, client)
        page = await (await client.get("/console/faq/unanswered")).text()
    paspor, how, recipe = (_group(page, text) for text in (PASPOR[0], "cara daftar", "resep"))

    near = paspor.split('class="flash warn inbox-nearest"')[1].split("</p>")[0]
    assert 'data-faq-id="resi-ktp"' in near and 'data-answered="no"' in near
    assert "Hampir dijawab dengan:" in near
    assert html.escape(index.entry("resi-ktp").question) in near
    assert f"Skor 0.31; bot baru menjawab mulai {index.config.min_score:.2f}" in near
    # The one-click form already points at that entry: its first option.
    options = re.findall(r'<option value="([^"]*)"', paspor.split("</select>")[0])
    assert options[:2] == ["resi-ktp", "cara-daftar"]

    assert 'data-faq-id="cara-daftar"' in how and 'data-answered="yes"' in how
    assert "Sekarang bot sudah menjawab ini dengan:" in how and "Skor 0.83." in how

    assert "Tidak ada entri yang mendekati" in recipe and "data-faq-id" not in recipe
    assert '<option value="">Pilih entri…</option>' in recipe


async def test_a_group_becomes_an_unpublished_draft_until_the_admin_publishes(
    core: Core,
) -> None:
    await _record(core, *PASPOR)
    async with client_for(core) as client:
        csrf = await _signed_in(core, client)
        inbox = await (await client.get("/console/faq/unanswered")).text()
        link = re.search(r'href="(/console/faq/new\?from=[0-9,]+)" id="new-from-1"', inbox)
        assert link
        form = await (await client.get(link.group(1))).text()
        assert "Draf dari 3 pertanyaan" in form
        assert _value(form, "f-question") == "bisa daftar pakai paspor?"
        assert _value(form, "f-paraphrases") == "daftar pake paspor bisa ga"
        assert _value(form, "f-id") == "bisa-daftar-pakai-paspor"
        close = core.services.faq.index.alternatives(PASPOR[0], limit=1)
        guess = core.services.faq.index.entry(close[0].faq_id).category if close else ""
        assert _value(form, "f-category") == guess  # the closest entry's, to check
        assert _value(form, "f-answer") == ""
        published_box = re.search(r'<input type="checkbox"[^>]*id="f-published"[^>]*>', form)
        assert published_box and "checked" not in published_box.group(0)
        ids = re.search(r'name="unanswered" value="([0-9,]+)"', form)
        assert ids

        # What the browser sends: the unticked "publish now" box sends nothing.
        data = {
            "csrf": csrf, "id": "daftar-paspor", "category": "pendaftaran",
            "question": _value(form, "f-question"), "paraphrases": _value(form, "f-paraphrases"),
            "unanswered": ids.group(1), "answer": "",
        }  # fmt: skip
        refused = await client.post("/console/faq/new", data=data)
        assert refused.status == 422 and "Jawaban harus diisi." in await refused.text()
        assert await _open_questions(core) == 3  # nothing saved, nothing marked

        data["answer"] = "Belum bisa. Pendaftaran memakai KTP-el atau resi KTP-el."
        saved = await client.post("/console/faq/new", data=data)
        assert saved.url.path == "/console/faq/daftar-paspor"
        body = await saved.text()
        assert "disimpan sebagai draf" in body and "3 pertanyaan" in body
        assert await _open_questions(core) == 0
        entry = await core.faq_cases.get("daftar-paspor")
        assert entry is not None and not entry.entry.published
        assert core.services.faq.ask(PASPOR[0]).faq_id != "daftar-paspor"  # a draft

        published = await client.post("/console/faq/daftar-paspor/publish",
                                      data={"csrf": csrf, "published": "1"})  # fmt: skip
        assert published.status == 200
        assert core.services.faq.ask(PASPOR[0]).faq_id == "daftar-paspor"
    assert await _faq_audit(core) == [
        ("faq.created", "daftar-paspor", {"version": 1}),
        ("faq.unanswered_converted", "daftar-paspor", {"questions": 3}),
        ("faq.published", "daftar-paspor", {"version": 2}),
    ]


async def test_the_home_page_shows_faq_editors_the_weeks_most_asked_questions(
    core: Core,
) -> None:
    await _record(core, *PASPOR, "aplikasi buat iphone ada ga")
    async with client_for(core) as client:
        await _signed_in(core, client)
        home = await (await client.get("/console/")).text()
    digest = home.split('id="faq-digest"')[1].split("</section>")[0]
    assert "7 hari terakhir" in digest and "4 pertanyaan menunggu" in digest
    rows = re.findall(r'<tr class="faq-digest-group".*?</tr>', digest, re.S)
    assert len(rows) == 2
    assert "“bisa daftar pakai paspor?”" in rows[0] and "3×" in rows[0]
    found, _ = closest(core.services.faq.index, PASPOR[0])
    if found:
        assert f'href="/console/faq/{found[0].faq_id}"' in rows[0]
    else:
        assert "tidak ada yang mendekati" in rows[0]
    assert 'href="/console/faq/unanswered" id="faq-digest-inbox"' in digest


async def test_only_faq_editors_see_the_digest(core: Core) -> None:
    await _record(core, *PASPOR)
    for role in ("verifier", "agent"):
        async with client_for(core) as client:
            await _signed_in(core, client, role)
            home = await (await client.get("/console/")).text()
        assert "Selamat datang" in home and "faq-digest" not in home


async def test_a_quiet_week_says_so_on_the_home_page(core: Core) -> None:
    async with client_for(core) as client:
        await _signed_in(core, client)
        home = await (await client.get("/console/")).text()
    assert 'id="faq-digest-empty"' in home
    assert "Tidak ada pertanyaan yang belum terjawab dalam 7 hari terakhir." in home


async def test_personal_numbers_stay_masked_in_the_digest_and_the_draft(core: Core) -> None:
    await _record(core, "nik sy 3671014501900001 kok ditolak", "nik 3671014501900001 ditolak knp")
    async with core.uow() as uow:
        stored = list((await uow.session.execute(select(FaqUnanswered.text))).scalars())
    assert stored and all("3671" not in text for text in stored)
    async with client_for(core) as client:
        await _signed_in(core, client)
        home = await (await client.get("/console/")).text()
        inbox = await (await client.get("/console/faq/unanswered")).text()
        ids = ",".join(re.findall(r'data-ids="([^"]+)"', inbox))
        draft = await (await client.get(f"/console/faq/new?from={ids}")).text()
    for page in (home, inbox, draft):
        assert "3671014501900001" not in page and "[angka]" in page
