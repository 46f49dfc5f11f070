"""What the command modules share: failing cleanly, opening the store, match ids a user
can reach, the source formats ``events.readers`` knows.

Only light imports here: every verb loads this module, whatever it needs besides.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

if TYPE_CHECKING:
    from stream import EventStore

STORE_HELP = "The store file (default: the user's data directory; LIVETEXT_DATA overrides)."
MAX_SEQ = 2**63 - 1
"""The largest seq a store can hold (SQLite's INTEGER): the bound of ``--from-seq``."""
MAX_MATCH_ID = 200
"""Longest match id: it is a path segment of the web page's address."""


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``livetext: message`` on stderr and exit with ``code``: never a traceback."""
    typer.echo(f"livetext: {message}", err=True)
    raise typer.Exit(code=code)


def store_or_fail(path: Path | None, *, create: bool = True) -> EventStore:
    """The store at ``path`` (default place when None), or a clean exit naming the file."""
    from stream import StoreError, open_store

    try:
        return open_store(path, create=create)
    except StoreError as exc:
        fail(str(exc))


def store_exists(path: Path | None) -> bool:
    """True when the store file is there (False too when its directory cannot be read)."""
    from stream import default_store_path

    return os.path.exists(default_store_path() if path is None else path)


def match_id_problem(match_id: str) -> str | None:
    """Why ``match_id`` cannot name a match (None when it can).

    A match id is typed in shells and is one segment of the web page's address
    (``/matches/ID``), so it is not blank, has no white space at its ends, no ``/``, no
    control character, is not ``.`` or ``..`` (which browsers fold away) and is at most
    :data:`MAX_MATCH_ID` characters.
    """
    if not match_id.strip():
        return "a match id cannot be blank"
    if match_id != match_id.strip():
        return "a match id cannot start or end with white space"
    if "/" in match_id:
        return "a match id cannot contain '/' (it is one segment of the page's address)"
    if match_id in (".", ".."):
        return "a match id cannot be '.' or '..'"
    if any(unicodedata.category(c) == "Cc" for c in match_id):
        return "a match id cannot contain control characters"
    if len(match_id) > MAX_MATCH_ID:
        return f"a match id has at most {MAX_MATCH_ID} characters, not {len(match_id)}"
    return None


def check_match_option(match: str | None) -> None:
    """Exit 2 when ``--match`` names an id no match can have."""
    if match is not None and (problem := match_id_problem(match)):
        fail(f"--match {match!r}: {problem}", code=2)


def source_format_names() -> tuple[str, ...]:
    """The formats ``events.readers`` reads, for ``--format`` (imports the readers)."""
    from events.readers import FORMATS

    return tuple(FORMATS)


def check_format(value: str | None) -> str | None:
    """``--format``: a format ``events.readers`` knows (None: guessed from the content)."""
    if value is not None and value not in (names := source_format_names()):
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(names)}")
    return value


def format_option() -> Any:
    """The ``--format`` option, its help naming every format the readers know."""
    names = source_format_names()
    listed = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
    return typer.Option(None, "--format", help=f"Force {listed}.", callback=check_format)
