"""The Rekapitulasi page with charts, and its CSV/XLSX downloads (audited)."""

from __future__ import annotations

from datetime import date

from aiohttp import web

from bot.console import charts
from bot.console.render import render
from bot.console.security import REVIEWERS, actor, redirect, requires
from bot.core import CORE, Core
from bot.services import reports
from bot.services.reports import RangeError, Report

EXPORTS = {
    "csv": ("text/csv", reports.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", reports.to_xlsx),
}


def _range(request: web.Request) -> tuple[date, date]:
    try:
        return reports.parse_range(
            request.query.get("from"), request.query.get("to"), reports.today_wib()
        )
    except RangeError as exc:
        raise redirect(request, "/console/reports", "error", str(exc)) from None


async def _build(core: Core, start: date, end: date) -> Report:
    async with core.uow() as uow:
        return await reports.build_report(uow, core.settings, start, end)


@requires(*REVIEWERS)
async def page(request: web.Request) -> web.Response:
    """Show the recap of a date range as numbers, charts and tables."""
    core = request.app[CORE]
    start, end = _range(request)
    report = await _build(core, start, end)
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
    core = request.app[CORE]
    fmt = request.match_info["fmt"]
    content_type, write = EXPORTS[fmt]
    start, end = _range(request)
    report = await _build(core, start, end)
    body = write(report, core.catalog)
    who = actor(request)
    async with core.uow() as uow:
        uow.audit.record(
            "report.exported", actor_type=who.type, actor_id=who.id, actor_name=who.name,
            target_type="report", target_id=f"{start.isoformat()}..{end.isoformat()}",
            ip=request.remote,
            details={"format": fmt, "from": start.isoformat(), "to": end.isoformat(),
                     "requests": report.total.submitted},
        )  # fmt: skip
        await uow.commit()
    name = reports.filename(report, fmt)
    return web.Response(
        body=body, content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )  # fmt: skip
