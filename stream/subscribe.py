"""The catch-up-then-live loop every backend's ``subscribe`` runs."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable

from events.models import EventBase

PAGE_SIZE = 500
"""Events read per query while catching up."""


async def tail(
    read_page: Callable[[int, int], list[EventBase]],
    wait: Callable[[], Awaitable[None]],
    from_position: int,
    page_size: int = PAGE_SIZE,
) -> AsyncGenerator[EventBase, None]:
    """Yield events from ``from_position`` page by page; when a page comes back short (the
    reader has caught up), ``await wait()`` (a notification or a poll interval) and read on.

    ``read_page(position, limit)`` returns events in position order.  Ends only when the
    consumer stops (``aclose``) or is cancelled.
    """
    position = from_position
    while True:
        page = read_page(position, page_size)
        for event in page:
            yield event
            position = event.position + 1
        if len(page) < page_size:
            await wait()
