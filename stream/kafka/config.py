"""Where the Kafka pipeline runs and how: broker, topic names, partitions, batching."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_BROKER = "kafka://127.0.0.1:9092"
DEFAULT_PREFIX = "livetext"
DEFAULT_PARTITIONS = 8
DEFAULT_FETCH_WAIT_MS = 5


def bootstrap_servers(broker: str) -> list[str]:
    """``host:port`` entries from ``kafka://h1:9092;h2:9092``, ``h1:9092,h2:9092`` or ``h1``."""
    out = []
    for part in broker.replace(";", ",").split(","):
        part = part.strip()
        if "://" in part:
            part = part.split("://", 1)[1]
        part = part.rstrip("/")
        if part:
            out.append(part if ":" in part else f"{part}:9092")
    if not out:
        raise ValueError(f"no broker address in {broker!r}")
    return out


def faust_broker(broker: str) -> str:
    """The same brokers as a faust URL: ``kafka://h1:9092;h2:9092``."""
    return "kafka://" + ";".join(bootstrap_servers(broker))


@dataclass(frozen=True, slots=True)
class Topics:
    """The pipeline's topic names, all under one prefix (``livetext.lines``, ...)."""

    prefix: str = DEFAULT_PREFIX

    @property
    def lines(self) -> str:
        """Raw lines, keyed by match id (what ``livetext publish`` writes)."""
        return f"{self.prefix}.lines"

    @property
    def events(self) -> str:
        """Typed events with their seq, keyed by match id: the log."""
        return f"{self.prefix}.events"

    @property
    def states(self) -> str:
        """The state JSON of a match after its latest events, keyed by match id."""
        return f"{self.prefix}.states"

    @property
    def dead_letter(self) -> str:
        """Messages the pipeline could not take, each with the reason."""
        return f"{self.prefix}.dead-letter"

    @property
    def all(self) -> tuple[str, str, str, str]:
        return (self.lines, self.events, self.states, self.dead_letter)


@dataclass(frozen=True, slots=True)
class KafkaSettings:
    """Everything the worker, ``publish`` and ``follow`` need to agree on.

    ``partitions`` is the partition count of every topic (lines, events, states and the
    tables' changelogs are co-partitioned: a match lives on one partition number
    everywhere, so one worker owns it).  ``batch_size``/``batch_within`` bound the
    agents' batches; ``fetch_max_wait_ms`` caps how long a fetch may wait for data (faust
    hard-codes 1.5 s; Kafka answers as soon as data arrives, but tansu answers late in
    proportion to the wait: 0.45 s a hop at 1.5 s, a few ms at 5).
    """

    broker: str = DEFAULT_BROKER
    topics: Topics = field(default_factory=Topics)
    app_id: str = DEFAULT_PREFIX
    partitions: int = DEFAULT_PARTITIONS
    replication_factor: int = 1
    batch_size: int = 1000
    batch_within: float = 0.005
    fetch_max_wait_ms: int = DEFAULT_FETCH_WAIT_MS
    session_timeout: float = 6.0
    save_every: float = 1.0
    """Seconds between two table writes of a match's state (sooner after ``save_events``)."""
    save_events: int = 200
    web_port: int | None = None
    """``None``: no web server; a port: faust's web server on 127.0.0.1 only."""
    datadir: Path | None = None

    @property
    def servers(self) -> list[str]:
        return bootstrap_servers(self.broker)

    @property
    def data_path(self) -> Path:
        """faust's working directory for this app (it keeps nothing there with
        ``memory://`` tables, but insists on one)."""
        if self.datadir is not None:
            return self.datadir
        base = os.environ.get("LIVETEXT_DATA") or tempfile.gettempdir()
        return Path(base).expanduser() / "faust" / self.app_id

    def with_prefix(self, prefix: str, app_id: str | None = None) -> KafkaSettings:
        """The same settings under other topic names (and app id, default the prefix)."""
        return replace(self, topics=Topics(prefix), app_id=app_id or prefix)
