"""The store contract against ``SqliteStore``, and what only a file can get wrong."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from stream.memory import MemoryStore
from stream.numbering import Head
from stream.sqlite import SqliteStore, default_store_path, open_store
from stream.sqlite_schema import SCHEMA_VERSION
from stream.store import Batch, ConcurrencyError, EventStore, StoreError
from tests.stream.contract import StoreContract, clock, line, lines


class TestSqliteStore(StoreContract):
    def create_store(self, tmp_path: Path) -> EventStore:
        return SqliteStore(tmp_path / "store.sqlite")

    def open_again(self, store: EventStore, tmp_path: Path) -> EventStore:
        return SqliteStore(tmp_path / "store.sqlite")


class TestSqliteFile:
    def test_events_and_metadata_survive_reopening(self, tmp_path: Path) -> None:
        path = tmp_path / "store.sqlite"
        with SqliteStore(path) as store:
            recorded = store.append("m", [line("a", "1"), line("b")]).recorded
            store.set_match_info("m", "Inter", "Milan")
        with SqliteStore(path, create=False) as store:
            assert store.read("m") == list(recorded)
            assert store.matches()[0].last_clock == clock("1")
            assert store.get_meta("m") == {"home": "Inter", "away": "Milan"}
            assert store.append("m", list(recorded)).recorded == ()

    def test_file_is_wal_with_the_declared_constraints(self, tmp_path: Path) -> None:
        path = tmp_path / "store.sqlite"
        SqliteStore(path).append("m", lines(2))
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        stream_id, existing_id = conn.execute(
            "SELECT stream_id, event_id FROM events WHERE seq = 2"
        ).fetchone()
        insert = (
            "INSERT INTO events (stream_id, seq, event_id, type, clock, data)"
            " VALUES (?, ?, ?, 'unrecognised', NULL, x'7b7d')"
        )
        with pytest.raises(sqlite3.IntegrityError, match="seq"):
            conn.execute(insert, (stream_id, 1, "another-id"))
        with pytest.raises(sqlite3.IntegrityError, match="event_id"):
            conn.execute(insert, (stream_id, 3, existing_id))
        conn.execute(insert, (stream_id + 1, 1, existing_id))  # per match, not global
        for statement in ("UPDATE events SET type = 'goal'", "DELETE FROM events"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(statement)
        conn.close()

    def test_a_text_file_is_refused_by_name(self, tmp_path: Path) -> None:
        path = tmp_path / "notes.sqlite"
        path.write_text("minute 45: nothing to see here\n" * 10)
        with pytest.raises(StoreError, match=r"notes\.sqlite is not a livetext store"):
            SqliteStore(path)
        assert path.read_text().startswith("minute 45")

    def test_another_applications_database_is_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "other.db"
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE things (x)")
        conn.commit()
        conn.close()
        with pytest.raises(StoreError, match=r"other\.db is an SQLite database of another"):
            SqliteStore(path)
        conn = sqlite3.connect(path)  # left as it was: not switched to WAL
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        conn.close()

    def test_stores_opened_at_once_on_a_new_file_agree(self, tmp_path: Path) -> None:
        """Several openers racing to create the same file: one initialises, all can write."""
        path = tmp_path / "new.sqlite"
        barrier = threading.Barrier(4)
        errors: list[BaseException] = []

        def open_and_append(i: int) -> None:
            barrier.wait()
            try:
                with SqliteStore(path) as store:
                    store.append(f"m{i}", lines(3))
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=open_and_append, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        with SqliteStore(path) as store:
            assert [m.event_count for m in store.matches()] == [3, 3, 3, 3]

    def test_a_newer_schema_is_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "store.sqlite"
        SqliteStore(path).close()
        conn = sqlite3.connect(path)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.close()
        with pytest.raises(StoreError, match="newer livetext"):
            SqliteStore(path)

    def test_a_damaged_event_is_reported_with_its_position(self, tmp_path: Path) -> None:
        path = tmp_path / "store.sqlite"
        with SqliteStore(path) as store:
            store.append("m", lines(2))
        conn = sqlite3.connect(path)
        conn.execute("DROP TRIGGER events_no_update")
        conn.execute("UPDATE events SET data = x'7b7d' WHERE position = 2")
        conn.commit()
        conn.close()
        with SqliteStore(path) as store, pytest.raises(StoreError, match="position 2"):
            store.read("m")

    def test_an_empty_file_becomes_a_store(self, tmp_path: Path) -> None:
        path = tmp_path / "empty.sqlite"
        path.touch()
        with SqliteStore(path) as store:
            assert store.append("m", lines(1)).last_seq == 1

    def test_missing_file_without_create_is_an_error(self, tmp_path: Path) -> None:
        path = tmp_path / "nowhere" / "store.sqlite"
        with pytest.raises(StoreError, match="no livetext store at"):
            SqliteStore(path, create=False)
        assert not path.parent.exists()
        SqliteStore(path).close()  # creates the folder too
        assert path.exists()


class TestHandlesTakingTurns:
    """Every append reads the streams' heads in its transaction: handles on one file taking
    turns, and metadata written in between, must all be seen."""

    def check(self, store: SqliteStore) -> None:
        events = store.read_all()
        assert [e.position for e in events] == list(range(1, len(events) + 1))
        by_match: dict[str, list[int]] = {}
        for e in events:
            by_match.setdefault(e.match_id, []).append(e.seq)
        for seqs in by_match.values():
            assert seqs == list(range(1, len(seqs) + 1))
        infos = store.matches()
        assert len({i.match_id for i in infos}) == len(infos)
        assert {i.match_id: i.event_count for i in infos if i.event_count} == {
            m: len(s) for m, s in by_match.items()
        }

    def test_two_handles_append_in_turn(self, tmp_path: Path) -> None:
        path = tmp_path / "store.sqlite"
        with SqliteStore(path) as a, SqliteStore(path) as b:
            assert a.append("m", lines(2)).last_seq == 2
            assert b.append("m", lines(1, "b")).last_seq == 3
            assert a.append("m", lines(1, "a again")).last_seq == 4  # saw b's line
            a.append("x", lines(1, "x"))
            b.append("y", lines(1, "y"))
            a.append("z", lines(1, "z"))  # a new stream after b's: its own stream id
            b.append("x", lines(1, "x again"), expected_seq=1)
            with pytest.raises(ConcurrencyError):
                a.append("x", lines(1, "stale"), expected_seq=1)
            assert a.append("x", lines(1, "x third"), expected_seq=2).last_seq == 3
            self.check(a)
            assert [e.text for e in b.read("x")] == ["x 0", "x again 0", "x third 0"]

    def test_metadata_written_between_appends(self, tmp_path: Path) -> None:
        path = tmp_path / "store.sqlite"
        with SqliteStore(path) as a, SqliteStore(path) as b:
            a.append("m", lines(1))
            a.put_meta("n", {"home": "Inter", "away": "Milan"})  # a stream row, no events
            a.put_meta("o", {"home": "Genoa"})
            a.append("o", lines(1, "o"))  # o's row, not the stream id after m's
            a.append("n", lines(2, "n"))
            b.set_match_info("p", "Roma", "Lazio")
            a.append("p", lines(1, "p"))
            a.update_meta("q", {"home": "Napoli"})
            a.append("q", lines(1, "q"))
            a.append("m", lines(1, "m again"))
            self.check(a)
            assert a.get_meta("n") == {"home": "Inter", "away": "Milan"}
            assert [(i.match_id, i.home, i.event_count) for i in b.matches()] == [
                ("m", None, 2),
                ("n", "Inter", 2),
                ("o", "Genoa", 1),
                ("p", "Roma", 1),
                ("q", "Napoli", 1),
            ]
            assert [e.text for e in b.read("o")] == ["o 0"]

    def test_a_row_the_file_refuses_rolls_the_append_back_whole(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The unique keys are the last word: an append numbered from a head gone stale
        (seq 2 again) is refused by the file, reported, and writes nothing; the store goes
        on."""
        with SqliteStore(tmp_path / "store.sqlite") as store:
            store.append("m", lines(2))
            heads = SqliteStore._heads

            def stale(
                self: SqliteStore, conn: sqlite3.Connection, match_ids: set[str]
            ) -> dict[str, Head]:
                found = heads(self, conn, match_ids)
                if "m" in found:
                    found["m"] = found["m"]._replace(last_seq=1)
                return found

            monkeypatch.setattr(SqliteStore, "_heads", stale)
            with pytest.raises(StoreError, match="UNIQUE"):
                store.append_many([Batch("n", lines(3, "n")), Batch("m", lines(1, "x"))])
            assert not store._conn.in_transaction
            assert store.last_seq("n") == 0 and len(store.read_all()) == 2
            monkeypatch.setattr(SqliteStore, "_heads", heads)
            assert store.append("m", lines(1, "x")).last_seq == 3
            assert store.append("n", lines(1, "n")).last_seq == 1
            self.check(store)

    def test_a_failed_append_leaves_what_is_known_true(self, tmp_path: Path) -> None:
        with SqliteStore(tmp_path / "store.sqlite") as store:
            store.append("m", lines(1))
            stray = line("elsewhere").model_copy(update={"match_id": "other"})
            with pytest.raises(ValueError):
                store.append_many([Batch("n", lines(1, "n")), Batch("m", [stray])])
            with pytest.raises(ConcurrencyError):
                store.append_many([Batch("n", lines(1, "n")), Batch("m", lines(1), 5)])
            assert store.append("n", lines(1, "n")).last_seq == 1
            assert store.append("m", lines(1, "m again")).last_seq == 2
            self.check(store)


class TestStorePaths:
    def test_livetext_data_wins(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        monkeypatch.setenv("LIVETEXT_DATA", str(tmp_path))
        monkeypatch.setenv("XDG_DATA_HOME", "/elsewhere")
        assert default_store_path() == tmp_path / "livetext.sqlite"

    def test_xdg_data_home_then_home(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        monkeypatch.delenv("LIVETEXT_DATA", raising=False)
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
        assert default_store_path() == tmp_path / "livetext" / "livetext.sqlite"
        monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
        monkeypatch.setenv("HOME", str(tmp_path))
        assert default_store_path() == tmp_path / ".local/share/livetext/livetext.sqlite"

    def test_open_store(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        assert isinstance(open_store(":memory:"), MemoryStore)
        monkeypatch.setenv("LIVETEXT_DATA", str(tmp_path / "data"))
        with pytest.raises(StoreError):
            open_store(create=False)
        store = open_store()
        assert isinstance(store, SqliteStore)
        assert store.path == tmp_path / "data" / "livetext.sqlite"
        store.close()


class TestDurability:
    """``durability`` (or ``LIVETEXT_DURABILITY``) sets SQLite's ``synchronous``; see
    docs/performance.md, "Durability modes" (the kill -9 tests run in both modes)."""

    def synchronous(self, store: SqliteStore) -> int:
        return int(store._conn.execute("PRAGMA synchronous").fetchone()[0])

    def test_full_by_default_normal_on_request(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("LIVETEXT_DURABILITY", raising=False)
        with SqliteStore(tmp_path / "a.sqlite") as store:
            assert (store.durability, self.synchronous(store)) == ("full", 2)
        with SqliteStore(tmp_path / "a.sqlite", durability="normal") as store:
            assert (store.durability, self.synchronous(store)) == ("normal", 1)

    def test_the_environment_sets_the_default(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("LIVETEXT_DURABILITY", "normal")
        with SqliteStore(tmp_path / "a.sqlite") as store:
            assert self.synchronous(store) == 1
        with SqliteStore(tmp_path / "a.sqlite", durability="full") as store:
            assert self.synchronous(store) == 2  # an explicit mode wins
        monkeypatch.setenv("LIVETEXT_DURABILITY", "fast")
        with pytest.raises(StoreError, match="'full' or 'normal', not 'fast'"):
            open_store(tmp_path / "a.sqlite")
