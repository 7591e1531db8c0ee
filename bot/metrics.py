"""Prometheus metrics, kept in a registry of the app's own (nothing global)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest


class Metrics:
    """The counters and timings the service exports at /metrics."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.inbound = Counter(
            "tlive_inbound_messages", "Inbound messages by channel and outcome",
            ["channel", "outcome"], registry=self.registry,
        )  # fmt: skip
        self.handle_seconds = Histogram(
            "tlive_handle_seconds", "Time to answer one inbound message", ["channel"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )  # fmt: skip
        self.outbox = Counter(
            "tlive_outbox_sends", "Outbox send attempts by channel and result",
            ["channel", "result"], registry=self.registry,
        )  # fmt: skip

    def render(self) -> bytes:
        """Return the metrics in Prometheus text format."""
        return generate_latest(self.registry)
