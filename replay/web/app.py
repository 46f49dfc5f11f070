"""The web app: a JSON API over the store, the match pages, and live updates over SSE.

Routes::

    GET /                                  the list page (every match of the store)
    GET /matches/{id}[?at=CLOCK]           a match page, opened at CLOCK
    GET /api/matches                       {"matches": [{match_id, home, away, ...}]}
    GET /api/matches/{id}/state?at=CLOCK   the state JSON at CLOCK (default: every event)
    GET /api/stats                         the team stats the page shows: [{name, label, key}]
    GET /api/matches/{id}/events?from_seq=N  {"events": [...], "last_seq": n, ...}
    GET /api/matches/{id}/minutes          {"minutes": [{label, at, period, kind, ...}]}
    GET /api/matches/{id}/live             text/event-stream: an ``event: state`` now and
                                           after every change of the match
    GET /static/...                        the page's HTML, CSS and JavaScript

API errors are JSON ``{"error": code, "detail": message}``: 404 for an unknown match,
400 for an unreadable clock (``past_the_end`` for a clock after the end of a match that
has ended) or ``from_seq``.
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread
import orjson
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from projections.stat_table import STATS
from replay.commands.common import MAX_SEQ
from replay.web.live import Feed, LiveHub, store_feed
from replay.web.service import AtClockError, ClockPastEndError, MatchService, UnknownMatchError
from stream import EventStore, StoreError

STATIC = Path(__file__).parent / "static"
KEEP_ALIVE = 15.0
"""Seconds between SSE comments that keep an idle connection open."""

T = TypeVar("T")


class JSONResponse(Response):
    """JSON through orjson."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def error(status: int, code: str, detail: str) -> JSONResponse:
    """An API error: ``{"error": code, "detail": detail}`` with its status."""
    return JSONResponse({"error": code, "detail": detail}, status_code=status)


def sse(event: str, data: Any, event_id: int | None = None) -> bytes:
    """One server-sent event (the JSON has no newline, so it is one ``data:`` line)."""
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\n".encode() + b"data: " + orjson.dumps(data) + b"\n\n"


def create_app(
    store: EventStore,
    *,
    feed: Feed | None = None,
    keep_alive: float = KEEP_ALIVE,
) -> Starlette:
    """The app over ``store``; live changes come from ``feed`` (default: the store's
    subscription).  The caller keeps ownership of the store."""
    service = MatchService(store)
    hub = LiveHub(service, feed or store_feed(store))

    async def call(fn: Callable[..., T], *args: Any) -> T:
        return await anyio.to_thread.run_sync(fn, *args)

    async def api(fn: Callable[..., Any], *args: Any) -> Response:
        try:
            return JSONResponse(await call(fn, *args))
        except UnknownMatchError as exc:
            return error(404, "unknown_match", str(exc))
        except ClockPastEndError as exc:
            return error(400, "past_the_end", str(exc))
        except AtClockError as exc:
            return error(400, "bad_clock", str(exc))
        except StoreError as exc:
            return error(503, "store_error", str(exc))

    async def list_matches(request: Request) -> Response:
        return await api(lambda: {"matches": service.matches()})

    async def stat_table(request: Request) -> Response:
        return JSONResponse({"stats": [s.to_json() for s in STATS]})

    async def match_state(request: Request) -> Response:
        match_id = request.path_params["match_id"]
        return await api(service.state, match_id, request.query_params.get("at"))

    async def match_events(request: Request) -> Response:
        match_id = request.path_params["match_id"]
        raw = request.query_params.get("from_seq", "1")
        try:
            from_seq = int(raw)
        except ValueError:
            from_seq = 0
        if not 1 <= from_seq <= MAX_SEQ:
            return error(
                400, "bad_from_seq", f"from_seq must be an integer from 1 to {MAX_SEQ}, got {raw!r}"
            )
        return await api(service.events, match_id, from_seq)

    async def match_minutes(request: Request) -> Response:
        return await api(service.minutes, request.path_params["match_id"])

    async def match_live(request: Request) -> Response:
        match_id = request.path_params["match_id"]
        if not await call(service.exists, match_id):
            return error(404, "unknown_match", f"no match {match_id!r} in the store")
        queue = hub.subscribe(match_id)

        async def stream() -> AsyncIterator[bytes]:
            try:
                yield b"retry: 2000\n\n"
                payload = await call(service.live, match_id)
                yield sse("state", payload, payload.get("last_seq"))
                while True:
                    try:
                        payload = await asyncio.wait_for(queue.get(), keep_alive)
                    except TimeoutError:
                        yield b": keep-alive\n\n"
                        continue
                    yield sse("state", payload, payload.get("last_seq"))
            finally:
                hub.unsubscribe(match_id, queue)

        return StreamingResponse(
            stream(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    async def index_page(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    async def match_page(request: Request) -> Response:
        match_id = request.path_params["match_id"]
        if not await call(service.exists, match_id):
            return not_found_page(match_id)
        return FileResponse(STATIC / "match.html", headers={"Cache-Control": "no-cache"})

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        detail = exc.detail if isinstance(exc, HTTPException) else "error"
        if request.url.path.startswith("/api/"):
            return error(status, "not_found" if status == 404 else "http_error", detail)
        page = f"<!doctype html><title>{status}</title><p>{html.escape(detail)}"
        return HTMLResponse(page, status_code=status)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        hub.start()
        try:
            yield
        finally:
            await hub.stop()

    app = Starlette(
        routes=[
            Route("/", index_page),
            Route("/matches/{match_id}", match_page),
            Route("/api/matches", list_matches),
            Route("/api/stats", stat_table),
            Route("/api/matches/{match_id}/state", match_state),
            Route("/api/matches/{match_id}/events", match_events),
            Route("/api/matches/{match_id}/minutes", match_minutes),
            Route("/api/matches/{match_id}/live", match_live),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        exception_handlers={HTTPException: http_error},
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.hub = hub
    return app


def not_found_page(match_id: str) -> HTMLResponse:
    """The 404 page of an unknown match (the id escaped)."""
    body = (
        "<!doctype html><meta charset=utf-8><meta name=viewport "
        'content="width=device-width,initial-scale=1"><title>No such match</title>'
        '<link rel=stylesheet href="/static/style.css"><main class=page>'
        f"<h1>No match {html.escape(match_id)!s} in the store</h1>"
        '<p><a href="/">All matches</a></p></main>'
    )
    return HTMLResponse(body, status_code=404)
