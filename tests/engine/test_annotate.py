"""A turn's replies are marked for the channels in one pass: photo step, voice, choices kept."""

from __future__ import annotations

from bot.engine.annotate import annotate
from bot.engine.messages import VOICE, VOICE_NOTE, Button, Reply

YES = Button("a:yes", "Ya")


def test_the_last_reply_asks_for_the_camera_the_photo_needs() -> None:
    first, last = annotate([Reply("Bagus."), Reply("Kirim swafoto.")], photo="selfie", voice=False)
    assert "photo" not in first.extra
    assert last.extra == {"photo": "selfie", "capture": "user"}
    [ktp] = annotate([Reply("Kirim foto KTP.")], photo="ktp", voice=False)
    assert ktp.extra["capture"] == "environment"
    [agent] = annotate([Reply("Petugas membalas.")], photo="any", voice=False)
    assert agent.extra == {"photo": "any"}


def test_choices_another_message_follows_are_kept_under_their_own_message() -> None:
    first, middle, last = annotate(
        [Reply("Setuju?", (YES,)), Reply("Penjelasan."), Reply("Pilih:", (YES,))],
        photo=None, voice=False,
    )  # fmt: skip
    assert first.extra.get("followed") is True
    assert "followed" not in middle.extra and "followed" not in last.extra


def test_voice_marks_every_reply_with_words_and_never_a_voice_note() -> None:
    note = Reply("Langkah 2", extra={VOICE_NOTE: True})
    words, empty, kept = annotate([Reply("Halo"), Reply("  "), note], photo=None, voice=True)
    assert words.extra[VOICE] is True
    assert VOICE not in empty.extra and VOICE not in kept.extra


def test_a_reply_that_needs_no_mark_is_returned_as_it_was() -> None:
    reply = Reply("Halo")
    assert annotate([reply], photo=None, voice=False)[0] is reply
