"""One fetch of a provider's payload, and the wait before the next try after a fault.

:class:`Fetcher` GETs the URL with httpx under a timeout, sending ``If-None-Match`` and
``If-Modified-Since`` once a body with those validators has been read cleanly
(:meth:`Fetcher.remember`), and reads the body whole (up to ``MAX_BODY``).  What can go
wrong is sorted in two:

- :class:`FetchError`, worth another try: the network (refused, reset, a body cut off
  before its announced end), a timeout, a 5xx, a 429 or a 408 (``retry_after`` holds the
  server's ``Retry-After``, in seconds);
- :class:`FatalFetchError`, not: a malformed URL, any other 4xx (the URL is wrong, or
  the payload is not there for this client), a body over ``MAX_BODY``.

:class:`Backoff` spaces the tries after consecutive faults: ``base * 2**(n-1)`` capped at
``cap``, with jitter (half of it random), and never sooner than the server's
``Retry-After``.
"""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

MAX_BODY = 50 * 1024 * 1024
"""Bytes: a payload larger than this is refused (a provider's match is a few MB at most)."""

MAX_RETRY_AFTER = 600.0
"""Seconds: the longest ``Retry-After`` honoured as given (longer ones wait this long)."""

USER_AGENT = "livetext-poll/0.1 (+https://github.com/livetext)"
RETRY_STATUSES = frozenset({408, 425, 429})


class FetchError(Exception):
    """A fault worth another try; ``str()`` says what happened, for the status line."""

    def __init__(
        self, reason: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(reason)
        self.status = status
        self.retry_after = retry_after


class FatalFetchError(Exception):
    """A fault another try will not mend (a wrong URL, a 404)."""


@dataclass(frozen=True, slots=True)
class Fetched:
    """A response: ``body`` (``None`` for 304 Not Modified) and its validators."""

    status: int
    body: bytes | None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher:
    """GETs one URL again and again (one connection pool, kept alive)."""

    def __init__(
        self, url: str, timeout: float, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise FatalFetchError(f"{url}: not a URL ({exc})") from None
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise FatalFetchError(f"{url}: not an http(s) URL")
        self.url = url
        self.timeout = timeout
        self.etag: str | None = None
        self.last_modified: str | None = None
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json, text/*;q=0.9"},
            transport=transport,
        )

    def fetch(self) -> Fetched:
        """One GET; raises :class:`FetchError` or :class:`FatalFetchError`."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        try:
            with self._client.stream("GET", self.url, headers=headers) as response:
                status = response.status_code
                if status == 304:
                    return Fetched(304, None, self.etag, self.last_modified)
                if status in RETRY_STATUSES or status >= 500:
                    raise FetchError(
                        f"HTTP {status} {response.reason_phrase}".strip(),
                        status=status,
                        retry_after=retry_after(response.headers.get("Retry-After")),
                    )
                if status >= 400 or status < 200:
                    raise FatalFetchError(
                        f"{self.url}: HTTP {status} {response.reason_phrase}".strip()
                    )
                body = _read_body(response)
                return Fetched(
                    status,
                    body,
                    response.headers.get("ETag"),
                    response.headers.get("Last-Modified"),
                )
        except httpx.TimeoutException:
            raise FetchError(f"no answer within {self.timeout:g} s") from None
        except httpx.RemoteProtocolError as exc:
            raise FetchError(f"the answer was cut off ({_reason(exc)})") from None
        except httpx.TransportError as exc:
            raise FetchError(f"network error ({_reason(exc)})") from None

    def remember(self, fetched: Fetched) -> None:
        """Send this response's validators from now on (its body read cleanly)."""
        if fetched.not_modified:
            return
        self.etag, self.last_modified = fetched.etag, fetched.last_modified

    def forget(self) -> None:
        """Ask for the whole body next time."""
        self.etag = self.last_modified = None

    def close(self) -> None:
        self._client.close()


def _read_body(response: httpx.Response) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY:
        raise FatalFetchError(f"{response.url}: a payload of {declared} bytes (limit {MAX_BODY})")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_BODY:
            raise FatalFetchError(f"{response.url}: a payload over {MAX_BODY} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delay-seconds or an HTTP date), capped at
    ``MAX_RETRY_AFTER``; ``None`` when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = when.timestamp() - (time.time() if now is None else now)
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


class Backoff:
    """The wait before the next try after ``n`` faults in a row (:meth:`failed`); a
    success (:meth:`reset`) starts again from ``base``."""

    def __init__(self, base: float, cap: float, rng: random.Random | None = None) -> None:
        if base <= 0 or cap < base:
            raise ValueError("the backoff needs 0 < base <= cap")
        self.base, self.cap = base, cap
        self.failures = 0
        self._rng = rng or random.Random()

    def failed(self, retry_after: float | None = None) -> float:
        """Seconds to wait after one more fault (at least ``retry_after``)."""
        self.failures += 1
        step = min(self.cap, self.base * 2.0 ** min(self.failures - 1, 30))
        wait = step / 2 + self._rng.uniform(0, step / 2)
        return max(wait, retry_after or 0.0)

    def reset(self) -> None:
        self.failures = 0


def wall_clock(at: float) -> str:
    """``HH:MM:SS`` of a ``time.time()`` instant, local time."""
    return datetime.fromtimestamp(at).strftime("%H:%M:%S")
