"""A store the user may not enter, or may read but not write (issue 15, defects 1 and 2).

Permission bits do not stop root, and these tests must hold when the suite runs as root:
the processes under test run with file permissions enforced.  Run by root, they run
without the capabilities that let root pass permission bits (CAP_DAC_OVERRIDE and
CAP_DAC_READ_SEARCH, dropped from the bounding set before ``exec``), so root meets the
bits as any owner does; run by another user, they run as that user.  The folders and files
are the test's own, their bits set to what a user without the right would meet.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from events.readers import read_source
from replay.ingest import ingest_match
from stream.sqlite import SqliteStore
from stream.store import StoreError
from tests.stream.contract import lines

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
LIVETEXT = Path(sys.executable).parent / "livetext"
MATCH = "inter-milan-derby"
_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


def _without_root_overrides() -> None:
    """(In the child, before ``exec``.)  Drop the capabilities that let root pass
    permission bits."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def as_user(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``args`` with permission bits enforced (see the module docstring)."""
    return subprocess.run(
        args,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        preexec_fn=_without_root_overrides if os.geteuid() == 0 else None,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture(scope="module", autouse=True)
def permission_bits_hold(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Skip where the bits cannot be made to hold (root without the right to drop
    capabilities, e.g. in some containers)."""
    locked = tmp_path_factory.mktemp("probe") / "locked"
    locked.mkdir(mode=0)
    try:
        probe = as_user([sys.executable, "-c", f"import os; os.listdir({str(locked)!r})"])
    finally:
        locked.chmod(0o755)
    if probe.returncode == 0:
        pytest.skip("permission bits do not bind this user here (root that cannot drop them)")


def python(
    code: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return as_user([sys.executable, "-c", code, *args], env)


def livetext(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    if not LIVETEXT.exists():
        pytest.skip(f"no livetext command beside {sys.executable}")
    return as_user([str(LIVETEXT), *args], env)


def a_clean_failure(run: subprocess.CompletedProcess[str], says: str) -> None:
    """Failed with a one-line ``livetext:`` or ``StoreError`` message, no traceback."""
    assert run.returncode != 0, run.stdout
    assert "Traceback" not in run.stderr, run.stderr
    assert says in run.stderr, run.stderr


# --- a folder on the store's path that cannot be entered ----------------------------------


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody but a privileged process may enter, holding a valid store."""
    folder = tmp_path / "locked"
    folder.mkdir()
    with SqliteStore(folder / "livetext.sqlite") as store:
        store.append("m", lines(2))
    folder.chmod(0)
    yield folder
    folder.chmod(0o755)


OPEN = """
import sys
from stream.sqlite import open_store
from stream.store import StoreError
try:
    open_store(sys.argv[1] if len(sys.argv) > 1 else None)
except StoreError as exc:
    sys.exit(f"StoreError: {exc}")
"""


def test_a_store_in_a_folder_that_cannot_be_entered_is_a_store_error(locked: Path) -> None:
    """Opening the store, named or the default (``LIVETEXT_DATA``, ``XDG_DATA_HOME``),
    raises ``StoreError`` naming the file (it was ``PermissionError`` from ``exists``)."""
    path = locked / "livetext.sqlite"
    runs = [
        python(OPEN, str(path)),
        python(OPEN, env={"LIVETEXT_DATA": str(locked)}),
        python(OPEN, env={"LIVETEXT_DATA": "", "XDG_DATA_HOME": str(locked)}),
    ]
    for run in runs:
        a_clean_failure(run, "StoreError: cannot read the store")
    assert f"{path}: permission denied" in runs[0].stderr


def test_the_command_says_so_for_every_way_of_naming_the_store(locked: Path) -> None:
    path = str(locked / "livetext.sqlite")
    example = str(EXAMPLES / "lines-example.txt")
    for run in (
        livetext("matches", "--store", path),
        livetext("events", "m", "--store", path),
        livetext("ingest", example, "--store", path),
        livetext("matches", env={"LIVETEXT_DATA": str(locked)}),
    ):
        a_clean_failure(run, f"livetext: cannot read the store {path}: permission denied")


def test_a_store_file_the_user_cannot_read(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    SqliteStore(path).close()
    path.chmod(0)
    a_clean_failure(python(OPEN, str(path)), f"cannot read the store {path}: permission denied")


def test_a_parent_that_is_a_file(tmp_path: Path) -> None:
    """A path through a file (no permission involved, so it runs in-process): a missing
    store, or one that cannot be made, never a traceback from the file system."""
    (tmp_path / "notes.txt").write_text("not a folder\n")
    path = tmp_path / "notes.txt" / "store.sqlite"
    with pytest.raises(StoreError, match="no livetext store at"):
        SqliteStore(path, create=False)
    with pytest.raises(StoreError, match=r"cannot create the store .*notes\.txt"):
        SqliteStore(path)


# --- a valid store the user may read but not write ----------------------------------------

READ_ALL_VERBS = """
import asyncio, sys, orjson
from events.clock import MatchClock
from events.models import to_dict
from stream.sqlite import SqliteStore
from stream.store import StoreError

async def first(store, n):
    out = []
    async for event in store.subscribe():
        out.append(to_dict(event))
        if len(out) == n:
            return out

store = SqliteStore(sys.argv[1], create=False)
match = sys.argv[2]
reads = {
    "read_only": store.read_only,
    "read": [to_dict(e) for e in store.read(match)],
    "read_from": [e.seq for e in store.read(match, from_seq=5)],
    "to_clock": [e.seq for e in store.read(match, to_clock=MatchClock.parse("45+2"))],
    "read_all": [to_dict(e) for e in store.read_all()],
    "last_seq": store.last_seq(match),
    "matches": [[m.match_id, m.home, m.away, m.event_count, str(m.last_clock)] for m in store.matches()],
    "meta": store.get_meta(match),
    "subscribe": asyncio.run(first(store, 3)),
}
writes = []
for write in (
    lambda: store.append(match, []),
    lambda: store.append_many([]),
    lambda: list(store.append_each([])) or store.put_meta("x", {}),
    lambda: store.update_meta(match, {"home": "x"}),
    lambda: store.set_match_info(match, "a", "b"),
):
    try:
        write()
        writes.append("written")
    except StoreError as exc:
        writes.append(str(exc))
reads["writes"] = writes
print(orjson.dumps(reads).decode())
"""


def ingested(path: Path) -> None:
    with SqliteStore(path) as store:
        for name in ("inter-milan-derby.txt", "feed-example.jsonl"):
            ingest_match(store, read_source(EXAMPLES / name))


def what_it_reads(path: Path, match: str = MATCH) -> dict[str, object]:
    run = python(READ_ALL_VERBS, str(path), match)
    assert run.returncode == 0, run.stderr
    result: dict[str, object] = orjson.loads(run.stdout)
    return result


def what_it_reads_writable(path: Path) -> dict[str, object]:
    """What a writable copy of the (closed) store reads, its writes made to the copy."""
    copy = path.with_name("writable-copy.sqlite")
    shutil.copyfile(path, copy)
    try:
        return what_it_reads(copy)
    finally:
        for leftover in copy.parent.glob("writable-copy.sqlite*"):
            leftover.unlink()


def files_of(folder: Path) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted(folder.iterdir())}


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[tuple[Path, dict[str, object]]]:
    """A store ingested and closed, then its folder and file made read-only; and what the
    same store reads while it is writable."""
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "livetext.sqlite"
    ingested(path)
    writable = what_it_reads_writable(path)
    assert writable["read_only"] is False and writable["writes"] == ["written"] * 5
    path.chmod(0o444)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    yield path, writable
    folder.chmod(0o755)
    path.chmod(0o644)


def test_a_store_in_a_read_only_folder_reads_and_refuses_writes(
    read_only_folder: tuple[Path, dict[str, object]],
) -> None:
    """Every read verb answers as on the writable store (the file opens without a WAL
    beside it); every write raises ``StoreError`` saying the store is read-only; the
    folder is as it was."""
    path, writable = read_only_folder
    before = files_of(path.parent)
    got = what_it_reads(path)
    assert got["read_only"] is True
    writes = got.pop("writes")
    assert {k: v for k, v in got.items() if k != "read_only"} == {
        k: v for k, v in writable.items() if k not in ("read_only", "writes")
    }
    assert (
        writes
        == [
            f"the store {path} is read-only (no write access to the file or its folder): it can be read, not written"
        ]
        * 5
    )
    assert files_of(path.parent) == before


def test_a_read_only_file_in_a_writable_folder_reads(tmp_path: Path) -> None:
    path = tmp_path / "livetext.sqlite"
    ingested(path)
    writable = what_it_reads_writable(path)
    path.chmod(0o444)
    got = what_it_reads(path)
    assert got.pop("read_only") is True and got.pop("writes") != writable["writes"]
    assert got == {k: v for k, v in writable.items() if k not in ("read_only", "writes")}


def test_a_read_only_folder_while_a_writer_holds_the_store(tmp_path: Path) -> None:
    """Commits still in the WAL (a writer has the store open) are read through the WAL's
    files, which the reader may read but not write."""
    folder = tmp_path / "live"
    folder.mkdir()
    path = folder / "livetext.sqlite"
    ingested(path)
    with SqliteStore(path) as writer:
        writer.append("late", lines(4, "late"))
        assert Path(f"{path}-wal").stat().st_size > 0
        for file in folder.iterdir():
            file.chmod(0o444)
        folder.chmod(0o555)
        try:
            got = what_it_reads(path, "late")
        finally:
            folder.chmod(0o755)
            for file in folder.iterdir():
                file.chmod(0o644)
        assert got["read_only"] is True
        read = got["read"]
        assert isinstance(read, list)
        assert [e["text"] for e in read] == [f"late {i}" for i in range(4)]


def test_the_command_reads_a_read_only_store_and_refuses_to_ingest(
    read_only_folder: tuple[Path, dict[str, object]],
) -> None:
    path, _ = read_only_folder
    store = str(path)
    matches = livetext("matches", "--store", store)
    assert matches.returncode == 0, matches.stderr
    assert MATCH in matches.stdout and "inter-juventus-2024-02-04" in matches.stdout
    events = livetext("events", MATCH, "--json", "--store", store)
    assert events.returncode == 0, events.stderr
    with SqliteStore(path, read_only=True) as reader:
        assert [orjson.loads(row) for row in events.stdout.splitlines()] == [
            orjson.loads(e.model_dump_json()) for e in reader.read(MATCH)
        ]
    ingest = livetext("ingest", str(EXAMPLES / "lines-example.txt"), "--store", store)
    a_clean_failure(ingest, f"livetext: the store {store} is read-only")


def test_a_store_opened_read_only_in_process(tmp_path: Path) -> None:
    """``SqliteStore(path, read_only=True)`` on a writable file: reads, refuses writes,
    leaves the file as it was (no WAL switch, no schema upgrade)."""
    path = tmp_path / "livetext.sqlite"
    ingested(path)
    before = path.read_bytes()
    with SqliteStore(path, read_only=True) as store:
        assert len(store.read(MATCH)) == 31
        with pytest.raises(StoreError, match="is read-only"):
            store.append(MATCH, lines(1))
        with pytest.raises(StoreError, match="is read-only"):
            store.put_meta(MATCH, {})
    assert path.read_bytes() == before
    with pytest.raises(StoreError, match="no livetext store"):
        SqliteStore(tmp_path / "missing.sqlite", read_only=True)
    assert not (tmp_path / "missing.sqlite").exists()
    (tmp_path / "empty.sqlite").touch()
    with pytest.raises(StoreError, match=r"empty\.sqlite is empty, not a livetext store"):
        SqliteStore(tmp_path / "empty.sqlite", read_only=True)
