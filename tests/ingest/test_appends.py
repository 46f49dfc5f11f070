"""``replay.ingest.MatchAppends`` as ``ingest`` drives it: matches let go once written
(read back from the store when they come again) give the appends kept ones give."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from events.models import dumps
from events.readers import Match, read_feed, read_source
from replay.ingest import MatchAppends
from stream import MemoryStore, SqliteStore
from stream.store import EventStore

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
FIXTURES = ROOT / "tests" / "fixtures"
SOURCES = [
    EXAMPLES / "inter-milan-derby.txt",
    EXAMPLES / "feed-example.jsonl",
    EXAMPLES / "lines-example.txt",
    FIXTURES / "espn-760415.json",
    FIXTURES / "opta-760489.json",
]


def feed_versions() -> list[Match]:
    """The feed example, then with line c10 re-stamped and sent twice (its last version
    counts), then without line c4 twice (withdrawn), then whole again."""
    rows = [orjson.loads(r) for r in (EXAMPLES / "feed-example.jsonl").read_bytes().splitlines()]
    header, lines = rows[0], rows[1:]
    restamped = [{**r, "clock": "59'"} if r["id"] == "c10" else r for r in lines]
    resent = [*lines, next(r for r in restamped if r["id"] == "c10")]
    without_c4 = [r for r in restamped if r["id"] != "c4"]

    def text(body: list[dict[str, object]]) -> str:
        return "\n".join(orjson.dumps(r).decode() for r in [header, *body]) + "\n"

    return [read_feed(text(v)) for v in (lines, resent, without_c4, without_c4, lines)]


def stored(store: EventStore) -> list[tuple[bytes, int, int]]:
    return [(dumps(e), e.seq, e.position) for e in store.read_all()]


def run(store: EventStore, matches: list[Match], let_go: bool) -> list[int]:
    """The matches appended as ``ingest`` appends them (telling, or not, when each is
    written); how many events each append added."""
    appends = MatchAppends(store)
    counts = []
    for match_id, (result,) in store.append_each(
        appends.append_for(m, m.match_id) for m in matches
    ):
        counts.append(result.appended)
        if let_go:
            appends.written(match_id)
    return counts


@pytest.mark.parametrize("backend", ["memory", "sqlite"])
def test_matches_let_go_once_written_give_the_same_appends(backend: str, tmp_path: Path) -> None:
    """The feed's versions, each after other matches (so that its match was written and
    let go, and is read back from the store), and twice in a row (so that it is still
    being written): the same store as when every match stays in memory."""
    others = [read_source(s) for s in SOURCES if "feed" not in s.name]
    versions = feed_versions()
    matches = [versions[0], *others, versions[1], versions[2], *others, versions[3], versions[4]]

    def store(name: str) -> EventStore:
        return MemoryStore() if backend == "memory" else SqliteStore(tmp_path / f"{name}.sqlite")

    kept, let_go = store("kept"), store("let-go")
    try:
        counts = run(kept, matches, False)
        assert counts[-1] > 0  # the first version back: c4 and c10 at 58' again
        assert run(let_go, matches, True) == counts
        assert stored(let_go) == stored(kept)
        assert [let_go.get_meta(m.match_id) for m in matches] == [
            kept.get_meta(m.match_id) for m in matches
        ]
    finally:
        kept.close()
        let_go.close()
