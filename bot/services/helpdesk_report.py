"""The helpdesk in the recap: how long citizens waited for a person, and how they rated the help.

Waiting time is counted from the moment a chat joined the queue to the moment an agent took it
(when the bot told the citizen "petugas bergabung"), as recorded with each ``chat.claimed`` in
the audit log. Satisfaction (CSAT) is the share of ratings of 4 or 5 out of 5, the usual reading
of a five-point scale; the average is shown beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bot.domain.stats import percentile

SATISFIED = 4  # a rating of 4 or 5 (of 5) counts as satisfied


@dataclass(slots=True)
class AgentStats:
    """One agent's (or everyone's) chats taken, waits and ratings."""

    chats: int = 0
    waits_minutes: list[float] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)

    @property
    def median_wait(self) -> float | None:
        """Return the median minutes a citizen waited before an agent took the chat."""
        return percentile(self.waits_minutes, 0.5)

    @property
    def p90_wait(self) -> float | None:
        """Return the 90th-percentile wait in minutes."""
        return percentile(self.waits_minutes, 0.9)

    @property
    def rating_average(self) -> float | None:
        """Return the average rating (1–5)."""
        return sum(self.ratings) / len(self.ratings) if self.ratings else None

    @property
    def csat(self) -> float | None:
        """Return the share of ratings of 4 or 5, in percent."""
        if not self.ratings:
            return None
        return 100 * sum(r >= SATISFIED for r in self.ratings) / len(self.ratings)


@dataclass(slots=True)
class HelpdeskReport:
    """The helpdesk over a date range: everyone, and each agent by name."""

    total: AgentStats = field(default_factory=AgentStats)
    agents: dict[str, AgentStats] = field(default_factory=dict)

    def agent(self, name: str | None) -> AgentStats:
        """Return an agent's figures, started empty; a chat with no agent counts under "–"."""
        return self.agents.setdefault(name or "–", AgentStats())


def build_helpdesk_report(
    claims: Iterable[tuple[str | None, int | None]], ratings: Iterable[tuple[str | None, int]]
) -> HelpdeskReport:
    """Count chats taken (agent, seconds waited) and ratings (agent, score) of a date range."""
    report = HelpdeskReport()
    for name, waited in claims:
        for stats in (report.total, report.agent(name)):
            stats.chats += 1
            if waited is not None and waited >= 0:
                stats.waits_minutes.append(waited / 60)
    for name, score in ratings:
        if 1 <= score <= 5:
            report.total.ratings.append(score)
            report.agent(name).ratings.append(score)
    report.agents = dict(sorted(report.agents.items()))
    return report


def columns(text: Callable[[str], str]) -> list[str]:
    """Return the helpdesk table's column titles (``text`` is the catalog's ``text``)."""
    keys = ("chats", "wait-median", "wait-p90", "ratings", "rating-average", "csat")
    return [text(f"console-report-helpdesk-col-{key}") for key in keys]


def values(stats: AgentStats) -> list[int | float | None]:
    """Return one row of the helpdesk table, rounded for reading."""
    return [
        stats.chats, _round(stats.median_wait), _round(stats.p90_wait), len(stats.ratings),
        _round(stats.rating_average, 2), _round(stats.csat),
    ]  # fmt: skip


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)
