"""Matching names as lines write them against the line-ups and the teams of a sheet.

Lines and line-ups spell the same player differently: ``Nicolò Barella`` / ``Barella``,
``Lautaro Martínez`` / ``La Martínez``, ``Hakan Çalhanoglu`` / ``Calhanoglu``, sometimes
with broken accents (``MartA­nez``).  Events keep the name as written; these helpers
say which line-up entry it means.

Rules (:func:`name_score`), strongest first: names are folded (accents, case,
apostrophes, hyphens, dots); the shorter name's words line up with the end of the longer
name's words, the last word exactly, earlier words exactly or as a prefix (``La`` ~
``Lautaro``, ``L.`` ~ ``Lautaro``); then the same once particles (``Ben``, ``de``,
``van``, ``Al``...) and middle names are skipped (``Anis Ben Slimane`` ~ ``Anis
Slimane``, ``Fredrik Bjørkan`` ~ ``Fredrik André Bjørkan``); then the same on words
spelt alike (``Kh``/``X``/``H``, ``y``/``i``, ``q``/``k``..., or one letter apart in a long
word: ``Hajisafi`` ~ ``Hajsafi``, ``Qasem`` ~ ``Qasim``); a one-word name found anywhere in a
longer name; last, the same surname under another given name (``Yaya Sithole`` ~
``Sphephelo Sithole``), which :func:`resolve` takes only when no other entry shares it.
:func:`resolve` takes the single best match and refuses a tie.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol, TypeVar

from events.text import repair_accents

if TYPE_CHECKING:
    from events.sheet import Side


class Named(Protocol):
    """Anything with a name: a line-up :class:`events.sheet.Player`."""

    @property
    def name(self) -> str: ...


EXACT, ALIGNED, PREFIXED, SKIPPED, ALIKE, WEAK, SURNAME, NONE = 7, 6, 5, 4, 3, 2, 1, 0

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


@lru_cache(maxsize=1 << 16)
def words_score(wa: tuple[str, ...], wb: tuple[str, ...]) -> int:
    """:func:`name_score` on names already split into folded :func:`words` (memoised)."""
    if not wa or not wb:
        return NONE
    if wa == wb:
        return EXACT
    if score := _aligned(wa, wb, _prefix):
        return score
    bare_a, bare_b = _bare(wa), _bare(wb)
    if _skipped(bare_a, bare_b, _prefix):
        return SKIPPED
    sounds_a, sounds_b = _sounds(bare_a), _sounds(bare_b)
    if _aligned(sounds_a, sounds_b, _alike, last=_alike) or _skipped(sounds_a, sounds_b, _alike):
        return ALIKE
    short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if len(short) == 1 and short[0] in long:
        return WEAK
    if len(bare_a) > 1 and len(bare_b) > 1 and _alike(_sound(bare_a[-1]), _sound(bare_b[-1])):
        return SURNAME
    return NONE


def _aligned(
    wa: tuple[str, ...], wb: tuple[str, ...], same: _Same, last: _Same = str.__eq__
) -> int:
    """``ALIGNED``/``PREFIXED`` when the shorter name lines up with the longer one's end:
    the last words ``last`` (equal), the others ``same``."""
    short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    tail = long[len(long) - len(short) :]
    if not last(short[-1], tail[-1]):
        return NONE
    score = ALIGNED
    for s, t in zip(short[:-1], tail[:-1], strict=True):
        if s != t:
            if not same(s, t):
                return NONE
            score = PREFIXED
    return score


def _skipped(wa: tuple[str, ...], wb: tuple[str, ...], same: _Same) -> bool:
    """The shorter name's words (two or more) found in order in the longer one, the last
    words and the first words agreeing (middle names and particles skipped)."""
    short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if len(short) < 2 or not same(short[-1], long[-1]) or not same(short[0], long[0]):
        return False
    rest = iter(long[1:-1])
    return all(any(same(s, t) for t in rest) for s in short[1:-1])


_Same = Callable[[str, str], bool]

# fmt: off
PARTICLES = frozenset((
    "al", "el", "ben", "bin", "ibn", "abu", "abd", "bint", "da", "das", "de", "del", "della",
    "der", "des", "di", "do", "dos", "du", "la", "le", "st", "van", "von", "ter", "ten", "y", "e",
))
# fmt: on
"""Words a name may carry or drop inside it (``Anis Ben Slimane``/``Anis Slimane``)."""


def _bare(ws: tuple[str, ...]) -> tuple[str, ...]:
    """The words without the particles inside the name (a first word is kept: ``La``
    may be ``Lautaro`` cut short, ``de Vrij`` stays whole)."""
    return ws[:1] + tuple(w for w in ws[1:-1] if w not in PARTICLES) + ws[-1:] if ws else ws


def _prefix(s: str, t: str) -> bool:
    return s == t or t.startswith(s) or s.startswith(t)


_SOUNDS = (
    ("kh", "h"),
    ("x", "h"),
    ("ph", "f"),
    ("dj", "j"),
    ("dzh", "j"),
    ("zh", "j"),
    ("tch", "ch"),
    ("sch", "sh"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("y", "i"),
    ("q", "k"),
    ("ck", "k"),
    ("w", "v"),
)


@lru_cache(maxsize=1 << 16)
def _sound(word: str) -> str:
    """A word as it sounds across transliterations: ``xamrobekov`` -> ``hamrobekov``."""
    for written, sound in _SOUNDS:
        word = word.replace(written, sound)
    return re.sub(r"(.)\1", r"\1", word)


def _sounds(ws: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_sound(w) for w in ws)


def _alike(s: str, t: str) -> bool:
    """Words spelt alike: equal, one a prefix of the other (a given name cut short), or,
    in words of five letters or more, one letter apart."""
    if _prefix(s, t):
        return True
    if min(len(s), len(t)) < 5 or abs(len(s) - len(t)) > 1:
        return False
    return _one_edit(s, t)


def _one_edit(s: str, t: str) -> bool:
    """One letter replaced, dropped or added."""
    if len(s) > len(t):
        s, t = t, s
    i = 0
    while i < len(s) and s[i] == t[i]:
        i += 1
    if len(s) == len(t):
        return s[i + 1 :] == t[i + 1 :]
    return s[i:] == t[i + 1 :]


def same_player(a: str, b: str) -> bool:
    """True when the two spellings can name the same player (a shared surname under
    another given name is not enough)."""
    return name_score(a, b) > SURNAME


def same_substitution(
    off: str | None, on: str | None, other_off: str | None, other_on: str | None
) -> bool:
    """True when two reports of a substitution name the same player off and, when both
    name one, the same player on."""
    return bool(off and other_off and same_player(off, other_off)) and (
        not (on and other_on) or same_player(on, other_on)
    )


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


CLUB_WORDS = frozenset({"fc", "afc", "cf", "sc", "ssc", "sv", "bk", "fk", "sk", "cd"})
"""Club prefixes and suffixes a team's name may carry or drop (``AFC Bournemouth``)."""


@lru_cache(maxsize=4096)
def team_key(name: str) -> str:
    """A team name folded for comparison: ``"Brighton & Hove Albion FC"`` ->
    ``"brighton and hove albion"`` (club words dropped unless nothing else is left)."""
    ws = words(name.replace("&", " and "))
    kept = tuple(w for w in ws if w not in CLUB_WORDS)
    return " ".join(kept or ws)


def team_side(team: str | None, home: str | None, away: str | None) -> Side | None:
    """``"home"``/``"away"`` for a team name as a line writes it, else None.

    Equal names win (folded: accents, case, ``&``/``and``, ``FC``...); otherwise the one
    team whose words contain (or are contained in) the line's words (``Inter`` ~ ``Inter
    Milan``).  A name the lines use for a team in other words is paired by the match
    (``projections.teams``).
    """
    if not team:
        return None
    key = team_key(team)
    wt = set(key.split())
    sides: tuple[tuple[Side, str | None], ...] = (("home", home), ("away", away))
    candidates: list[Side] = []
    for side, name in sides:
        if not name:
            continue
        other = team_key(name)
        if other == key:
            return side
        wn = set(other.split())
        if wt and wn and (wt <= wn or wn <= wt):
            candidates.append(side)
    return candidates[0] if len(candidates) == 1 else None


def slug(text: str) -> str:
    """A lower-case ASCII slug: ``"Inter Milan-AC Milan 2023-02-05"`` ->
    ``"inter-milan-ac-milan-2023-02-05"``."""
    return _NON_WORD.sub("-", fold(text)).strip("-")
