"""The pipeline over Kafka: a faust app and the plain clients around it.

``livetext.lines`` (raw lines keyed by match id) -> parse agent -> ``livetext.events``
(typed events with their seq) -> project agent -> ``livetext.states`` (the state JSON);
what cannot be read goes to ``livetext.dead-letter``.  See ``docs/kafka.md``.

The app lives here and is handed the fold (:class:`~stream.kafka.project.Fold`) by the
command that starts it, so ``stream`` never imports ``projections``.  faust is imported
only by :mod:`stream.kafka.app`.
"""

from stream.kafka.config import KafkaSettings, Topics, bootstrap_servers
from stream.kafka.parse import LineParser
from stream.kafka.project import Fold, Projector
from stream.kafka.wire import BadMessage, LineMessage, decode_events, decode_lines, match_lines

__all__ = [
    "BadMessage",
    "Fold",
    "KafkaSettings",
    "LineMessage",
    "LineParser",
    "Projector",
    "Topics",
    "bootstrap_servers",
    "decode_events",
    "decode_lines",
    "match_lines",
]
