"""The JSON API and the pages through the ASGI test client."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from events.clock import MatchClock
from replay.timeline import Step
from replay.web.app import STATIC
from replay.web.service import end_position, minutes_json, normalise_at
from stream import MemoryStore

from .conftest import FEED, SEED, lines

if TYPE_CHECKING:
    from starlette.testclient import TestClient


def test_matches_lists_every_match_with_teams(client: TestClient) -> None:
    response = client.get("/api/matches")
    assert response.status_code == 200
    matches = {m["match_id"]: m for m in response.json()["matches"]}
    assert set(matches) == {SEED, FEED}
    assert (matches[SEED]["home"], matches[SEED]["away"]) == ("Inter Milan", "AC Milan")
    assert matches[SEED]["event_count"] == 31
    assert matches[SEED]["last_clock"]["label"] == "90+4'"
    assert matches[SEED]["url"] == f"/matches/{SEED}"


def test_state_without_at_is_the_final_state(client: TestClient) -> None:
    state = client.get(f"/api/matches/{SEED}/state").json()
    assert state["match_id"] == SEED
    assert (state["score"]["home"], state["score"]["away"]) == (1, 0)
    assert state["teams"] == {"home": "Inter Milan", "away": "AC Milan"}
    assert state["stats"]["home"]["shots"] == 2
    assert state["lineups"]["home"]["formation"] == "3-5-2"


@pytest.mark.parametrize("query", ["at=45%2B2", "at=45+2", "at=45'%2B2'", "at=45%20%2B%202"])
def test_state_at_a_stoppage_minute_however_the_plus_arrives(
    client: TestClient, query: str
) -> None:
    response = client.get(f"/api/matches/{FEED}/state?{query}")
    assert response.status_code == 200, response.text
    state = response.json()
    assert state["clock"]["label"] == "45+2'"
    assert (state["score"]["home"], state["score"]["away"]) == (1, 0)
    assert state["stats"]["away"]["corners"] == 1


def test_state_at_is_inclusive_and_named_bounds_work(client: TestClient) -> None:
    at_90_2 = client.get(f"/api/matches/{SEED}/state", params={"at": "90+2"}).json()
    assert (at_90_2["score"]["home"], at_90_2["score"]["away"]) == (0, 0)
    assert at_90_2["stats"]["home"]["corners"] == 0
    at_90_4 = client.get(f"/api/matches/{SEED}/state", params={"at": "90+4"}).json()
    assert at_90_4["stats"]["home"]["corners"] == 2
    half_time = client.get(f"/api/matches/{FEED}/state", params={"at": "ht"}).json()
    assert half_time["stats"]["away"]["corners"] == 1


def test_unknown_match_is_a_json_404(client: TestClient) -> None:
    for path in ("state", "events", "minutes", "live"):
        response = client.get(f"/api/matches/no-such-match/{path}")
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("application/json")
        assert response.json()["error"] == "unknown_match"


@pytest.mark.parametrize("at", ["abc", "45+", "300", "90+99"])
def test_unreadable_clock_is_a_json_400(client: TestClient, at: str) -> None:
    response = client.get(f"/api/matches/{SEED}/state", params={"at": at})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "bad_clock"
    assert "not a match clock" in body["detail"]


def test_events_from_seq(client: TestClient) -> None:
    body = client.get(f"/api/matches/{SEED}/events", params={"from_seq": 30}).json()
    assert body["last_seq"] == 31
    assert [e["seq"] for e in body["events"]] == [30, 31]
    last = body["events"][-1]
    assert last["type"] == "period_end"
    assert last["clock"]["label"] == "90+4'"
    assert last["text"] == "Second Half ends, Inter Milan 1, AC Milan 0."
    every = client.get(f"/api/matches/{SEED}/events").json()["events"]
    assert [e["seq"] for e in every] == list(range(1, 32))
    assert client.get(f"/api/matches/{SEED}/events?from_seq=99").json()["events"] == []


@pytest.mark.parametrize("from_seq", ["0", "-1", "x", "1.5"])
def test_bad_from_seq_is_a_json_400(client: TestClient, from_seq: str) -> None:
    response = client.get(f"/api/matches/{SEED}/events", params={"from_seq": from_seq})
    assert response.status_code == 400
    assert response.json()["error"] == "bad_from_seq"


def test_minutes_every_minute_with_stoppage_in_order(client: TestClient) -> None:
    minutes = client.get(f"/api/matches/{FEED}/minutes").json()["minutes"]
    labels = [m["label"] for m in minutes]
    assert labels[:2] == ["1'", "2'"]
    i = labels.index("45'")
    assert labels[i : i + 4] == ["45'", "45+1'", "45+2'", "46'"]
    assert labels[-5:] == ["90'", "90+1'", "90+2'", "90+3'", "90+4'"]
    assert len(labels) == 45 + 2 + 45 + 4
    by_label = {m["label"]: m for m in minutes}
    assert by_label["45+2'"] == {
        "label": "45+2'",
        "kind": "stoppage",
        "period": 1,
        "minute": 45,
        "added": 2,
        "at": "45+2",
        "break": "HT",
    }
    assert by_label["90+4'"]["break"] == "FT"
    assert by_label["46'"]["break"] is None
    seed = [m["label"] for m in client.get(f"/api/matches/{SEED}/minutes").json()["minutes"]]
    assert seed[-5:] == ["90'", "90+1'", "90+2'", "90+3'", "90+4'"]


def test_every_minute_is_an_at_the_state_endpoint_reads(client: TestClient) -> None:
    minutes = client.get(f"/api/matches/{FEED}/minutes").json()["minutes"]
    for m in minutes[::7] + minutes[-3:]:
        state = client.get(f"/api/matches/{FEED}/state", params={"at": m["at"]}).json()
        assert state["clock"]["label"] == m["label"]


def test_shootout_is_one_entry_at_end_and_breaks_mark_minutes() -> None:
    steps = [
        Step("120'", MatchClock(period=4, minute=120), "minute", 4),
        Step("AET", MatchClock(period=4, minute=120), "break", 4),
        Step("PSO", MatchClock(period=5, minute=120), "break", 5),
    ]
    out = minutes_json(steps)
    assert [(m["label"], m["at"], m["break"]) for m in out] == [
        ("120'", "120", "AET"),
        ("PSO", "end", None),
    ]


def test_normalise_at() -> None:
    assert normalise_at("45 2") == "45+2"
    assert normalise_at(" 45 + 2 ") == "45+2"
    assert normalise_at("90+4") == "90+4"
    assert normalise_at("ht") == "ht"
    assert normalise_at("") is None
    assert normalise_at(None) is None


def test_end_position_by_probing() -> None:
    store = MemoryStore()
    assert end_position(store) == 1
    for n in (1, 5, 1030, 3):
        store.append(f"m{n}", lines(*[("10", f"Foul by Player {i} (Team).") for i in range(n)]))
        assert end_position(store) == len(store.read_all()) + 1


def test_pages_are_served(client: TestClient) -> None:
    index = client.get("/")
    assert index.status_code == 200
    assert 'data-page="index"' in index.text
    page = client.get(f"/matches/{SEED}", params={"at": "90+2"})
    assert page.status_code == 200
    assert 'id="minute-slider"' in page.text
    for asset in ("app.js", "style.css"):
        assert client.get(f"/static/{asset}").status_code == 200


def test_unknown_match_page_is_a_404_that_escapes_the_id(client: TestClient) -> None:
    response = client.get("/matches/%3Cscript%3Ealert(1)")
    assert response.status_code == 404
    assert "<script>" not in response.text
    assert "&lt;script&gt;" in response.text


def test_unknown_api_route_is_json(client: TestClient) -> None:
    response = client.get("/api/nothing")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_feed_text_reaches_the_page_only_as_text() -> None:
    script = (STATIC / "app.js").read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script, sink
    for page in ("index.html", "match.html"):
        assert "<script src=" in (STATIC / page).read_text()


def test_static_files_are_packaged() -> None:
    assert {p.name for p in Path(STATIC).iterdir()} >= {
        "index.html",
        "match.html",
        "app.js",
        "style.css",
    }


@pytest.mark.parametrize("from_seq", ["9" * 23, str(2**63)])
def test_from_seq_past_any_stream_is_a_json_400(client: TestClient, from_seq: str) -> None:
    response = client.get(f"/api/matches/{SEED}/events", params={"from_seq": from_seq})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"] == "bad_from_seq"
    last = client.get(f"/api/matches/{SEED}/events", params={"from_seq": str(2**63 - 1)})
    assert last.status_code == 200 and last.json()["events"] == []


@pytest.mark.parametrize(
    ("match_id", "at"),
    [(SEED, "130"), (SEED, "95"), (SEED, "105+1"), (FEED, "100")],  # FEED has "Match ends"
)
def test_a_clock_after_the_match_is_a_json_400(client: TestClient, match_id: str, at: str) -> None:
    response = client.get(f"/api/matches/{match_id}/state", params={"at": at})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "past_the_end"
    assert "past the match's last period: it ended at 90+4'" in body["detail"]
    assert client.get(f"/api/matches/{match_id}/state", params={"at": "90+4"}).status_code == 200


def test_the_stat_table_names_every_stat_the_state_counts(client: TestClient) -> None:
    """The page's stat rows come from one table (projections/stat_table.py), each a key
    of the state's team stats, with its label."""
    table = client.get("/api/stats").json()["stats"]
    state = client.get(f"/api/matches/{SEED}/state").json()
    assert {"name": "corners", "label": "Corners", "key": True} in table
    assert all(row["name"] in state["stats"]["home"] for row in table)
