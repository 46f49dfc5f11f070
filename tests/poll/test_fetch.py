"""One fetch (``replay.poll.fetch``): validators, faults sorted, the backoff's waits."""

from __future__ import annotations

import random
from email.utils import formatdate

import httpx
import pytest

from replay.poll import fetch
from replay.poll.fetch import Backoff, FatalFetchError, Fetcher, FetchError, retry_after


def fetcher_of(handler: httpx.MockTransport) -> Fetcher:
    return Fetcher("http://provider.test/summary?event=1", 5.0, transport=handler)


def test_validators_are_sent_once_a_body_was_read() -> None:
    seen: list[dict[str, str | None]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(
            {
                "etag": request.headers.get("If-None-Match"),
                "since": request.headers.get("If-Modified-Since"),
            }
        )
        if request.headers.get("If-None-Match") == '"v1"':
            return httpx.Response(304)
        stamp = "Wed, 04 Dec 2024 20:45:00 GMT"
        return httpx.Response(200, content=b"{}", headers={"ETag": '"v1"', "Last-Modified": stamp})

    f = fetcher_of(httpx.MockTransport(answer))
    first = f.fetch()
    assert first.status == 200 and first.body == b"{}" and not first.not_modified
    assert f.fetch().status == 200  # not remembered yet: asked whole again
    f.remember(first)
    assert f.fetch().not_modified
    f.forget()
    assert f.fetch().status == 200
    assert seen[2] == {"etag": '"v1"', "since": "Wed, 04 Dec 2024 20:45:00 GMT"}
    assert seen[0] == seen[1] == seen[3] == {"etag": None, "since": None}


@pytest.mark.parametrize(
    ("response", "reason", "wait"),
    [
        (httpx.Response(503), "HTTP 503 Service Unavailable", None),
        (httpx.Response(429, headers={"Retry-After": "7"}), "HTTP 429 Too Many Requests", 7.0),
        (httpx.Response(502, headers={"Retry-After": "soon"}), "HTTP 502 Bad Gateway", None),
        (httpx.Response(408), "HTTP 408 Request Timeout", None),
    ],
)
def test_faults_worth_another_try(
    response: httpx.Response, reason: str, wait: float | None
) -> None:
    f = fetcher_of(httpx.MockTransport(lambda request: response))
    with pytest.raises(FetchError) as caught:
        f.fetch()
    assert str(caught.value) == reason and caught.value.retry_after == wait


def test_network_faults_are_worth_another_try() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    def late(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(FetchError, match="network error"):
        fetcher_of(httpx.MockTransport(refuse)).fetch()
    with pytest.raises(FetchError, match="no answer within 5 s"):
        fetcher_of(httpx.MockTransport(late)).fetch()


def test_a_wrong_url_or_a_refusal_is_fatal(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(FatalFetchError, match="HTTP 404"):
        fetcher_of(httpx.MockTransport(lambda r: httpx.Response(404))).fetch()
    with pytest.raises(FatalFetchError, match="not an http"):
        Fetcher("ftp://provider.test/x", 1.0)
    with pytest.raises(FatalFetchError, match="not an http"):
        Fetcher("summary.json", 1.0)
    monkeypatch.setattr(fetch, "MAX_BODY", 10)
    big = httpx.MockTransport(lambda r: httpx.Response(200, content=b"x" * 11))
    with pytest.raises(FatalFetchError, match="limit 10"):
        fetcher_of(big).fetch()


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert retry_after("3") == 3.0
    assert retry_after(None) is None and retry_after("later") is None
    assert retry_after("86400") == fetch.MAX_RETRY_AFTER
    now = 1_733_000_000.0
    assert retry_after(formatdate(now + 30, usegmt=True), now=now) == 30.0
    assert retry_after(formatdate(now - 30, usegmt=True), now=now) == 0.0


def test_the_backoff_doubles_with_jitter_up_to_its_cap_and_honours_retry_after() -> None:
    backoff = Backoff(0.5, 4.0, random.Random(1))
    waits = [backoff.failed() for _ in range(6)]
    steps = [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert all(step / 2 <= wait <= step for wait, step in zip(waits, steps, strict=True))
    assert len(set(waits)) == len(waits)  # jittered
    assert backoff.failed(retry_after=30.0) == 30.0
    backoff.reset()
    assert backoff.failures == 0 and backoff.failed() <= 0.5
