"""The web page of a match: a JSON API, the pages, live updates (``livetext serve``)."""

from replay.web.app import create_app

__all__ = ["create_app"]
