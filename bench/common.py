"""Shared bench helpers: the real lines, a best-of timer, a small table printer."""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from pathlib import Path

DEV_CSV = (
    Path(__file__).resolve().parents[1]
    / ".."
    / "shared"
    / "data"
    / "kaggle-events-dev"
    / "events_dev.csv"
)
EXAMPLE_LINES = Path(__file__).resolve().parents[1] / "examples" / "lines-example.txt"


PACKAGES = ("events", "stream", "projections", "replay", "bench")


def compiled() -> None:
    """Byte-compile the project's packages, as an installed package is (pip compiles it
    at install; Python writes the caches at a first run unless PYTHONDONTWRITEBYTECODE is
    set, as it is on the machine these benches were written on): a whole-process bench
    times a command as a user runs it, not the compiling of its sources at every start
    (~0.1 s), which the baselines' installed libraries never pay."""
    import compileall

    root = Path(__file__).resolve().parents[1]
    for package in PACKAGES:
        compileall.compile_dir(root / package, quiet=2)


def dev_rows() -> list[dict[str, str]]:
    """The labelled dev lines (needs ../shared beside the repo)."""
    with DEV_CSV.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def best_of(
    fn: Callable[[], object], repeat: int = 5, clock: Callable[[], float] = time.perf_counter
) -> float:
    """The fastest of ``repeat`` runs, in seconds of ``clock`` (wall time by default;
    ``time.process_time`` for this process's CPU): the least disturbed by a noisy machine."""
    best = float("inf")
    for _ in range(repeat):
        start = clock()
        fn()
        best = min(best, clock() - start)
    return best


def table(rows: list[tuple[str, ...]]) -> str:
    """Rows of cells as an aligned plain-text table (first row is the header)."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


ESPN = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "espn-worldcup-dev"
"""The ESPN dev matches (whole-process ingest benches build their files from them)."""


def match_lines(path: Path) -> list[str]:
    """An ESPN match's commentary as plain lines: ``45+2' text``, or the text alone."""
    import orjson

    from events.clock import MatchClock

    data = orjson.loads(path.read_bytes())
    summary = data.get("summary", data)
    out = []
    for entry in sorted(summary.get("commentary", []), key=lambda e: e["sequence"]):
        text = " ".join(entry["text"].split())
        shown = (entry.get("time") or {}).get("displayValue") or ""
        out.append(f"{MatchClock.parse(shown).label} {text}" if shown else text)
    return out


def build_files(folder: Path, count: int) -> tuple[list[Path], int]:
    """``count`` match files in ``folder`` (``m0001.txt``...: the stem is the match id);
    and how many lines they hold."""
    matches = [match_lines(p) for p in sorted(ESPN.glob("*.json"))]
    folder.mkdir(parents=True, exist_ok=True)
    paths, total = [], 0
    for i in range(count):
        lines = matches[i % len(matches)]
        path = folder / f"m{i + 1:04d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
        total += len(lines)
    return paths, total
