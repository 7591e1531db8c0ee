"""The recap's helpdesk table: waits for an agent and citizens' ratings, per agent and in all."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook

from bot.core import Core
from bot.services import reports
from bot.services.helpdesk_report import build_helpdesk_report
from bot.storage.types import utcnow
from tests.support.chat import ChatDriver
from tests.support.helpdesk import agent, at_nik_step, conversation


def test_waits_and_ratings_are_counted_per_agent_and_in_all() -> None:
    report = build_helpdesk_report(
        claims=[("siti", 60), ("siti", 180), ("budi", 600), ("budi", None)],
        ratings=[("siti", 5), ("siti", 3), ("budi", 4), (None, 9)],
    )
    assert report.total.chats == 4 and report.total.median_wait == 3.0
    assert list(report.agents) == ["budi", "siti"]
    siti, budi = report.agents["siti"], report.agents["budi"]
    assert (siti.chats, siti.median_wait, siti.rating_average, siti.csat) == (2, 2.0, 4.0, 50.0)
    assert (budi.chats, budi.waits_minutes, budi.csat) == (2, [10.0], 100.0)
    assert report.total.ratings == [5, 3, 4]  # a score outside 1–5 is not a rating


def test_no_chats_means_empty_figures_not_zeroes() -> None:
    report = build_helpdesk_report([], [])
    assert report.total.chats == 0
    assert report.total.median_wait is None and report.total.csat is None


async def test_the_recap_shows_how_long_citizens_waited_and_how_they_rated(core: Core) -> None:
    budi = await agent(core, "budi")
    chat = ChatDriver(core)
    await at_nik_step(chat)
    await chat.say("petugas")
    conv_id = (await conversation(core, chat)).id
    await core.helpdesk_cases.claim(budi, conv_id, None)
    await core.helpdesk_cases.close(budi, conv_id, None)
    await chat.say("5")
    today = utcnow().date()
    report = await core.review_cases.report(today - timedelta(days=1), today + timedelta(days=1))
    stats = report.helpdesk.agents["budi"]
    assert (stats.chats, stats.ratings, stats.csat) == (1, [5], 100.0)
    assert stats.median_wait is not None and stats.median_wait < 1
    book = load_workbook(io.BytesIO(reports.to_xlsx(report, core.catalog)))
    sheet = book["Helpdesk"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["Petugas", "Chat diambil"]
    assert rows[2][0] == "budi" and rows[2][1] == 1 and rows[2][-1] == 100.0
