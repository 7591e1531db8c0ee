"""What citizens are told when a verifier decides."""

from __future__ import annotations

from bot.core import Core
from bot.services.notifications import decision_reply
from bot.storage.models import Registration


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
