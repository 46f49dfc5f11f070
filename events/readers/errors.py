"""The one error every reader raises: it names the input and the line."""

from __future__ import annotations


class SourceError(ValueError):
    """A source that cannot be read: ``str()`` is ``"<path>:<line>: <message>"``.

    ``line`` is 1-based; 0 means the file as a whole (it cannot be opened).
    """

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message
