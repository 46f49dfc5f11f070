"""Matching names as lines write them against the line-ups and the teams of a sheet.

Lines and line-ups spell the same player differently: ``Nicolò Barella`` / ``Barella``,
``Lautaro Martínez`` / ``La Martínez``, ``Hakan Çalhanoglu`` / ``Calhanoglu``, sometimes
with broken accents (``MartA­nez``).  Events keep the name as written; these helpers
say which line-up entry it means.

Rules (:func:`name_score`): names are folded (accents, case, apostrophes, hyphens,
dots); the shorter name's words must line up with the end of the longer name's words,
the last word exactly, earlier words exactly or as a prefix (``La`` ~ ``Lautaro``,
``L.`` ~ ``Lautaro``); a one-word name found anywhere in a longer name is a weak match.
:func:`resolve` takes the single best match and refuses a tie.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol, TypeVar

from events.text import repair_accents

if TYPE_CHECKING:
    from events.sheet import Side


class Named(Protocol):
    """Anything with a name: a line-up :class:`events.sheet.Player`."""

    @property
    def name(self) -> str: ...


EXACT, ALIGNED, PREFIXED, WEAK, NONE = 4, 3, 2, 1, 0

_LETTERS = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "’": "'",
        "‘": "'",
        "`": "'",
        "´": "'",
    }
)
_SEPARATORS = re.compile(r"[\s\-‐‑–.]+")
_NON_WORD = re.compile(r"[^0-9a-z]+")

P = TypeVar("P", bound=Named)


@lru_cache(maxsize=1 << 16)
def fold(name: str) -> str:
    """Case-, accent- and space-folded name: ``"Hakan  Çalhanoğlu"`` -> ``"hakan calhanoglu"``.

    Broken accents are repaired first (``"AtlA©tico"`` -> ``"atletico"``).  Memoised:
    a match names its two teams on most of its lines.
    """
    text = unicodedata.normalize("NFKD", repair_accents(name).translate(_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


@lru_cache(maxsize=1 << 16)
def words(name: str) -> tuple[str, ...]:
    """The folded words of a name; hyphens and dots separate, apostrophes vanish.

    Memoised: names recur across lines and matches, and folding is the costly part.
    """
    return tuple(w for w in _SEPARATORS.split(fold(name).replace("'", "")) if w)


def name_score(a: str, b: str) -> int:
    """How well two spellings of a player's name agree: ``EXACT`` .. ``NONE`` (0)."""
    return words_score(words(a), words(b))


def words_score(wa: tuple[str, ...], wb: tuple[str, ...]) -> int:
    """:func:`name_score` on names already split into folded :func:`words`."""
    if not wa or not wb:
        return NONE
    if wa == wb:
        return EXACT
    short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    tail = long[len(long) - len(short) :]
    if short[-1] == tail[-1]:
        score = ALIGNED
        for s, t in zip(short[:-1], tail[:-1], strict=True):
            if s == t:
                continue
            if not (t.startswith(s) or s.startswith(t)):
                score = NONE
                break
            score = PREFIXED
        if score:
            return score
    if len(short) == 1 and short[0] in long:
        return WEAK
    return NONE


def same_player(a: str, b: str) -> bool:
    """True when the two spellings can name the same player."""
    return name_score(a, b) > NONE


def resolve(name: str, roster: Iterable[P]) -> P | None:
    """The roster entry ``name`` means, or None when none (or several equally) match."""
    best: P | None = None
    best_score, tied = NONE, False
    for player in roster:
        score = name_score(name, player.name)
        if score > best_score:
            best, best_score, tied = player, score, False
        elif score == best_score and score > NONE:
            tied = True
    return None if tied else best


def team_side(team: str | None, home: str | None, away: str | None) -> Side | None:
    """``"home"``/``"away"`` for a team name as a line writes it, else None.

    Equal folded names win; otherwise the one team whose words contain (or are
    contained in) the line's words (``Inter`` ~ ``Inter Milan``).
    """
    if not team:
        return None
    wt = set(words(team))
    sides: tuple[tuple[Side, str | None], ...] = (("home", home), ("away", away))
    candidates: list[Side] = []
    for side, name in sides:
        if not name:
            continue
        if fold(name) == fold(team):
            return side
        wn = set(words(name))
        if wt and wn and (wt <= wn or wn <= wt):
            candidates.append(side)
    return candidates[0] if len(candidates) == 1 else None


def slug(text: str) -> str:
    """A lower-case ASCII slug: ``"Inter Milan-AC Milan 2023-02-05"`` ->
    ``"inter-milan-ac-milan-2023-02-05"``."""
    return _NON_WORD.sub("-", fold(text)).strip("-")
