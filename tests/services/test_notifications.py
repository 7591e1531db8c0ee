"""What citizens are told when a verifier decides."""

from __future__ import annotations

from bot.core import Core
from bot.services.accounts import Actor, Role
from bot.services.notifications import decision_reply
from bot.storage.models import Registration
from tests.console.support import seed_registration


def _rejected(reason: str, note: str | None) -> Registration:
    return Registration(reference="TL-ABC234", status="rejected", reject_reason=reason,
                        decision_note=note)  # fmt: skip


def test_rejection_names_reason_fix_and_note_on_separate_words(core: Core) -> None:
    reply = decision_reply(core.catalog, core.settings, _rejected("other", "Foto terpotong"))
    assert "Alasan: alasan lain (catatan petugas: Foto terpotong)" in reply.text
    assert "reg:resubmit" in [b.id for b in reply.buttons]
    assert reply.template is not None and reply.template.params == ("TL-ABC234", "alasan lain")


def test_rejection_without_note_has_no_dangling_text(core: Core) -> None:
    reply = decision_reply(core.catalog, core.settings, _rejected("ktp_blurry", None))
    assert "Alasan: foto KTP buram\n" in reply.text and "catatan" not in reply.text


def test_approval_tells_what_to_do_now(core: Core) -> None:
    reg = Registration(reference="TL-ABC234", status="approved")
    reply = decision_reply(core.catalog, core.settings, reg)
    assert "disetujui" in reply.text and reply.template is not None


def test_approval_says_how_to_get_the_app_and_log_in_with_the_configured_link(core: Core) -> None:
    settings = core.settings.model_copy(update={"app_download_url": "https://tl.example/unduh"})
    approved = Registration(reference="TL-ABC234", status="approved", flags={})
    own = decision_reply(core.catalog, settings, approved)
    assert "Pasang aplikasi Tangerang LIVE dari tautan ini: https://tl.example/unduh" in own.text
    assert "masuk dengan nomor HP yang didaftarkan" in own.text
    helped = decision_reply(
        core.catalog, settings,
        Registration(reference="TL-ABC234", status="approved", flags={"helper": True}),
    )  # fmt: skip
    assert "Bantu keluarga memasang aplikasi" in helped.text


async def test_a_decided_request_is_told_the_app_link(core: Core) -> None:
    seeded = await seed_registration(core, flags={"helper": True})
    verifier = Actor(type="user", id="1", name="siti", role=Role.VERIFIER)
    await core.review_cases.decide(verifier, seeded.id, approve=True, reason=None, note=None,
                                   ip=None)  # fmt: skip
    async with core.uow() as uow:
        history = await uow.conversations.history(seeded.conversation_id, directions=("out",))
    (told,) = [str(body.get("text", "")) for _message, body in history]
    assert "disetujui" in told and core.settings.app_download_url in told
    assert "Bantu keluarga memasang aplikasi" in told
