"""The layout of a ``SqliteStore`` file, and the statements the store runs on it.

``streams``: one row per match (a small integer ``stream_id``, the last seq, the latest
clock, the metadata JSON).  ``events``: ``position`` is the INTEGER PRIMARY KEY;
UNIQUE(stream_id, seq) and UNIQUE(stream_id, event_id), i.e. per match; the event's JSON
without the columns (``stream.record``); triggers refuse UPDATE and DELETE.  Keying
events by the stream's integer keeps index inserts at the end of the B-trees.  Schema 1
held the columns in the JSON too; it reads as it is.
"""

SCHEMA_VERSION = 2
READABLE_SCHEMAS = (1, 2)
APPLICATION_ID = 0x4C545854  # "LTXT"
CHUNK = 500  # host parameters per IN (...) query

SCHEMA = (
    """CREATE TABLE streams (
        stream_id  INTEGER PRIMARY KEY,
        match_id   TEXT NOT NULL UNIQUE,
        last_seq   INTEGER NOT NULL DEFAULT 0,
        last_clock INTEGER,              -- events.clock.key_number of the latest clock
        meta       BLOB                  -- JSON object
    )""",
    """CREATE TABLE events (
        position INTEGER PRIMARY KEY,    -- global, 1.., in commit order
        stream_id INTEGER NOT NULL REFERENCES streams (stream_id),
        seq      INTEGER NOT NULL CHECK (seq >= 1),
        event_id TEXT NOT NULL,
        type     TEXT NOT NULL,
        clock    INTEGER,                -- events.clock.key_number, NULL without a clock
        data     BLOB NOT NULL,          -- stream.record.event_json(event)
        UNIQUE (stream_id, seq),
        UNIQUE (stream_id, event_id)
    )""",
    """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'livetext events are append-only'); END""",
    """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'livetext events are append-only'); END""",
)
INSERT = (
    "INSERT INTO events (position, stream_id, seq, event_id, type, clock, data)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
UPSERT_STREAM = (
    "INSERT INTO streams (stream_id, match_id, last_seq, last_clock) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (stream_id) DO UPDATE"
    " SET last_seq = excluded.last_seq, last_clock = excluded.last_clock"
)
UPSERT_META = (
    "INSERT INTO streams (match_id, meta) VALUES (?, ?)"
    " ON CONFLICT (match_id) DO UPDATE SET meta = excluded.meta"
)
# Reads select (position, match id, seq, event id, data); a match's own read names the
# match itself rather than joining ``streams`` for every row.
STREAM_OF = "(SELECT stream_id FROM streams WHERE match_id = :match)"
READ = f"""SELECT position, :match, seq, event_id, data FROM events
WHERE stream_id = {STREAM_OF} AND seq >= :seq"""
READ_ALL = """SELECT e.position, s.match_id, e.seq, e.event_id, e.data
FROM events e JOIN streams s USING (stream_id)
WHERE e.position >= ? ORDER BY e.position LIMIT ?"""
READ_TO_CLOCK = f"""{READ} AND (
    clock <= :clock
    OR (clock IS NULL AND seq < coalesce(
        (SELECT min(seq) FROM events WHERE clock > :clock AND stream_id = {STREAM_OF}),
        :seq_max)))"""
