"""``SqliteStore``: the embedded default, one SQLite file in WAL mode.

The file's layout is ``stream.sqlite_schema``.  ``PRAGMA application_id`` marks it as a
livetext store and ``PRAGMA user_version`` holds the schema version, both checked at open.
Schema 1 (the JSON repeating the columns) reads as it is, and becomes schema 2 at its
first write.

An append is one transaction, as a classic event-store recorder writes it: ``BEGIN
IMMEDIATE`` (writers in several threads or processes take turns, waiting up to
``timeout`` seconds), one look-up of the streams' heads, the rows made by
``stream.numbering.number`` (the function every backend records with), one
``executemany``, the streams upsert, ``COMMIT``.  The unique keys catch anything the
numbering got wrong; a crash leaves the whole append or none of it.

Durability (docs/performance.md, "Durability modes"): ``"full"`` (``synchronous=FULL``,
the default): an acknowledged append survives a power cut; ``"normal"``
(``synchronous=NORMAL``): it survives the process being killed, not the machine losing
power.  ``LIVETEXT_DURABILITY`` sets the default.

A file the user may read but not write (or whose folder they may not write) opens
read-only: every read works, a write raises ``StoreError`` saying so.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import quote

import orjson
import pydantic

from events.clock import MatchClock, clock_of_number, key_number
from events.identity import normalise_key
from events.models import EventBase
from stream import sqlite_schema as layout
from stream.ids import OccurrenceKey
from stream.memory import MemoryStore
from stream.numbering import Head, number
from stream.record import event_json, stored_event
from stream.store import (
    Append,
    AppendResult,
    BaseStore,
    Batch,
    EventStore,
    MatchInfo,
    Prepared,
    StoreError,
    T,
    batch_size,
    check_from,
    collector_paused,
)
from stream.subscribe import tail

Durability = Literal["full", "normal"]
DURABILITY_ENV = "LIVETEXT_DURABILITY"


def default_store_path() -> Path:
    """``$LIVETEXT_DATA/livetext.sqlite``, else ``$XDG_DATA_HOME/livetext/livetext.sqlite``
    (``~/.local/share/livetext/livetext.sqlite`` when XDG_DATA_HOME is unset)."""
    if data := os.environ.get("LIVETEXT_DATA"):
        return Path(data).expanduser() / "livetext.sqlite"
    xdg = os.environ.get("XDG_DATA_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".local" / "share"
    return base / "livetext" / "livetext.sqlite"


def open_store(
    path: str | os.PathLike[str] | None = None,
    *,
    create: bool = True,
    durability: Durability | None = None,
) -> EventStore:
    """The store at ``path``: ``None`` is :func:`default_store_path`, ``":memory:"`` a fresh
    :class:`MemoryStore`, anything else a :class:`SqliteStore`.  With ``create=False`` a
    missing file is a ``StoreError`` instead of a new, empty store."""
    if path is not None and os.fspath(path) == ":memory:":
        return MemoryStore()
    where = default_store_path() if path is None else path
    return SqliteStore(where, create=create, durability=durability)


def durability_mode(durability: str | None) -> Durability:
    """``durability``, else ``$LIVETEXT_DURABILITY``, else ``"full"``; checked."""
    mode = durability or os.environ.get(DURABILITY_ENV) or "full"
    if mode in ("full", "normal"):
        return cast(Durability, mode)
    raise StoreError(f"durability must be 'full' or 'normal', not {mode!r} (see {DURABILITY_ENV})")


class SqliteStore(BaseStore):
    """The event store in one SQLite file.  One connection, shared by threads under a lock;
    open one store per process (or several on the same file: SQLite arbitrates)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        timeout: float = 10.0,
        durability: Durability | None = None,
        read_only: bool = False,
        poll_interval: float = 0.05,
    ) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.durability = durability_mode(durability)
        self._lock = threading.RLock()
        exists = _exists(self.path)
        if not exists:
            if read_only or not create:
                raise StoreError(f"no livetext store at {self.path}")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the store {self.path}: {exc}") from None
            if not os.access(self.path.parent, os.W_OK):
                raise StoreError(f"cannot create the store {self.path}: permission denied")
        elif not os.access(self.path, os.R_OK):
            raise StoreError(f"cannot read the store {self.path}: permission denied")
        self.read_only = read_only or (exists and not _writable(self.path))
        self._immutable = False
        self._schema = layout.SCHEMA_VERSION
        self._conn = self._connect()
        try:
            with self._guard():
                self._open()
        except BaseException:
            self._conn.close()
            raise

    def __repr__(self) -> str:
        return f"SqliteStore({str(self.path)!r})"

    # --- opening --------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        """A connection: read-write, else ``mode=ro`` (which reads the WAL through its
        shared-memory file), or ``immutable`` where that file cannot be made."""
        target: str | Path = self.path
        if self.read_only:
            options = "immutable=1" if self._immutable else "mode=ro"
            target = f"file:{quote(os.path.abspath(self.path))}?{options}"
        try:
            return sqlite3.connect(
                target,
                timeout=self.timeout,
                isolation_level=None,
                check_same_thread=False,
                uri=self.read_only,
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from None

    def _open(self) -> None:
        """Check the file is a livetext store of a schema this code reads (making an empty
        file one)."""
        try:
            app_id, version, tables = self._inspect()
        except sqlite3.OperationalError as exc:
            # read-only, in WAL mode, with no shared-memory file beside it and no right to
            # make one: immutable, unless a WAL is left there (its commits would be missed)
            wal = Path(f"{self.path}-wal")
            if not self.read_only or self._immutable or _exists(wal):
                raise StoreError(f"cannot read the store {self.path}: {exc}") from None
            self._conn.close()
            self._immutable = True
            self._conn = self._connect()
            self._open()
            return
        except sqlite3.DatabaseError:
            raise StoreError(
                f"{self.path} is not a livetext store (not an SQLite database)"
            ) from None
        if (app_id, version, tables) == (0, 0, set()):
            if self.read_only:
                raise StoreError(f"{self.path} is empty, not a livetext store (and read-only)")
            self._use_wal()
            with self._transaction() as conn:
                if self._inspect() == (0, 0, set()):  # nobody initialised it meanwhile
                    for statement in layout.SCHEMA:
                        conn.execute(statement)
                    conn.execute(f"PRAGMA application_id = {layout.APPLICATION_ID}")
                    conn.execute(f"PRAGMA user_version = {layout.SCHEMA_VERSION}")
            app_id, version, tables = self._inspect()
        if app_id != layout.APPLICATION_ID:
            raise StoreError(
                f"{self.path} is an SQLite database of another application, not a livetext store"
            )
        if version not in layout.READABLE_SCHEMAS:
            newer = "a newer" if version > layout.SCHEMA_VERSION else "an older"
            raise StoreError(
                f"{self.path} holds store schema {version}, written by {newer} livetext; "
                f"this one reads schemas {', '.join(map(str, layout.READABLE_SCHEMAS))}"
            )
        if not {"events", "streams"} <= tables:
            raise StoreError(f"{self.path} is a damaged livetext store: tables are missing")
        self._schema = version
        if not self.read_only:
            self._use_wal()
        synchronous = "FULL" if self.durability == "full" else "NORMAL"
        self._conn.execute(f"PRAGMA synchronous = {synchronous}")

    def _use_wal(self) -> None:
        """Switch to WAL (a no-op once the file is WAL).  The switch takes an exclusive lock
        and SQLite reports "busy" at once instead of waiting, so retry up to the timeout."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                self._conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def _inspect(self) -> tuple[int, int, set[str]]:
        """Application id, schema version and tables, read in one snapshot."""
        conn = self._conn
        own = not conn.in_transaction
        if own:
            conn.execute("BEGIN")
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            tables = {r[0] for r in rows}
        finally:
            if own and conn.in_transaction:
                conn.execute("ROLLBACK")
        return int(app_id), int(version), tables

    # --- plumbing -------------------------------------------------------------------------

    @contextmanager
    def _guard(self) -> Iterator[sqlite3.Connection]:
        """The connection, under the lock, with SQLite's errors turned into ``StoreError``."""
        with self._lock:
            try:
                yield self._conn
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise StoreError(
                        f"the store {self.path} is locked by another writer (waited up to "
                        f"{self.timeout:g} s)"
                    ) from None
                if "readonly" in str(exc):
                    raise self._read_only_error() from None
                raise StoreError(f"the store {self.path}: {exc}") from None
            except sqlite3.ProgrammingError as exc:
                raise StoreError(f"the store {self.path}: {exc}") from None
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"the store {self.path} is damaged: {exc}") from None

    def _read_only_error(self) -> StoreError:
        return StoreError(
            f"the store {self.path} is read-only (no write access to the file or its folder): "
            "it can be read, not written"
        )

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: ``BEGIN IMMEDIATE`` takes the write lock up front."""
        if self.read_only:
            raise self._read_only_error()
        with self._guard() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                if self._schema != layout.SCHEMA_VERSION:  # rows of schema 1 read as they are
                    conn.execute(f"PRAGMA user_version = {layout.SCHEMA_VERSION}")
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            self._schema = layout.SCHEMA_VERSION

    def _events(self, sql: str, params: Sequence[Any] | Mapping[str, Any]) -> list[EventBase]:
        """The events of the rows ``sql`` selects: (position, match id, seq, event id, data)."""
        with collector_paused():
            with self._guard() as conn:
                rows = conn.execute(sql, params).fetchall()
            events = []
            for position, match_id, seq, eid, data in rows:
                try:
                    events.append(stored_event(data, match_id, seq, position, eid))
                except pydantic.ValidationError as exc:
                    raise StoreError(
                        f"the store {self.path} is damaged: the event at position {position} "
                        f"does not read back ({exc.__class__.__name__})"
                    ) from None
            return events

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # --- writing --------------------------------------------------------------------------

    def append_many(self, batches: Sequence[Batch | Prepared]) -> list[AppendResult]:
        with self._transaction() as conn:
            return self._append(conn, batches)

    def append_each(
        self, appends: Iterable[Append[T]], *, group_rows: int = 0
    ) -> Iterator[tuple[T, list[AppendResult]]]:
        """Each append's batches and metadata all or nothing, committed before its results
        are given.  With ``group_rows``, appends share a transaction until it holds that
        many events (one sync for many small sources), each in a savepoint of its own."""
        if group_rows <= 0:
            for tag, batches, meta in appends:
                with self._transaction() as conn:
                    results = self._write(conn, batches, meta)
                yield tag, results
            return
        pending = iter(appends)
        while True:
            done: list[tuple[T, list[AppendResult]]] = []
            failed: BaseException | None = None
            with self._transaction() as conn:
                rows = 0
                while rows < group_rows and failed is None:
                    try:
                        tag, batches, meta = next(pending)
                    except StopIteration:
                        break
                    except Exception as exc:  # the appends before it are kept
                        failed = exc
                        break
                    conn.execute("SAVEPOINT append")
                    try:
                        done.append((tag, self._write(conn, batches, meta)))
                        rows += sum(map(batch_size, batches))
                    except Exception as exc:  # this append alone is undone
                        conn.execute("ROLLBACK TO append")
                        failed = exc
                    finally:
                        conn.execute("RELEASE append")
            yield from done
            if failed is not None:
                with self._guard():  # SQLite's errors said as the store's
                    raise failed
            if rows < group_rows:
                return

    def _write(
        self, conn: sqlite3.Connection, batches: Sequence[Batch | Prepared], meta: Mapping[str, Any]
    ) -> list[AppendResult]:
        """One append's batches and metadata changes, in the open transaction."""
        results = self._append(conn, batches)
        for match_id, changes in meta.items():
            self._merge_meta(conn, match_id, changes)
        return results

    def _append(
        self, conn: sqlite3.Connection, batches: Sequence[Batch | Prepared]
    ) -> list[AppendResult]:
        """Number the batches against the heads the file holds, write the rows and the
        streams' new heads (in the transaction).  The cyclic collector waits meanwhile:
        rows and results hold no cycles, and a bulk append makes a tuple a row."""
        with collector_paused():
            heads = self._heads(conn, {batch.match_id for batch in batches})
            position, stream_id = conn.execute(
                "SELECT (SELECT coalesce(max(position), 0) FROM events),"
                " (SELECT coalesce(max(stream_id), 0) FROM streams)"
            ).fetchone()
            new_ids = iter(range(stream_id + 1, stream_id + 1 + len(batches)))

            def head_of(match_id: str) -> Head:
                return heads.get(match_id) or Head(next(new_ids))

            numbered = number(batches, head_of, position, event_json)
            conn.executemany(layout.INSERT, numbered.rows)
            conn.executemany(
                layout.UPSERT_STREAM,
                [(h.stream, m, h.last_seq, h.last_clock) for m, h in numbered.heads.items()],
            )
            return numbered.results

    def _heads(self, conn: sqlite3.Connection, match_ids: Collection[str]) -> dict[str, Head]:
        """The heads of the streams the file holds among ``match_ids``."""
        sql = "SELECT match_id, stream_id, last_seq, last_clock FROM streams WHERE match_id IN"
        return {
            match_id: Head(
                stream_id,
                last_seq,
                last_clock,
                partial(self._known_ids, conn, stream_id),
                partial(self._occurrences, conn, stream_id),
            )
            for match_id, stream_id, last_seq, last_clock in _select_in(conn, sql, match_ids)
        }

    @staticmethod
    def _known_ids(conn: sqlite3.Connection, stream_id: int, ids: Collection[str]) -> set[str]:
        sql = "SELECT event_id FROM events WHERE stream_id = ? AND event_id IN"
        return {eid for (eid,) in _select_in(conn, sql, ids, stream_id)}

    @staticmethod
    def _occurrences(conn: sqlite3.Connection, stream_id: int) -> Counter[OccurrenceKey]:
        counts: Counter[OccurrenceKey] = Counter()
        for data, key in conn.execute(
            "SELECT data, clock FROM events WHERE stream_id = ?", (stream_id,)
        ):
            counts[normalise_key(orjson.loads(data)["text"]), key] += 1
        return counts

    # --- reading --------------------------------------------------------------------------

    def read(
        self, match_id: str, from_seq: int = 1, to_clock: MatchClock | None = None
    ) -> list[EventBase]:
        check_from("from_seq", from_seq)
        params: dict[str, Any] = {"match": match_id, "seq": from_seq}
        if to_clock is None:
            return self._events(f"{layout.READ} ORDER BY seq", params)
        params |= {"clock": key_number(to_clock), "seq_max": 1 << 62}
        return self._events(f"{layout.READ_TO_CLOCK} ORDER BY seq", params)

    def read_all(self, from_position: int = 1, limit: int | None = None) -> list[EventBase]:
        check_from("from_position", from_position)
        return self._events(layout.READ_ALL, (from_position, -1 if limit is None else limit))

    def last_seq(self, match_id: str) -> int:
        with self._guard() as conn:
            row = conn.execute(
                "SELECT last_seq FROM streams WHERE match_id = ?", (match_id,)
            ).fetchone()
        return int(row[0]) if row else 0

    def matches(self) -> list[MatchInfo]:
        with self._guard() as conn:
            rows = conn.execute(
                "SELECT match_id, last_seq, last_clock, meta FROM streams ORDER BY match_id"
            ).fetchall()
        infos = []
        for match_id, last_seq, last_clock, meta in rows:
            teams = self._meta(match_id, meta)
            clock = None if last_clock is None else clock_of_number(last_clock)
            infos.append(MatchInfo(match_id, teams.get("home"), teams.get("away"), last_seq, clock))
        return infos

    # --- metadata -------------------------------------------------------------------------

    def _meta(self, match_id: str, data: bytes | None) -> dict[str, Any]:
        try:
            meta = {} if data is None else orjson.loads(data)
        except orjson.JSONDecodeError:
            meta = None
        if not isinstance(meta, dict):
            raise StoreError(
                f"the store {self.path} is damaged: the metadata of {match_id!r} is not a "
                "JSON object"
            )
        return meta

    def put_meta(self, match_id: str, meta: Mapping[str, Any]) -> None:
        data = orjson.dumps(dict(meta))
        with self._transaction() as conn:
            conn.execute(layout.UPSERT_META, (match_id, data))

    def update_meta(self, match_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        with self._transaction() as conn:
            data = self._merge_meta(conn, match_id, changes)
        result: dict[str, Any] = orjson.loads(data)
        return result

    def _merge_meta(
        self, conn: sqlite3.Connection, match_id: str, changes: Mapping[str, Any]
    ) -> bytes:
        """Merge ``changes`` into the match's metadata (in the transaction): the new JSON."""
        row = conn.execute("SELECT meta FROM streams WHERE match_id = ?", (match_id,)).fetchone()
        data = orjson.dumps({**self._meta(match_id, row[0] if row else None), **changes})
        conn.execute(layout.UPSERT_META, (match_id, data))
        return data

    def get_meta(self, match_id: str) -> dict[str, Any]:
        with self._guard() as conn:
            row = conn.execute(
                "SELECT meta FROM streams WHERE match_id = ?", (match_id,)
            ).fetchone()
        return self._meta(match_id, row[0] if row else None)

    # --- following ------------------------------------------------------------------------

    def subscribe(self, from_position: int = 1) -> AsyncIterator[EventBase]:
        """Catch up from ``from_position``, then poll the file every ``poll_interval`` s
        (which sees other processes' appends too)."""
        check_from("from_position", from_position)

        async def wait() -> None:
            await asyncio.sleep(self.poll_interval)

        return tail(self.read_all, wait, from_position)


def _select_in(
    conn: sqlite3.Connection, sql: str, values: Collection[str], *first: Any
) -> Iterator[Any]:
    """The rows of ``sql`` (ending in ``IN``, its parameters ``first``) for ``values``,
    ``layout.CHUNK`` values to a query."""
    listed = sorted(set(values))
    for start in range(0, len(listed), layout.CHUNK):
        chunk = listed[start : start + layout.CHUNK]
        yield from conn.execute(f"{sql} ({','.join('?' * len(chunk))})", (*first, *chunk))


def _exists(path: Path) -> bool:
    """Whether ``path`` exists; a folder on the way the user may not enter is a
    ``StoreError`` (``Path.exists`` raises ``PermissionError``)."""
    try:
        path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return False
    except PermissionError:
        raise StoreError(
            f"cannot read the store {path}: permission denied (a folder on its path cannot "
            "be entered)"
        ) from None
    except OSError as exc:
        raise StoreError(f"cannot read the store {path}: {exc.strerror or exc}") from None
    return True


def _writable(path: Path) -> bool:
    """Whether an append could write the file: the file and its folder (where SQLite makes
    the WAL and its shared-memory file) are writable."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
