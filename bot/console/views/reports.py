"""The Rekapitulasi page with charts, and its CSV/XLSX downloads (audited)."""

from __future__ import annotations

from datetime import date

from aiohttp import web

from bot.console import charts
from bot.console.render import render
from bot.console.security import REVIEWERS, actor, redirect, requires
from bot.core import CORE
from bot.domain.days import today_wib
from bot.services import helpdesk_report, reports
from bot.services.reports import RangeError
from bot.storage.types import utcnow
from bot.web.client_address import client_address

CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _range(request: web.Request) -> tuple[date, date]:
    try:
        return reports.parse_range(
            request.query.get("from"), request.query.get("to"), today_wib(utcnow())
        )
    except RangeError as exc:
        raise redirect(request, "/console/reports", "error", str(exc)) from None


@requires(*REVIEWERS)
async def page(request: web.Request) -> web.Response:
    """Show the recap of a date range as numbers, charts and tables."""
    core = request.app[CORE]
    start, end = _range(request)
    report = await core.review_cases.report(start, end)
    t = core.catalog.text
    titles = {css: t(f"console-report-col-{css}") for css in ("approved", "rejected", "pending")}
    reason_values = [
        (reports.reason_label(core.catalog, reason), count)
        for reason, count in report.reasons.items()
    ]
    return render(
        request, "reports.html", report=report, start=start, end=end,
        sections=list(reports.sections(report, core.catalog)),
        columns=reports.bucket_columns(core.catalog),
        decider_columns=reports.decider_columns(core.catalog),
        helpdesk_columns=helpdesk_report.columns(t),
        helpdesk_rows=[
            (t("console-report-total-label"), helpdesk_report.values(report.helpdesk.total)),
            *((name, helpdesk_report.values(s)) for name, s in report.helpdesk.agents.items()),
        ],
        daily=charts.daily(report.days, titles),
        reason_chart=charts.bars(reason_values, "rejected"),
        kecamatan_chart=_submitted("kecamatan", report.kecamatan),
        channel_chart=_submitted("channel", report.channels),
        age_chart=_submitted("age_group", report.age_groups),
        query=f"from={start.isoformat()}&to={end.isoformat()}",
    )  # fmt: skip


def _submitted(section: str, data: dict[str, reports.Bucket]) -> charts.Chart:
    return charts.bars(
        [(label, bucket.submitted) for label, bucket in reports.ordered(section, data)],
        "submitted",
    )


@requires(*REVIEWERS)
async def export(request: web.Request) -> web.Response:
    """Download the recap as CSV or XLSX; every export is audited."""
    fmt = request.match_info["fmt"]
    start, end = _range(request)
    written = await request.app[CORE].review_cases.export(
        actor(request), start, end, (fmt,), ip=client_address(request)
    )
    name = reports.filename(written.report, fmt)
    return web.Response(
        body=written.files[fmt], content_type=CONTENT_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )  # fmt: skip
