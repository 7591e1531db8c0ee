"""Walk a citizen through registration with the real engine, step by step.

Tests start where they need to (the consent, the KTP step, the summary) and go on by hand
from there; the walk is the one a careful citizen takes with buttons and typed answers.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.core import Core
from bot.storage.models import Registration
from tests.photos.factory import good_ktp_jpeg, good_selfie_jpeg
from tests.support.chat import ChatDriver

NIK = "3671014501900001"  # woman (day 05 + 40), born 5 January 1990, Kota Tangerang


async def answer_questions(
    chat: ChatDriver, nik: str = NIK, *, name: str = "Siti Aminah", phone: str = "0812-3456-7890"
) -> None:
    """Answer from the name to the kelurahan, once consent was given."""
    await chat.say(name)
    await chat.say(nik)
    await chat.tap("birth:yes")
    await chat.say(phone)
    await chat.tap("kec:cipondoh")
    await chat.tap("kel:petir")


async def send_photos(chat: ChatDriver, nik: str = NIK) -> None:
    """Send a good KTP photo for ``nik`` and a good selfie."""
    await chat.photo(good_ktp_jpeg(nik))
    await chat.photo(good_selfie_jpeg())


async def walk_to_ktp_step(chat: ChatDriver, nik: str = NIK) -> None:
    """Type "daftar", agree for herself and answer every question up to the KTP photo."""
    await chat.say("daftar")
    await chat.tap("consent:yes")
    await answer_questions(chat, nik)


async def register_until_summary(chat: ChatDriver, nik: str = NIK) -> None:
    """Walk from the first greeting through the menu to the summary."""
    await chat.say("halo")
    await chat.tap("menu:register")
    await chat.tap("consent:yes")
    await answer_questions(chat, nik)
    await send_photos(chat, nik)


async def stored(core: Core) -> Registration:
    """Return the one registration in the database, detached with its values loaded."""
    async with core.uow() as uow:
        reg = (await uow.session.execute(select(Registration))).scalar_one()
        uow.session.expunge(reg)  # keep the loaded values after the unit of work ends
        return reg
