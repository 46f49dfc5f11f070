"""Cleaning a raw line before matching: broken accents, BBC headers, white space."""

from __future__ import annotations

import re

# "AtlA©tico": UTF-8 read as Latin-1/cp1252, then the lead byte "Ã" folded to "A".
# The trail byte survives as a char in U+0080..U+00BF (or its cp1252 stand-in), so
# "A" + trail is chr(0xC0 + trail - 0x80).
_CP1252_TRAIL = {
    "€": 0x80, "‚": 0x82, "ƒ": 0x83, "„": 0x84, "…": 0x85, "†": 0x86, "‡": 0x87,
    "ˆ": 0x88, "‰": 0x89, "Š": 0x8A, "‹": 0x8B, "Œ": 0x8C, "Ž": 0x8E, "‘": 0x91,
    "’": 0x92, "“": 0x93, "”": 0x94, "•": 0x95, "–": 0x96, "—": 0x97, "˜": 0x98,
    "™": 0x99, "š": 0x9A, "›": 0x9B, "œ": 0x9C, "ž": 0x9E, "Ÿ": 0x9F,
}  # fmt: skip
_TRAIL_CHARS = "".join(chr(c) for c in range(0x80, 0xC0)) + "".join(_CP1252_TRAIL)
_TRAILS = f"[{re.escape(_TRAIL_CHARS)}]"
# A broken pair: the folded lead "A" (or, unfolded, "Ã") and a trail char.  Two patterns,
# so that each starts with one literal char (which the regex engine looks for quickly).
_BROKEN_A = re.compile("A" + _TRAILS)
_BROKEN_C3 = re.compile("Ã" + _TRAILS)
# Encoded twice: "Ã«" became "A\x83A«" (lead "Ã" -> "A\x83", "Â" folded to "A").
_BROKEN_TWICE = re.compile(f"A\x83A({_TRAILS})")
# every broken pair and the letter it stands for
_REPAIRED = {
    lead + trail: chr(0xC0 + _CP1252_TRAIL.get(trail, ord(trail)) - 0x80)
    for lead in "AÃ"
    for trail in _TRAIL_CHARS
}


def repair_accents(text: str) -> str:
    """``AtlA©tico`` -> ``Atlético``, ``MA¡laga`` -> ``Málaga``; other text unchanged."""
    if text.isascii():
        return text
    if "A\x83A" in text:
        text = _BROKEN_TWICE.sub(_lead_c3, text)
    pairs = _BROKEN_A.findall(text)
    if "Ã" in text:
        pairs += _BROKEN_C3.findall(text)
    # each broken pair present, replaced everywhere at once (no call per occurrence)
    for pair in set(pairs):
        text = text.replace(pair, _REPAIRED[pair])
    return text.replace("\xad", "") if "\xad" in text else text


def _lead_c3(m: re.Match[str]) -> str:
    return _REPAIRED["A" + m.group(1)]


# BBC entry headers that scrapers glue in front of the line ("Booking      X (T) is ...").
_HEADER = re.compile(
    r"^(?:Post update|Substitution|Booking|Dismissal|Kick off|Half time|Second half|"
    r"Full time|Penalties in progress|Penalties over|Red card|Yellow card)\b[:.]?\s+"
    r"(?!(?:begins|ends|extra time)\b)(?=\S)",
    re.IGNORECASE,
)
# "Goal!" is both a header and the start of the goal template ("Goal!  Stoke City 0, ...");
# it is a header only when another template start follows it.
_GOAL_HEADER = re.compile(r"^Goal!\s+(?=Goal!|Own Goal)", re.IGNORECASE)


# The first words (letters only, lower case) a header can start with: a cheap test first.
HEADER_WORDS = frozenset(
    {
        *("post", "substitution", "booking", "dismissal", "kick", "half", "second"),
        *("full", "penalties", "red", "yellow", "goal"),
    }
)
_LEAD = re.compile(r"[A-Za-z]+")


def first_word(text: str) -> str:
    """The text's first word, lower case, letters only (``Goal!`` -> ``goal``)."""
    word = text.partition(" ")[0].rstrip(",.!:").lower()
    if word.isalpha():  # the common case: a word, then a space
        return word
    lead = _LEAD.match(text)  # "Corner,Inter", "45'": the letters it starts with
    return lead.group().lower() if lead else ""


def drop_header(text: str) -> str:
    """``text`` without the BBC entry header glued in front of it, if it has one."""
    m = _GOAL_HEADER.match(text) or _HEADER.match(text)
    return text[m.end() :] if m else text


def strip_header(text: str) -> str:
    """Drop one leading BBC entry header glued to the line, if any."""
    return drop_header(text) if first_word(text) in HEADER_WORDS else text


def tidy(text: str) -> str:
    """Accents repaired, every run of white space one space, no space at either end."""
    if not text.isascii():
        text = repair_accents(text)
    if "  " in text or not text.isprintable():  # white space other than single spaces
        return " ".join(text.split())
    return text.strip()


def clean(text: str) -> str:
    """The line as the templates expect it: accents repaired, header dropped, one space."""
    return strip_header(tidy(text))
