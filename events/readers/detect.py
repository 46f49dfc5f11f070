"""Which registered format an input is: the most confident detector wins."""

from __future__ import annotations

from events.readers.errors import SourceError
from events.readers.formats import REGISTRY
from events.readers.match import Format
from events.readers.payload import Payload
from events.readers.registry import SourceFormat


def detect(payload: Payload) -> SourceFormat:
    """The format whose detector is surest of ``payload`` (the first registered on a tie).

    Raises :class:`SourceError` for a JSON array, for JSON that is broken, and for JSON
    that fits none of the JSON formats, naming the shapes tried.
    """
    best, score = REGISTRY[-1], 0.0
    for fmt in REGISTRY:
        sure = fmt.detect(payload)
        if sure > score:
            best, score = fmt, sure
    if score > 0:
        return best
    name = payload.name
    if payload.lead == b"[":
        raise SourceError(
            name,
            1,
            "a JSON array: a feed is one JSON object per line (JSONL), a provider "
            "payload one JSON object",
        )
    if payload.lead == b"{":
        error = payload.json_error
        if error is not None:
            raise SourceError(name, error.lineno, f"not valid JSON: {error.msg}")
        shapes = "; ".join(f.shape for f in REGISTRY if f.json)
        raise SourceError(name, 1, f"JSON of none of the known shapes (tried {shapes})")
    raise SourceError(name, 1, "no known format fits this input")


def detect_format(text: str, name: str = "<input>") -> Format:
    """The name of the format a text is (``page``, ``feed``, ``espn``, ``opta``, ``lines``).

    Raises :class:`SourceError` on an empty text, a JSON array or JSON of no known shape.
    """
    return detect(Payload(text.encode(), name)).name
