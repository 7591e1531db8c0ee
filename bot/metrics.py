"""Prometheus metrics, kept in a registry of the app's own (nothing global).

Counters and the latency histogram are counted where things happen. Gauges of what waits (the
outbox, the verification and helpdesk queues) are measured from the database at scrape time,
so every worker reports the same figures. Labels name channels and outcomes only: never a
chat, a person or a message.

Under ``tlive-bot serve --workers N`` the workers share one port and a scrape reaches any one
of them; :func:`share_between_workers` makes each answer with the counts of all of them
(prometheus_client's multiprocess mode: one memory-mapped file per worker in a directory).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector

from bot.engine.ratelimit import PauseListener
from bot.usecases.operations import OperationalGauges

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"


class Metrics:
    """The counters and timings the service exports at /metrics."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.received = Counter(
            "tlive_inbound_received", "Inbound messages (updates) received, by channel",
            ["channel"], registry=self.registry,
        )  # fmt: skip
        self.inbound = Counter(
            "tlive_inbound_messages",
            "Inbound messages by channel and outcome (processed, duplicate, failed)",
            ["channel", "outcome"], registry=self.registry,
        )  # fmt: skip
        self.handle_seconds = Histogram(
            "tlive_handle_seconds", "Time to answer one inbound message", ["channel"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )  # fmt: skip
        self.outbox = Counter(
            "tlive_outbox_sends",
            "Outbox send attempts by channel and result (sent, retry, failed)",
            ["channel", "result"], registry=self.registry,
        )  # fmt: skip
        self.rate_limited = Counter(
            "tlive_rate_limited",
            "Times a platform told the sender to slow down (Telegram 429, WhatsApp throughput)",
            ["channel"], registry=self.registry,
        )  # fmt: skip
        self.rasa = Counter(
            "tlive_rasa_parse",
            "Rasa language-understanding calls by outcome (understood, unsure, timeout, error, "
            "skipped while its breaker is open)",
            ["outcome"], registry=self.registry,
        )  # fmt: skip

        self.webhooks = Counter(
            "tlive_webhook_deliveries",
            "Attempts to deliver events to the city's systems by result (delivered, retry, dead)",
            ["result"], registry=self.registry,
        )  # fmt: skip

    def count_webhook(self, result: str) -> None:
        """Count one webhook delivery attempt: delivered, retry (failed for now) or dead."""
        self.webhooks.labels(result).inc()

    def count_rasa(self, outcome: str) -> None:
        """Count one Rasa ``/model/parse`` call, or one the open breaker skipped."""
        self.rasa.labels(outcome).inc()

    def count_send(self, channel: str, result: str) -> None:
        """Count one outbox send attempt: sent, retry (failed for now) or failed (for good)."""
        self.outbox.labels(channel, result).inc()

    def count_pause(self, channel: str) -> PauseListener:
        """Return a pause listener that counts the channel's rate-limit answers."""
        counter = self.rate_limited.labels(channel)
        return lambda _seconds: counter.inc()

    def render(
        self, gauges: OperationalGauges | None = None, *, channels: Iterable[str] = ()
    ) -> bytes:
        """Return the metrics in Prometheus text format, with ``gauges`` measured just now."""
        registry = CollectorRegistry(auto_describe=False)
        directory = os.environ.get(MULTIPROCESS_ENV)
        if directory:
            MultiProcessCollector(registry, path=directory)
        else:
            registry.register(_Forward(self.registry))
        if gauges is not None:
            registry.register(_Snapshot(gauges, tuple(channels)))
        return generate_latest(registry)


class _Forward:
    """Hand on the collections of this worker's registry."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self._registry = registry

    def collect(self) -> Iterator[Metric]:
        """Yield this worker's counters and histograms."""
        yield from self._registry.collect()


class _Snapshot:
    """Turn one measurement of what waits into gauges."""

    def __init__(self, gauges: OperationalGauges, channels: tuple[str, ...]) -> None:
        self._g = gauges
        self._channels = channels

    def collect(self) -> Iterator[Metric]:
        """Yield the outbox, queue and deadline gauges."""
        g = self._g
        depth = GaugeMetricFamily(
            "tlive_outbox_pending", "Messages waiting in the outbox", labels=["channel"]
        )
        age = GaugeMetricFamily(
            "tlive_outbox_oldest_pending_seconds",
            "Age of the oldest message waiting in the outbox (0 when none waits)",
            labels=["channel"],
        )
        for channel in sorted(set(self._channels) | set(g.outbox)):
            backlog = g.outbox.get(channel)
            depth.add_metric([channel], backlog.count if backlog else 0)
            age.add_metric([channel], _age(g.at, backlog.oldest if backlog else None))
        yield depth
        yield age
        yield GaugeMetricFamily(
            "tlive_verification_waiting", "Registration requests waiting for a verifier",
            value=g.verification.count,
        )  # fmt: skip
        yield GaugeMetricFamily(
            "tlive_verification_oldest_waiting_seconds",
            "How long the oldest waiting request has waited (0 when none waits)",
            value=_age(g.at, g.verification.oldest),
        )
        yield GaugeMetricFamily(
            "tlive_verification_overdue",
            "Waiting requests past the verification deadline (TLIVE_VERIFICATION_SLA_HOURS)",
            value=g.overdue,
        )
        yield GaugeMetricFamily(
            "tlive_helpdesk_queued", "Chats waiting for a helpdesk agent", value=g.helpdesk.count
        )
        yield GaugeMetricFamily(
            "tlive_helpdesk_oldest_queued_seconds",
            "How long the longest-waiting chat has waited for an agent (0 when none waits)",
            value=_age(g.at, g.helpdesk.oldest),
        )


def _age(now: datetime, oldest: datetime | None) -> float:
    return max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0


def share_between_workers() -> Path:
    """Make the worker processes started after this call report each other's counts."""
    directory = Path(tempfile.mkdtemp(prefix="tlive-metrics-"))
    os.environ[MULTIPROCESS_ENV] = str(directory)
    return directory


def stop_sharing(directory: Path) -> None:
    """Remove the workers' shared metric files once they have all stopped."""
    shutil.rmtree(directory, ignore_errors=True)
    os.environ.pop(MULTIPROCESS_ENV, None)
