"""``SqliteStore``: the embedded default, one SQLite file in WAL mode.

Layout: ``streams`` (one row per match: a small integer ``stream_id``, the last seq, the
latest clock, the metadata JSON) and ``events`` (``position`` is the INTEGER PRIMARY KEY;
UNIQUE(stream_id, seq) and UNIQUE(stream_id, event_id), i.e. per match; the event as the
orjson bytes of ``events.models.dumps``; triggers refuse UPDATE and DELETE).  Keying events
by the integer rather than the match id keeps index inserts at the end of the B-trees.
``PRAGMA application_id`` marks the file as a livetext store and ``PRAGMA user_version``
holds the schema version, both checked at open.

Every append is one ``BEGIN IMMEDIATE`` transaction, so writers in several threads or
processes take turns (waiting up to ``timeout`` seconds) and a crash leaves either the
whole batch or none of it.  ``synchronous=FULL`` (the default) makes an acknowledged append
survive a power cut too; ``NORMAL`` survives a killed process only, and is faster.

The write path is the hot one (``bench/ingest.py``).  An append is worked out (``_plan``)
then written (``_write``).  A batch opening a stream has its event ids, rows and JSON made
in one pass (the ids of ``stream.ids.event_ids``, worked out inline); an event's JSON is
written straight from its fields (:func:`numbered_json`, byte for byte ``dumps`` of the
numbered copy) and bound as a ``bytearray`` (``bytes`` go through the sqlite3 module's
adapter look-up); the copies themselves are only made if the result's ``recorded`` is
read (``stream.store.LazyAppendResult``); rows go in a few large ``INSERT OR ROLLBACK``
statements (no statement journal; see :func:`_insert_rows`); the streams' heads are
remembered from one append to the next while no other connection writes
(:class:`_KnownHeads`); big appends let the WAL grow ten times larger before a checkpoint
(``BULK_WAL_AUTOCHECKPOINT``).  ``append_each`` works an append out in the calling thread
while a writer thread writes and commits the one before (:class:`_Forecast`).
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import operator
import os
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, NamedTuple

import orjson
import pydantic

from events.clock import MatchClock
from events.identity import normalise_key
from events.models import EVENT_TYPES, EventBase, Score, dumps, loads
from stream.ids import ID_DIGEST, OccurrenceKey, clock_part_by_key, event_ids
from stream.memory import MemoryStore
from stream.pipeline import pipelined
from stream.store import (
    Append,
    AppendResult,
    BaseStore,
    Batch,
    ConcurrencyError,
    EventStore,
    LazyAppendResult,
    MatchInfo,
    StoreError,
    T,
    check_from,
    check_match_ids,
    clock_from_key,
    clock_key,
    collector_paused,
    numbered,
    set_lazy_state,
    with_id,
)
from stream.subscribe import tail

SCHEMA_VERSION = 1
APPLICATION_ID = 0x4C545854  # "LTXT"
WAL_AUTOCHECKPOINT = 1_000  # pages of WAL between automatic checkpoints (SQLite's default)
BULK_WAL_AUTOCHECKPOINT = 10_000  # the same while big appends (BULK_EVENTS or more) run
BULK_EVENTS = 256
_new_object = object.__new__
_NO_IDS = itertools.repeat("")  # a new stream's ids: to be worked out
_EVENT_ID = operator.attrgetter("event_id")

_SCHEMA = (
    """CREATE TABLE streams (
        stream_id  INTEGER PRIMARY KEY,
        match_id   TEXT NOT NULL UNIQUE,
        last_seq   INTEGER NOT NULL DEFAULT 0,
        last_clock INTEGER,              -- stream.store.clock_key of the latest clock
        meta       BLOB                  -- JSON object
    )""",
    """CREATE TABLE events (
        position INTEGER PRIMARY KEY,    -- global, 1.., in commit order
        stream_id INTEGER NOT NULL REFERENCES streams (stream_id),
        seq      INTEGER NOT NULL CHECK (seq >= 1),
        event_id TEXT NOT NULL,
        type     TEXT NOT NULL,
        clock    INTEGER,                -- stream.store.clock_key, NULL without a clock
        data     BLOB NOT NULL,          -- events.models.dumps(event)
        UNIQUE (stream_id, seq),
        UNIQUE (stream_id, event_id)
    )""",
    """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'livetext events are append-only'); END""",
    """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'livetext events are append-only'); END""",
)

# OR ROLLBACK: a row the constraints refuse rolls the whole transaction back (as the append
# does with any error), so SQLite keeps no statement journal to undo a statement of many
# rows alone (the random pages of the streams' match_id index made it spill to a temporary
# file, page by page, on every bulk append).  A stream is inserted when new, else updated
# (an upsert journals whatever its conflict clause).
_INSERT = (
    "INSERT OR ROLLBACK INTO events (position, stream_id, seq, event_id, type, clock, data)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_STREAM = (
    "INSERT OR ROLLBACK INTO streams (stream_id, match_id, last_seq, last_clock)"
    " VALUES (?, ?, ?, ?)"
)
_UPDATE_STREAM = "UPDATE OR ROLLBACK streams SET last_seq = ?, last_clock = ? WHERE stream_id = ?"
_COLUMNS = 7  # of an event's row
_STREAM_COLUMNS = 4  # of a stream's row in _INSERT_STREAM
# An append inserts its rows many to a statement (``_insert_rows``): SQLite does less per
# row than with one row per statement, and hands the GIL back less often.
_MOST_ROWS = 1024  # 7,168 variables, within SQLite's default limit since 3.32 (32,766)
_ROWS_STEP = 64
_CACHED_STATEMENTS = 512
_CHUNK = 500  # host parameters per IN (...) query
_READ_TO_CLOCK = """
SELECT position, data FROM events
WHERE stream_id = (SELECT stream_id FROM streams WHERE match_id = :match) AND seq >= :seq AND (
    clock <= :clock
    OR (clock IS NULL AND seq < coalesce(
        (SELECT min(seq) FROM events WHERE clock > :clock
         AND stream_id = (SELECT stream_id FROM streams WHERE match_id = :match)), :seq_max)))
ORDER BY seq
"""


def default_store_path() -> Path:
    """``$LIVETEXT_DATA/livetext.sqlite``, else ``$XDG_DATA_HOME/livetext/livetext.sqlite``
    (``~/.local/share/livetext/livetext.sqlite`` when XDG_DATA_HOME is unset)."""
    if data := os.environ.get("LIVETEXT_DATA"):
        return Path(data).expanduser() / "livetext.sqlite"
    xdg = os.environ.get("XDG_DATA_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".local" / "share"
    return base / "livetext" / "livetext.sqlite"


def open_store(path: str | os.PathLike[str] | None = None, *, create: bool = True) -> EventStore:
    """The store at ``path``: ``None`` is :func:`default_store_path`, ``":memory:"`` a fresh
    :class:`MemoryStore`, anything else a :class:`SqliteStore`.  With ``create=False`` a
    missing file is a ``StoreError`` instead of a new, empty store."""
    if path is not None and os.fspath(path) == ":memory:":
        return MemoryStore()
    return SqliteStore(default_store_path() if path is None else path, create=create)


class SqliteStore(BaseStore):
    """The event store in one SQLite file.  One connection, shared by threads under a lock;
    open one store per process (or several on the same file: SQLite arbitrates)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        timeout: float = 10.0,
        synchronous: Literal["FULL", "NORMAL"] = "FULL",
        poll_interval: float = 0.05,
    ) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.poll_interval = poll_interval
        self._lock = threading.RLock()
        self._heads = _KnownHeads()
        self._checkpoint_every = 0  # the connection's wal_autocheckpoint
        if not self.path.exists():
            if not create:
                raise StoreError(f"no livetext store at {self.path}")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the store {self.path}: {exc}") from None
        try:
            self._conn = sqlite3.connect(
                self.path,
                timeout=timeout,
                isolation_level=None,
                check_same_thread=False,
                cached_statements=_CACHED_STATEMENTS,
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from None
        try:
            with self._guard():
                self._open(synchronous)
        except BaseException:
            self._conn.close()
            raise

    def __repr__(self) -> str:
        return f"SqliteStore({str(self.path)!r})"

    # --- opening --------------------------------------------------------------------------

    def _open(self, synchronous: str) -> None:
        """Check the file is a livetext store of this schema (making an empty file one)."""
        try:
            app_id, version, tables = self._inspect()
        except sqlite3.DatabaseError:
            raise StoreError(
                f"{self.path} is not a livetext store (not an SQLite database)"
            ) from None
        if (app_id, version, tables) == (0, 0, set()):
            self._use_wal()
            with self._transaction() as conn:
                if self._inspect() == (0, 0, set()):  # nobody initialised it meanwhile
                    for statement in _SCHEMA:
                        conn.execute(statement)
                    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            app_id, version, tables = self._inspect()
        if app_id != APPLICATION_ID:
            raise StoreError(
                f"{self.path} is an SQLite database of another application, not a livetext store"
            )
        if version != SCHEMA_VERSION:
            newer = "a newer" if version > SCHEMA_VERSION else "an older"
            raise StoreError(
                f"{self.path} holds store schema {version}, written by {newer} livetext; "
                f"this one reads schema {SCHEMA_VERSION}"
            )
        if not {"events", "streams"} <= tables:
            raise StoreError(f"{self.path} is a damaged livetext store: tables are missing")
        self._use_wal()
        self._conn.execute(f"PRAGMA synchronous = {synchronous}")
        self._checkpoint_pages(WAL_AUTOCHECKPOINT)

    def _checkpoint_pages(self, pages: int) -> None:
        """Let the WAL grow to ``pages`` before a commit checkpoints it.  A bulk ingest
        (some 2-3 MB of pages a transaction) is spared a checkpoint every other commit by a
        larger WAL; small appends keep SQLite's default, as an fsync of a WAL that has to
        grow costs more than one that is reused."""
        if pages != self._checkpoint_every:
            self._conn.execute(f"PRAGMA wal_autocheckpoint = {pages}")
            self._checkpoint_every = pages

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
        with _read_snapshot(conn):
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            tables = {r[0] for r in rows}
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
                raise StoreError(f"the store {self.path}: {exc}") from None
            except sqlite3.ProgrammingError as exc:
                raise StoreError(f"the store {self.path}: {exc}") from None
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"the store {self.path} is damaged: {exc}") from None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: ``BEGIN IMMEDIATE`` takes the write lock up front."""
        with self._guard() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _decode(self, position: int, data: bytes) -> EventBase:
        try:
            return loads(data)
        except (pydantic.ValidationError, orjson.JSONDecodeError) as exc:
            raise StoreError(
                f"the store {self.path} is damaged: the event at position {position} does "
                f"not read back ({exc.__class__.__name__})"
            ) from None

    def _rows(self, sql: str, params: Sequence[Any] | Mapping[str, Any]) -> list[EventBase]:
        with collector_paused():
            with self._guard() as conn:
                rows = conn.execute(sql, params).fetchall()
            return [self._decode(position, data) for position, data in rows]

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # --- writing --------------------------------------------------------------------------

    def append_many(self, batches: Sequence[Batch]) -> list[AppendResult]:
        with self._lock:  # until the cache of stream heads has learnt what this append did
            with self._transaction() as conn:
                plan = self._plan_here(conn, batches)
                self._write(conn, plan)
            self._heads.committed(plan)
        return plan.results

    def append_each(self, appends: Iterable[Append[T]]) -> Iterator[tuple[T, list[AppendResult]]]:
        """Each append in a transaction of its own, worked out (ids, rows, JSON) in the
        calling thread while a writer thread commits the one before (``stream.pipeline``).
        An append is worked out ahead against what this process knows the file will hold
        (:class:`_Forecast`), and checked when written: if another connection wrote
        meanwhile it is worked out again in its transaction, as ``append_many`` does."""
        forecast = _Forecast(self)

        def write(append: Append[T], plan: _Plan | None) -> list[AppendResult]:
            ok = False
            try:
                results = self._commit(append, plan, forecast)
                ok = True
            finally:
                forecast.written(ok)
            return results

        for append, results in pipelined(appends, forecast.plan, write):
            yield append.tag, results

    def _commit(
        self, append: Append[Any], plan: _Plan | None, forecast: _Forecast
    ) -> list[AppendResult]:
        """Write an append of :meth:`append_each` (its ``plan``, if it still holds) and its
        metadata in one transaction."""
        with self._lock:
            with self._transaction() as conn:
                batches = append.batches
                heads = self._heads
                if plan is None or not heads.holds(conn, plan.base):
                    plan = self._plan_here(conn, batches)
                    if plan.written:
                        forecast.stale = True
                self._write(conn, plan)
                for match_id, changes in append.meta.items():
                    if self._merge_meta(conn, match_id, changes)[1]:
                        forecast.stale = True
            heads.committed(plan)
        return plan.results

    def _plan_here(self, conn: sqlite3.Connection, batches: Sequence[Batch]) -> _Plan:
        """The batches worked out in the transaction, from the heads the file holds."""
        return self._plan(conn, batches, *self._heads.lookup(conn, _match_ids(batches)))

    def _plan(
        self,
        conn: sqlite3.Connection | None,
        batches: Sequence[Batch],
        heads: dict[str, _Head],
        position: int,
        stream_ids: int,
    ) -> _Plan:
        """Work the batches out: their results and the rows to write, from the ``heads``
        of their matches (``(stream_id, last seq, last clock key)``, the new ones absent),
        the last ``position`` and the highest stream id.  Without ``conn`` (worked out
        ahead, :class:`_Forecast`) no batch may continue a stream.

        A batch opening a stream (the bulk of an ingest) is done in one pass: each event's
        id, its row and its JSON as it comes (the ids of ``stream.ids.event_ids``: a new
        stream has no occurrences of its own to count).  A batch continuing a stream first
        numbers its ids against the stream and drops the ids it holds.  An event of another
        match raises ``ValueError`` (``check_match_ids``), which rolls the whole append back.
        What is done once per batch is kept short: an ingest of many small matches makes
        one batch per match.
        """
        base = (position, stream_ids)
        results: list[AppendResult] = []
        looked_up = dict(heads)  # heads: advanced as the batches go
        written: dict[str, _Head] = {}
        rows: list[Any] = []  # the events' columns, one event after the other
        add_row = rows.extend
        new_streams: list[Any] = []  # the streams' columns, likewise
        add_stream = new_streams.extend
        updated: list[tuple[int, int | None, int]] = []  # last_seq, last_clock, stream_id
        plain = _PLAIN_FIELDS
        to_json = orjson.dumps
        clocks = _CLOCKS
        new_digest = ID_DIGEST
        new_result = _new_object
        lazy = LazyAppendResult
        as_blob = bytearray
        for match_id, events, expected_seq, whole_source in batches:
            if not match_id:
                raise ValueError("match_id must be a non-empty string")
            head = heads.get(match_id)
            if head is None:  # a new stream (its id given back below if it records nothing)
                stream_id = stream_ids = stream_ids + 1
                last_seq = 0
                last_clock = None
            else:
                stream_id, last_seq, last_clock = head
            if expected_seq is not None and expected_seq != last_seq:
                raise ConcurrencyError(match_id, expected_seq, last_seq)
            duplicates: tuple[EventBase, ...] = ()
            ids: list[str]
            if last_seq:  # the ids first, numbered against the stream; its own ones dropped
                if conn is None:
                    raise ValueError(f"{match_id!r} continues a stream: it needs the file")
                check_match_ids([Batch(match_id, events)])
                if rows and match_id in written:  # the queries must see this match's rows
                    _insert_rows(conn, _INSERT, _COLUMNS, rows)
                    rows.clear()
                counts = None
                if not whole_source and not all(e.event_id for e in events):
                    counts = self._occurrences(conn, stream_id)
                ids = event_ids(match_id, events, counts)
                known = self._known_ids(conn, stream_id, ids)
                if known or (len(ids) > 1 and len(set(ids)) != len(ids)):
                    events, ids, duplicates = _without_duplicates(events, ids, known)
                given: Iterable[str] = ids
            else:  # a new stream: the ids as the rows are made (below)
                ids = []
                given = _NO_IDS
            # a new stream's occurrences (none for a lone line, nor when every event comes
            # with its id, as a reader's do), the ids it has seen (once an event came with
            # its own: the computed ones differ from one another), and its duplicates
            # (index, id)
            occurrences: dict[OccurrenceKey, int] | None = None
            seen: set[str] | None = None
            if len(events) > 1:
                if all(map(_EVENT_ID, events)):
                    seen = set()
                else:
                    occurrences = {}
            skipped: list[tuple[int, str]] | None = None
            seq = last_seq
            first_position = position
            for event, eid in zip(events, given):  # noqa: B905 (given is as long, or endless)
                fields = event.__dict__
                clock = fields["clock"]
                if clock is None:
                    key = None
                    part = ""
                else:  # clock_key, inlined; the clock's id part and JSON, remembered
                    c = clock.__dict__
                    second = c["second"]
                    key = ((c["period"] * 256 + c["minute"]) * 64 + c["added"]) * 64 + (
                        0 if second is None else second + 1
                    )
                    part, clock_json = clocks.get(key) or _clock_parts(key, c)
                if not eid:  # a new stream's: event_ids and check_match_ids, inlined
                    other = fields["match_id"]
                    if other and other != match_id:
                        check_match_ids([Batch(match_id, [event])])
                    eid = fields["event_id"]
                    if eid and occurrences is not None and seen is None:
                        seen = set(ids)
                    if not eid or occurrences is not None:
                        text = fields["text"]
                        # normalise_key; a line whose only white space is single spaces
                        # inside it (str.split splits on the unprintable and " ") is folded
                        # already
                        if (
                            text.isprintable()
                            and "  " not in text
                            and text[:1] != " "
                            and text[-1:] != " "
                        ):
                            text = text.casefold()
                        else:
                            text = " ".join(text.split()).casefold()
                        occurrence = 0
                        if occurrences is not None:
                            occurrence = occurrences.get((text, key), 0)
                            occurrences[text, key] = occurrence + 1
                        if not eid:  # events.identity.stable_id, inlined
                            digest = new_digest()
                            digest.update(
                                f"{match_id}\x1f{text}\x1f{part}\x1f{occurrence}".encode()
                            )
                            eid = digest.hexdigest()
                    if seen is not None:
                        if eid in seen:
                            if skipped is None:
                                skipped = []
                            skipped.append((seq - last_seq + len(skipped), eid))
                            continue
                        seen.add(eid)
                    ids.append(eid)
                if key is not None and (last_clock is None or key > last_clock):
                    last_clock = key
                seq += 1
                position += 1
                # numbered_json, inlined
                if type(event) in plain:
                    numbered_fields = fields.copy()
                    numbered_fields["match_id"] = match_id
                    numbered_fields["seq"] = seq
                    numbered_fields["position"] = position
                    numbered_fields["event_id"] = eid
                    if clock is not None:
                        numbered_fields["clock"] = clock_json
                    try:
                        data = to_json(numbered_fields, default=_nested)
                    except orjson.JSONEncodeError:
                        data = numbered_json(event, match_id, seq, position, eid)
                else:
                    data = numbered_json(event, match_id, seq, position, eid)
                # bound as a bytearray: the sqlite3 module binds bytes through its adapter
                # look-up (a failed attribute look-up, an exception made and dropped, per
                # value), a bytearray as it is; the column holds the same blob
                add_row((position, stream_id, seq, eid, fields["type"], key, as_blob(data)))
            if skipped:
                events, duplicates = _split(events, skipped)
            # LazyAppendResult.numbering, inlined
            result = new_result(lazy)
            set_lazy_state(result, (match_id, tuple(events), duplicates, seq, ids, first_position))
            results.append(result)
            if seq != last_seq:
                heads[match_id] = written[match_id] = (stream_id, seq, last_clock)
                if head is None:
                    add_stream((stream_id, match_id, seq, last_clock))
                else:
                    updated.append((seq, last_clock, stream_id))
            elif head is None:
                stream_ids -= 1
        return _Plan(
            results, rows, new_streams, updated, looked_up, written, base, (position, stream_ids)
        )

    def _write(self, conn: sqlite3.Connection, plan: _Plan) -> None:
        """Insert a plan's rows (in the transaction)."""
        _insert_rows(conn, _INSERT, _COLUMNS, plan.rows)
        _insert_rows(conn, _INSERT_STREAM, _STREAM_COLUMNS, plan.new_streams)
        # after the inserts: a stream new to this append and continued by a later batch
        # of it is in both
        conn.executemany(_UPDATE_STREAM, plan.updated)
        # a bulk append lets the WAL grow before the commit checkpoints it
        bulk = plan.tip[0] - plan.base[0] >= BULK_EVENTS
        self._checkpoint_pages(BULK_WAL_AUTOCHECKPOINT if bulk else WAL_AUTOCHECKPOINT)

    @staticmethod
    def _known_ids(conn: sqlite3.Connection, stream_id: int, ids: Sequence[str]) -> set[str]:
        known: set[str] = set()
        for chunk in _chunks(sorted(set(ids))):
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT event_id FROM events WHERE stream_id = ? AND event_id IN ({marks})"
            known.update(r[0] for r in conn.execute(sql, (stream_id, *chunk)))
        return known

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
        if to_clock is None:
            return self._rows(
                "SELECT position, data FROM events WHERE seq >= ?"
                " AND stream_id = (SELECT stream_id FROM streams WHERE match_id = ?) ORDER BY seq",
                (from_seq, match_id),
            )
        return self._rows(
            _READ_TO_CLOCK,
            {"match": match_id, "seq": from_seq, "clock": clock_key(to_clock), "seq_max": 1 << 62},
        )

    def read_all(self, from_position: int = 1, limit: int | None = None) -> list[EventBase]:
        check_from("from_position", from_position)
        return self._rows(
            "SELECT position, data FROM events WHERE position >= ? ORDER BY position LIMIT ?",
            (from_position, -1 if limit is None else limit),
        )

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
            clock = None if last_clock is None else clock_from_key(last_clock)
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
            self._heads.forget()  # a new match gets a stream row
            conn.execute(
                "INSERT INTO streams (match_id, meta) VALUES (?, ?)"
                " ON CONFLICT (match_id) DO UPDATE SET meta = excluded.meta",
                (match_id, data),
            )

    def update_meta(self, match_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        with self._transaction() as conn:
            data, _ = self._merge_meta(conn, match_id, changes)
        result: dict[str, Any] = orjson.loads(data)
        return result

    def _merge_meta(
        self, conn: sqlite3.Connection, match_id: str, changes: Mapping[str, Any]
    ) -> tuple[bytes, bool]:
        """Merge ``changes`` into the match's metadata (in the transaction): the new JSON,
        and whether the match is new to the file (it gets a stream row: the known heads are
        forgotten)."""
        row = conn.execute("SELECT meta FROM streams WHERE match_id = ?", (match_id,)).fetchone()
        merged = {**self._meta(match_id, row[0] if row else None), **changes}
        data = orjson.dumps(merged)
        conn.execute(
            "INSERT INTO streams (match_id, meta) VALUES (?, ?)"
            " ON CONFLICT (match_id) DO UPDATE SET meta = excluded.meta",
            (match_id, data),
        )
        if row is None:
            self._heads.forget()
        return data, row is None

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


_Head = tuple[int, int, int | None]
"""A stream's ``(stream_id, last_seq, last_clock)`` in ``streams``."""
_MAX_KNOWN_HEADS = 1 << 17  # streams a store remembers (some 20 MB) before starting afresh


class _KnownHeads:
    """What a store's appends learnt of ``streams`` (and the highest position and stream
    id), good for as long as no other connection writes to the file.

    SQLite's ``PRAGMA data_version`` changes when another connection commits, never for the
    connection's own commits: an append reads it inside its write transaction and, when it
    has not moved since the last append, takes the heads it knows from here instead of
    querying them (all of them once it has seen ``streams`` empty: then a match it does not
    know is a new one).  Anything else this connection writes to ``streams``
    (``put_meta``, ``update_meta``) calls :meth:`forget`.  Used under the store's lock.
    """

    __slots__ = ("complete", "heads", "tip", "version")

    def __init__(self) -> None:
        self.version: int | None = None
        self.heads: dict[str, _Head] = {}
        self.complete = False  # heads holds every stream of the file
        self.tip: tuple[int, int] | None = None  # max(position), max(stream_id)

    def forget(self) -> None:
        self.version = None

    def lookup(
        self, conn: sqlite3.Connection, match_ids: set[str]
    ) -> tuple[dict[str, _Head], int, int]:
        """The heads of the matches the file has, the highest position and stream id."""
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self.version:
            self.version = version
            self.heads = {}
            self.complete = False
            self.tip = None
        known = self.heads
        heads = {m: known[m] for m in match_ids if m in known}
        if not self.complete and len(heads) < len(match_ids):
            for chunk in _chunks(sorted(m for m in match_ids if m not in known)):
                marks = ",".join("?" * len(chunk))
                sql = (
                    "SELECT match_id, stream_id, last_seq, last_clock FROM streams"
                    f" WHERE match_id IN ({marks})"
                )
                for match_id, stream_id, last_seq, last_clock in conn.execute(sql, chunk):
                    heads[match_id] = (stream_id, last_seq, last_clock)
        if self.tip is None:
            self.tip = _tip(conn)
            self.complete = self.tip[1] == 0 and not known  # no stream yet
        return heads, self.tip[0], self.tip[1]

    def committed(self, plan: _Plan) -> None:
        """Learn what an append found and wrote (and its last position and stream id),
        once its transaction has committed."""
        if self.version is None or self.tip is None:  # forgotten meanwhile
            return
        self.heads.update(plan.looked_up)
        self.heads.update(plan.written)
        self.tip = plan.tip
        if len(self.heads) > _MAX_KNOWN_HEADS:  # bounded memory: the rest will be queried
            self.heads = {}
            self.complete = False

    def holds(self, conn: sqlite3.Connection, base: tuple[int, int]) -> bool:
        """Whether the file (in the transaction) is still what this connection last knew,
        its last position and stream id ``base``."""
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        return version == self.version and self.tip == base

    def everything(
        self, conn: sqlite3.Connection
    ) -> tuple[dict[str, _Head], tuple[int, int]] | None:
        """Every stream's head and the last position and stream id, read in one snapshot
        (and learnt); ``None`` when the file has more streams than are remembered."""
        with _read_snapshot(conn):
            version = conn.execute("PRAGMA data_version").fetchone()[0]
            if version != self.version or not self.complete:
                (count,) = conn.execute("SELECT count(*) FROM streams").fetchone()
                if count > _MAX_KNOWN_HEADS:
                    return None
                self.version, self.tip = version, None
                self.heads = {
                    match_id: (stream_id, last_seq, last_clock)
                    for match_id, stream_id, last_seq, last_clock in conn.execute(
                        "SELECT match_id, stream_id, last_seq, last_clock FROM streams"
                    )
                }
                self.complete = True
                self.tip = _tip(conn)
            assert self.tip is not None
            return dict(self.heads), self.tip


class _Plan(NamedTuple):
    """An append worked out: what it gives back and what it writes."""

    results: list[AppendResult]
    rows: list[Any]  # the events' columns, one event after the other
    new_streams: list[Any]  # the new streams' columns, likewise
    updated: list[tuple[int, int | None, int]]  # last_seq, last_clock, stream_id
    looked_up: dict[str, _Head]  # the heads of its matches before it
    written: dict[str, _Head]  # and after, for the streams it wrote to
    base: tuple[int, int]  # the last position and stream id before it
    tip: tuple[int, int]  # and after


class _Forecast:
    """What the file will hold once the appends handed to the writer have committed, as
    far as this process knows (:meth:`SqliteStore.append_each`).

    An append worked out against it (:meth:`plan`, in the calling thread) needs no query,
    so it can be worked out while the one before commits: one that opens new streams only
    (an ingest of new matches); any other is left to the writer.  The writer checks each
    plan (``_KnownHeads.holds``) and works out afresh one that no longer holds (another
    connection wrote, or an append left to it wrote).  The forecast is then ``stale`` and
    is read again once the writer has caught up.
    """

    def __init__(self, store: SqliteStore) -> None:
        self.store = store
        self.stale = True  # read at the first plan
        self.failed = False  # the writer failed: nothing more will be written
        self.usable = True  # False once there are more streams than are remembered
        self.heads: dict[str, _Head] = {}
        self.tip = (0, 0)
        self._handed = 0  # appends planned and not yet written
        self._caught_up = threading.Condition()

    def plan(self, append: Append[Any]) -> _Plan | None:
        """The append worked out ahead, or ``None`` when it is left to the writer: it
        continues a stream (whose ids are checked against the file), names a match twice,
        or gives an ``expected_seq`` (checked against the file, not a forecast)."""
        if self.stale:
            self._read()
        batches = append.batches
        match_ids = _match_ids(batches)
        if (
            not self.usable
            or len(match_ids) < len(batches)
            or any(batch.expected_seq is not None for batch in batches)
        ):
            return self._handing(None)
        heads = {}
        for match_id in match_ids:
            head = self.heads.get(match_id)
            if head is not None:
                if head[1]:
                    return self._handing(None)
                heads[match_id] = head  # a stream row without events (metadata only)
        plan = self.store._plan(None, batches, heads, *self.tip)
        self.heads.update(plan.written)
        self.tip = plan.tip
        self.usable = len(self.heads) <= _MAX_KNOWN_HEADS
        return self._handing(plan)

    def written(self, ok: bool) -> None:
        """The writer is done with an append (``ok``: committed)."""
        with self._caught_up:
            self._handed -= 1
            self.failed = self.failed or not ok
            self._caught_up.notify_all()

    def _handing(self, plan: _Plan | None) -> _Plan | None:
        with self._caught_up:
            self._handed += 1
        return plan

    def _read(self) -> None:
        with self._caught_up:
            self._caught_up.wait_for(lambda: self._handed == 0 or self.failed)
        self.stale = False
        with self.store._guard() as conn:
            known = self.store._heads.everything(conn)
        if known is None:
            self.usable = False
        else:
            self.heads, self.tip = known


def _tip(conn: sqlite3.Connection) -> tuple[int, int]:
    """The file's last position and highest stream id."""
    (position,) = conn.execute("SELECT coalesce(max(position), 0) FROM events").fetchone()
    (stream_id,) = conn.execute("SELECT coalesce(max(stream_id), 0) FROM streams").fetchone()
    return position, stream_id


@contextmanager
def _read_snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """Reads in one snapshot: inside a read transaction of their own unless one is open."""
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        yield
    finally:
        if own and conn.in_transaction:
            conn.execute("ROLLBACK")


def _match_ids(batches: Sequence[Batch]) -> set[str]:
    return {batch.match_id for batch in batches}


def _without_duplicates(
    events: Sequence[EventBase], ids: Sequence[str], known: AbstractSet[str]
) -> tuple[list[EventBase], list[str], tuple[EventBase, ...]]:
    """The events to record and their ids, and the duplicates: events whose id the stream
    holds (``known``) or an earlier event of the batch has (reported with that id)."""
    new_events: list[EventBase] = []
    new_ids: list[str] = []
    duplicates: list[EventBase] = []
    seen: set[str] = set()
    for event, eid in zip(events, ids, strict=True):
        if eid in known or eid in seen:
            duplicates.append(event if event.event_id == eid else with_id(event, eid))
        else:
            seen.add(eid)
            new_events.append(event)
            new_ids.append(eid)
    return new_events, new_ids, tuple(duplicates)


def _split(
    events: Sequence[EventBase], skipped: list[tuple[int, str]]
) -> tuple[list[EventBase], tuple[EventBase, ...]]:
    """The events but those at the ``skipped`` indexes, and those as duplicates (with the
    id each was given)."""
    dropped = dict(skipped)
    kept = [event for index, event in enumerate(events) if index not in dropped]
    duplicates = tuple(
        event if event.event_id == eid else with_id(event, eid)
        for event, eid in ((events[index], eid) for index, eid in skipped)
    )
    return kept, duplicates


def _insert_rows(conn: sqlite3.Connection, insert: str, width: int, values: list[Any]) -> None:
    """Run ``insert`` (an ``INSERT ... VALUES (?, ...)`` of ``width`` columns) for rows
    given one after the other in ``values``: ``_MOST_ROWS`` rows to a statement, the rest
    in one statement of a multiple of ``_ROWS_STEP`` rows and one of fewer.  Few
    statements, as each is a call that hands the GIL back and forth (``stream.pipeline``),
    and few distinct ones, as each is compiled once (SQLite takes ~1 µs a row to compile
    an insert; the connection caches ``_CACHED_STATEMENTS``)."""
    rows = len(values) // width
    full = rows - rows % _MOST_ROWS
    size = width * _MOST_ROWS
    if full:
        conn.executemany(
            _many_rows(insert, width, _MOST_ROWS),
            [values[i : i + size] for i in range(0, full * width, size)],
        )
    rest = rows - full
    for count in (rest - rest % _ROWS_STEP, rest % _ROWS_STEP):
        if count:
            start = full * width
            conn.execute(_many_rows(insert, width, count), values[start : start + count * width])
            full += count


@functools.cache
def _many_rows(insert: str, width: int, rows: int) -> str:
    """``insert`` with ``rows`` rows of values."""
    one = "(" + ", ".join("?" * width) + ")"
    head, values, tail = insert.partition(one)
    if not values:
        raise ValueError(f"not an insert of {width} values: {insert!r}")
    return head + ", ".join([one] * rows) + tail


# --- the events' JSON ---------------------------------------------------------------------

_PLAIN_FIELDS = frozenset(EVENT_TYPES.values())
"""The event classes whose JSON :func:`numbered_json` writes itself: their fields are of
JSON types, a clock and scores (``tests/stream/test_numbering.py`` holds every one of them
to ``dumps``)."""


def _nested(value: Any) -> Any:
    if isinstance(value, MatchClock | Score):
        return value.__dict__
    raise TypeError(f"{type(value).__name__} is not JSON")


_CLOCKS: dict[int, tuple[str, Any]] = {}
"""By ``clock_key``: the clock's part of an event id and its JSON (an ``orjson.Fragment``,
written as it is)."""
_MAX_CLOCKS = 1 << 16
_CLOCK_FIELDS = ("period", "minute", "added", "second")


def _clock_parts(key: int, clock: dict[str, Any]) -> tuple[str, Any]:
    """What ``_CLOCKS`` holds for a clock (its ``__dict__``) of that key; remembered when
    the key says all there is to the clock (its four fields)."""
    part = clock_part_by_key(key, clock)
    if tuple(clock) != _CLOCK_FIELDS:
        return part, clock
    if len(_CLOCKS) >= _MAX_CLOCKS:
        _CLOCKS.clear()
    parts = _CLOCKS[key] = (part, orjson.Fragment(orjson.dumps(clock)))
    return parts


def numbered_json(event: EventBase, match_id: str, seq: int, position: int, eid: str) -> bytes:
    """``events.models.dumps(stream.store.numbered(event, match_id, seq, position, eid))``,
    byte for byte, without making the copy: for the event classes of ``events.models``,
    orjson writes the numbered fields (in field order, the nested clock and scores as
    objects) several times faster than pydantic's serialiser; other classes, and anything
    orjson refuses, go the long way."""
    if type(event) in _PLAIN_FIELDS:
        fields = event.__dict__.copy()
        fields["match_id"] = match_id
        fields["seq"] = seq
        fields["position"] = position
        fields["event_id"] = eid
        clock = fields["clock"]
        if clock is not None:
            fields["clock"] = clock.__dict__  # saves orjson a call back for the commonest
        try:
            return orjson.dumps(fields, default=_nested)
        except orjson.JSONEncodeError:
            pass  # let pydantic's serialiser say what is wrong
    return dumps(numbered(event, match_id, seq, position, eid))


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]
