"""The console's FAQ editor: editing, versions and rollback, publishing, try-it, the unanswered
inbox, YAML import/export, CSRF and roles, audit labels and catalog completeness."""

from __future__ import annotations

import html
import re

import aiohttp
import yaml
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.core import Core
from bot.faq.admin.records import STATUSES
from bot.faq.model import loads_faq
from bot.i18n import Catalog
from bot.storage.models import AuditEntry, FaqUnanswered
from tests.console.support import add_user, client_for, login, page_csrf

Client = TestClient[object, object]
NEW = {
    "id": "daftar-paspor", "category": "pendaftaran", "question": "Bisa daftar pakai paspor?",
    "paraphrases": "daftar pake paspor bisa ga\npaspor boleh buat daftar akun",
    "answer": "Belum bisa. Pendaftaran memakai KTP-el atau resi KTP-el dari Disdukcapil.",
    "published": "1",
}  # fmt: skip


async def _admin(core: Core, client: Client) -> str:
    await add_user(core, "rina", "admin")
    assert (await login(client, "rina")).status == 200
    return await page_csrf(client, "/console/faq")


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


async def _audit(core: Core) -> list[str]:
    async with core.uow() as uow:
        rows = await uow.session.execute(
            select(AuditEntry.action)
            .where(AuditEntry.action.startswith("faq."))
            .order_by(AuditEntry.id)
        )
        return list(rows.scalars())


async def test_only_admins_see_the_faq_menu(core: Core) -> None:
    await add_user(core, "budi", "verifier")
    async with client_for(core) as client:
        await login(client, "budi")
        home = await (await client.get("/console/")).text()
        assert 'href="/console/faq"' not in home
        assert (await client.get("/console/faq")).status == 403
    async with client_for(core) as client:
        csrf = await _admin(core, client)
        home = await (await client.get("/console/")).text()
        assert 'href="/console/faq"' in home and csrf


async def test_create_edit_conflict_history_and_rollback(core: Core) -> None:
    async with client_for(core) as client:
        csrf = await _admin(core, client)
        listing = await (await client.get("/console/faq")).text()
        assert 'data-faq-id="cara-daftar"' in listing and "34 entri" in _text(listing)

        bad = await client.post("/console/faq/new", data={**NEW, "answer": " ", "csrf": csrf})
        page = await bad.text()
        assert bad.status == 422 and "Jawaban harus diisi." in page
        assert "daftar pake paspor bisa ga" in page  # what was typed is kept
        taken = await client.post("/console/faq/new", data={**NEW, "id": "biaya", "csrf": csrf})
        assert taken.status == 422 and "sudah dipakai" in await taken.text()

        created = await client.post("/console/faq/new", data={**NEW, "csrf": csrf})
        assert created.url.path == "/console/faq/daftar-paspor"
        assert "Entri daftar-paspor dibuat." in await created.text()
        assert core.services.faq.ask("daftar pake paspor bisa ga").faq_id == "daftar-paspor"

        edit = {**NEW, "answer": "Belum bisa. Pakai KTP-el atau resi KTP-el dari Disdukcapil Kota.",
                "version": "1", "csrf": csrf}  # fmt: skip
        saved = await client.post("/console/faq/daftar-paspor", data=edit)
        assert "disimpan sebagai versi 2" in await saved.text()
        stale = await client.post("/console/faq/daftar-paspor", data={**edit, "answer": "Lain."})
        page = await stale.text()
        assert stale.status == 409 and "sekarang versi 2" in html.unescape(page)
        assert 'name="version" value="2"' in page  # saving again knowingly replaces it

        history = await (await client.get("/console/faq/daftar-paspor/history")).text()
        assert history.index('id="v2"') < history.index('id="v1"')
        assert "<del>memakai</del>" in history or "<del>" in history
        assert "Kota.</ins>" in history and "rina" in history
        rolled = await client.post(
            "/console/faq/daftar-paspor/rollback", data={"version": "1", "csrf": csrf}
        )
        assert "dikembalikan ke versi 1 (sebagai versi 3)" in await rolled.text()
        again = await client.post(
            "/console/faq/daftar-paspor/rollback", data={"version": "1", "csrf": csrf}
        )
        assert "Tidak ada perubahan" in await again.text()
        bad_version = await client.post(
            "/console/faq/daftar-paspor/rollback", data={"version": "x", "csrf": csrf}
        )
        assert "Versi itu tidak ada." in await bad_version.text()
    async with core.uow() as uow:
        listed = await uow.faq.get("daftar-paspor")
    assert listed is not None and listed.version == 3 and listed.entry.answer == NEW["answer"]
    assert await _audit(core) == ["faq.created", "faq.updated", "faq.rolled_back"]


async def test_publish_delete_restore_and_search(core: Core) -> None:
    async with client_for(core) as client:
        csrf = await _admin(core, client)
        await client.post("/console/faq/new", data={**NEW, "csrf": csrf})
        off = await client.post(
            "/console/faq/daftar-paspor/publish", data={"published": "0", "csrf": csrf}
        )
        assert "tidak diterbitkan lagi" in await off.text()
        assert core.services.faq.ask("daftar pake paspor bisa ga").faq_id is None
        drafts = await (await client.get("/console/faq?status=unpublished")).text()
        assert 'data-faq-id="daftar-paspor"' in drafts and 'data-faq-id="biaya"' not in drafts
        found = await (await client.get("/console/faq?q=paspor")).text()
        assert re.findall(r'data-faq-id="([^"]+)"', found) == ["daftar-paspor"]
        category = await (await client.get("/console/faq?category=privasi")).text()
        assert 'data-faq-id="hapus-data"' in category and 'data-faq-id="biaya"' not in category
        await client.post(
            "/console/faq/daftar-paspor/publish", data={"published": "1", "csrf": csrf}
        )
        assert core.services.faq.ask("daftar pake paspor bisa ga").faq_id == "daftar-paspor"

        gone = await client.post("/console/faq/daftar-paspor/delete", data={"csrf": csrf})
        assert gone.url.path == "/console/faq" and "dihapus" in await gone.text()
        assert core.services.faq.ask("daftar pake paspor bisa ga").faq_id is None
        missing = await client.get("/console/faq/daftar-paspor")
        assert missing.url.path == "/console/faq" and "tidak ada" in await missing.text()
        deleted = await (await client.get("/console/faq?status=deleted")).text()
        assert 'href="/console/faq/daftar-paspor/history"' in deleted
        history = await (await client.get("/console/faq/daftar-paspor/history")).text()
        assert "sudah dihapus" in history and 'id="rollback-4"' not in history
        await client.post(
            "/console/faq/daftar-paspor/rollback", data={"version": "3", "csrf": csrf}
        )
        assert core.services.faq.ask("daftar pake paspor bisa ga").faq_id == "daftar-paspor"
    assert await _audit(core) == [
        "faq.created", "faq.unpublished", "faq.published", "faq.deleted", "faq.rolled_back",
    ]  # fmt: skip


async def test_try_it_published_drafts_and_the_unsaved_form(core: Core) -> None:
    async with client_for(core) as client:
        csrf = await _admin(core, client)
        page = await (await client.get("/console/faq/try?text=gmn+cara+daftar")).text()
        assert 'data-outcome="answer" data-faq-id="cara-daftar"' in page
        assert "Menjawab dengan cara-daftar (skor" in page and 'class="chosen"' in page
        assert "Tidak ada entri tersimpan yang belum terbit" in page
        refused = await (
            await client.get("/console/faq/try?text=resep+nasi+goreng&partial=1")
        ).text()
        assert refused.lstrip().startswith('<div class="try-results"')
        assert 'data-outcome="refuse"' in refused and "<html" not in refused
        assert (await (await client.get("/console/faq/try?partial=1&text=")).text()) == ""

        await client.post("/console/faq/new", data={**NEW, "published": "", "csrf": csrf})
        both = await (
            await client.get("/console/faq/try?partial=1&text=daftar+pake+paspor+bisa+ga")
        ).text()
        assert re.search(r'id="try-published" data-outcome="(suggest|refuse)"', both)
        assert 'id="try-draft" data-outcome="answer" data-faq-id="daftar-paspor"' in both

        form = {
            "text": "bisa pakai sim untuk daftar", "id": "daftar-paspor", "answer": "",
            "category": "pendaftaran", "question": "Bisa daftar pakai paspor atau SIM?",
            "paraphrases": "daftar pake sim bisa ga\nsim boleh buat daftar",
        }  # fmt: skip
        tried = await client.post("/console/faq/try", data=form,
                                  headers={"X-CSRF-Token": csrf})  # fmt: skip
        body = await tried.text()
        assert tried.status == 200
        assert 'id="try-form" data-outcome="answer" data-faq-id="daftar-paspor"' in body
        invalid = await client.post("/console/faq/try", data={**form, "question": ""},
                                    headers={"X-CSRF-Token": csrf})  # fmt: skip
        assert invalid.status == 422 and "Pertanyaan harus diisi." in await invalid.text()
        forged = await client.post("/console/faq/try", data=form, headers={"X-CSRF-Token": "x"})
        assert forged.status == 403


def _group(inbox: str, word: str) -> tuple[str, str]:
    """Return the ids and the HTML of the inbox group mentioning ``word``."""
    for ids in re.findall(r'data-ids="([^"]+)"', inbox):
        section = inbox.split(f'data-ids="{ids}"')[1].split("</section>")[0]
        if word in section:
            return ids, section
    raise AssertionError(f"no group with {word!r}")


async def _record(core: Core, *texts: str, reason: str = "refused") -> None:
    async with core.uow() as uow:
        for text in texts:
            await core.services.faq.record_unanswered(uow, text, reason, None)
        await uow.commit()


async def test_inbox_groups_become_paraphrases_new_entries_or_are_dismissed(core: Core) -> None:
    await _record(core, "apakah ada aplikasinya untuk iphone", "aplikasi buat iphone ada ga")
    await _record(core, "bisa daftar pakai paspor?", "daftar pake paspor bisa ga")
    await _record(core, "resep nasi goreng", reason="not_helpful")
    async with client_for(core) as client:
        csrf = await _admin(core, client)
        listing = await (await client.get("/console/faq")).text()
        assert "Belum terjawab (5)" in listing
        inbox = await (await client.get("/console/faq/unanswered")).text()
        assert "5 pertanyaan dalam 3 kelompok." in inbox
        ids = re.findall(r'data-ids="([^"]+)"', inbox)
        assert len(ids) == 3
        iphone, section = _group(inbox, "iphone")
        assert '<option value="unduh-aplikasi">' in section  # the closest entry comes first
        assert "dinilai tidak membantu" in inbox

        added = await client.post("/console/faq/unanswered/paraphrase", data={
            "csrf": csrf, "ids": iphone, "faq_id": "unduh-aplikasi",
            "texts": "apakah ada aplikasinya untuk iphone\naplikasi buat iphone ada ga",
        })  # fmt: skip
        assert "2 kalimat ditambahkan ke unduh-aplikasi" in await added.text()
        assert core.services.faq.ask("ada aplikasi untuk iphone ga").faq_id == "unduh-aplikasi"

        inbox = await (await client.get("/console/faq/unanswered")).text()
        paspor, _ = _group(inbox, "paspor")
        prefilled = await (await client.get(f"/console/faq/new?from={paspor}")).text()
        assert 'value="bisa daftar pakai paspor?"' in prefilled or "paspor" in prefilled
        in_order = ",".join(sorted(paspor.split(","), key=int))
        assert f'name="unanswered" value="{in_order}"' in prefilled
        text = prefilled.split('id="f-paraphrases"')[1].split("</textarea>")[0]
        assert "paspor" in text
        made = await client.post("/console/faq/new", data={
            **NEW, "question": "bisa daftar pakai paspor?", "unanswered": paspor, "csrf": csrf,
        })  # fmt: skip
        assert made.url.path == "/console/faq/daftar-paspor"

        inbox = await (await client.get("/console/faq/unanswered")).text()
        [rest] = re.findall(r'data-ids="([^"]+)"', inbox)
        dismissed = await client.post("/console/faq/unanswered/dismiss",
                                      data={"csrf": csrf, "ids": rest})  # fmt: skip
        assert "1 pertanyaan ditandai selesai." in await dismissed.text()
        assert 'id="inbox-empty"' in await dismissed.text()
        twice = await client.post("/console/faq/unanswered/dismiss",
                                  data={"csrf": csrf, "ids": rest})  # fmt: skip
        assert "sudah ditangani" in await twice.text()
        empty = await client.post("/console/faq/unanswered/paraphrase", data={
            "csrf": csrf, "ids": "", "faq_id": "biaya", "texts": " "})  # fmt: skip
        assert "minimal satu kalimat" in await empty.text()
    async with core.uow() as uow:
        open_rows = await uow.session.scalar(
            select(FaqUnanswered.id).where(FaqUnanswered.resolved_at.is_(None))
        )
    assert open_rows is None
    assert await _audit(core) == [
        "faq.updated", "faq.unanswered_converted", "faq.created", "faq.unanswered_converted",
        "faq.unanswered_dismissed",
    ]  # fmt: skip


async def test_export_and_import_yaml(core: Core) -> None:
    async with client_for(core) as client:
        csrf = await _admin(core, client)
        download = await client.get("/console/faq/export.yaml")
        assert download.status == 200 and download.content_type == "application/yaml"
        assert download.headers["Content-Disposition"].startswith('attachment; filename="faq-')
        entries = loads_faq(await download.text())
        assert len(entries) == 34

        def upload(text: str, replace: bool = False) -> aiohttp.FormData:
            form = aiohttp.FormData()
            form.add_field("csrf", csrf)
            form.add_field("file", text.encode(), filename="faq.yaml",
                           content_type="application/yaml")  # fmt: skip
            if replace:
                form.add_field("replace", "1")
            return form

        changed = [e.to_dict() for e in entries[:2]]
        changed[0]["answer"] = "Jawaban baru dari berkas."
        new = {k: v for k, v in NEW.items() if k not in ("published", "paraphrases")}
        body = yaml.safe_dump([*changed, {**new, "paraphrases": ["paspor bisa?"]}],
                              allow_unicode=True)  # fmt: skip
        done = await client.post("/console/faq/import", data=upload(body))
        assert "Impor selesai: 1 dibuat, 1 diperbarui, 0 dihapus." in await done.text()
        assert core.services.faq.entry(entries[0].id).answer == "Jawaban baru dari berkas."  # type: ignore[union-attr]

        broken = await client.post("/console/faq/import", data=upload("- id: x\n  category: [\n"))
        assert "Berkas tidak bisa diimpor: FAQ file is not valid YAML" in await broken.text()
        bad_bytes = aiohttp.FormData()
        bad_bytes.add_field("csrf", csrf)
        bad_bytes.add_field("file", b"\xff\xfe", filename="faq.yaml")
        assert "UTF-8" in await (await client.post("/console/faq/import", data=bad_bytes)).text()

        whole = await client.post("/console/faq/import", data=upload(body, replace=True))
        assert "0 dibuat, 0 diperbarui, 32 dihapus." in await whole.text()
        assert len(core.services.faq.index) == 3
        no_csrf = await client.post("/console/faq/import", data={"replace": "1"})
        assert no_csrf.status == 403
    assert await _audit(core) == ["faq.exported", "faq.imported", "faq.imported"]


async def test_faq_changes_need_csrf_and_the_same_origin(core: Core) -> None:
    async with client_for(core) as client:
        csrf = await _admin(core, client)
        for path, data in (
            ("/console/faq/new", NEW),
            ("/console/faq/biaya/delete", {}),
            ("/console/faq/biaya/publish", {"published": "0"}),
            ("/console/faq/biaya/rollback", {"version": "1"}),
            ("/console/faq/unanswered/dismiss", {"ids": "1"}),
        ):
            missing = await client.post(path, data=data, allow_redirects=False)
            assert missing.status == 403, path
            cross = await client.post(path, data={**data, "csrf": csrf},
                                      headers={"Origin": "https://evil.example"},
                                      allow_redirects=False)  # fmt: skip
            assert cross.status == 403, path
        assert "biaya" in core.services.faq.index
    assert await _audit(core) == []


async def test_audit_page_names_faq_actions(core: Core) -> None:
    async with client_for(core) as client:
        csrf = await _admin(core, client)
        await client.post("/console/faq/new", data={**NEW, "csrf": csrf})
        await client.get("/console/faq/export.yaml")
        page = await (await client.get("/console/audit")).text()
    assert "Entri FAQ dibuat" in page and "FAQ diunduh" in page


def test_every_built_faq_key_exists() -> None:
    catalog = Catalog()
    families = {
        "console-faq-status-": list(STATUSES),
        "console-faq-state-": ["published", "unpublished", "deleted"],
        "console-faq-action-": [
            "create", "edit", "import", "publish", "unpublish", "delete", "rollback", "paraphrase",
        ],
        "console-faq-field-": ["id", "category", "question", "paraphrases", "answer", "published"],
        "console-faq-try-col-": ["published", "draft", "form"],
        "console-faq-reason-": ["refused", "not_helpful"],
        "console-faq-error-": [
            "not_found", "id_invalid", "id_taken", "category_invalid", "question_invalid",
            "question_empty", "question_long", "answer_invalid", "answer_empty", "answer_long",
            "paraphrases_invalid", "paraphrases_many", "paraphrase_long", "paraphrases_none",
            "published_invalid", "id_mismatch", "unknown_field", "version_conflict",
            "version_not_found", "version_invalid", "version_empty", "import_file",
            "import_invalid", "import_empty", "nothing_selected",
        ],
        "console-action-": [
            "faq-created", "faq-updated", "faq-published", "faq-unpublished", "faq-deleted",
            "faq-rolled_back", "faq-imported", "faq-import", "faq-exported",
            "faq-unanswered_converted", "faq-unanswered_dismissed",
        ],
    }  # fmt: skip
    missing = [p + k for p, keys in families.items() for k in keys if not catalog.has(p + k)]
    assert missing == []
    for code in families["console-faq-error-"]:
        text = catalog.text(f"console-faq-error-{code}", max=1, detail="d")
        assert text and "{" not in text
