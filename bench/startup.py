"""Whole ``livetext`` processes as a user runs them, next to their baselines in the same run.

Run: ``.venv/bin/python -m bench.startup [--rounds N] [--parse-rounds N]``.

- ``livetext state MATCH --json`` on a store made in a temporary directory from
  ``examples/``, against ``python -c "import pydantic, orjson, sqlite3"``: what any
  command of this stack pays to start.  Goal: at most 6x (3x hoped for).
- ``livetext parse`` of 200,000 real lines (the Kaggle dev lines, repeated; skipped with a
  message when ../shared is absent), output to /dev/null, against a plain script that
  reads the same file and dispatches each line on its first word to one regex (no models,
  no output).  Goal: at most 6x (3x hoped for).  Shown too: ``parse --workers 1`` (one
  process, whatever the cores) and ``parse`` of one line (its start-up, and its share of
  the whole).

The two commands of a pair take turns, round after round, so a change in the machine's
load weighs on both alike; ratios are of the medians (the best rounds' ratio is shown too).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.common import DEV_CSV, compiled, dev_rows, table

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
MATCH = "inter-milan-derby"
PARSE_LINES = 200_000
IMPORT_BASELINE = [sys.executable, "-c", "import pydantic, orjson, sqlite3"]

DISPATCH = r"""
import re
import sys

P, T = r"(?P<player>[^()]+?)", r"\((?P<team>[^()]+)\)"
BY_WORD = {
    "goal!": re.compile(r"^Goal!\s+(?P<home>.+?) (?P<hg>\d+), (?P<away>.+?) (?P<ag>\d+)\. " + P + " " + T + r"(?P<tail>.*)$"),
    "own": re.compile(r"^Own Goal by (?P<player>[^,]+), (?P<rest>.+)$"),
    "attempt": re.compile(r"^Attempt (?P<outcome>\w+)\. " + P + " " + T + r"(?P<tail>.*)$"),
    "corner,": re.compile(r"^Corner,\s*(?P<team>.+?)\.(?: Conceded by (?P<player>.+?)\.)?$"),
    "offside,": re.compile(r"^Offside, (?P<team>.+?)\. (?P<rest>.+?) is caught offside\.$"),
    "foul": re.compile(r"^Foul by " + P + " " + T + r"\.$"),
    "hand": re.compile(r"^Hand ball by " + P + " " + T + r"\.$"),
    "substitution,": re.compile(r"^Substitution, (?P<team>.+?)\. (?P<on>.+?) replaces (?P<off>.+?)\.$"),
    "penalty": re.compile(r"^Penalty (?P<rest>.+)$"),
}
PLAYER_LED = re.compile(
    "^" + P + " " + T + r" (?P<what>wins a free kick|is shown the \w+ card|hits the )(?P<tail>.*)$"
)
matched = 0
with open(sys.argv[1], encoding="utf-8") as lines:
    for line in lines:
        line = line.rstrip("\n")
        if BY_WORD.get(line.split(" ", 1)[0].lower(), PLAYER_LED).match(line):
            matched += 1
"""
"""The parse baseline: first word -> one regex, a count, nothing built, nothing printed."""


def livetext() -> list[str]:
    """The ``livetext`` console script of this interpreter (as a user runs it)."""
    script = Path(sys.executable).parent / "livetext"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from replay.cli import main; sys.exit(main())"]


def run(command: Sequence[str]) -> float:
    """Seconds one process takes, start to exit (its output to /dev/null)."""
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    return time.perf_counter() - start


def turns(commands: Sequence[Sequence[str]], rounds: int) -> list[list[float]]:
    """Each command ``rounds`` times, taking turns, in order then in reverse (after one
    unmeasured warm-up each): their times."""
    for command in commands:
        run(command)
    times: list[list[float]] = [[] for _ in commands]
    order = list(range(len(commands)))
    for i in range(rounds):
        for k in order if i % 2 == 0 else order[::-1]:
            times[k].append(run(commands[k]))
    return times


def pair(
    baseline: Sequence[str], ours: Sequence[str], rounds: int
) -> tuple[list[float], list[float]]:
    """Both commands ``rounds`` times, taking turns (after one unmeasured warm-up each)."""
    base, mine = turns([baseline, ours], rounds)
    return base, mine


def report(name: str, base: list[float], mine: list[float], goal: float, hope: float) -> str:
    ratio = statistics.median(mine) / statistics.median(base)
    best = min(mine) / min(base)
    verdict = "met" if ratio <= goal else "NOT met"
    verdict += f", hope of {hope:g}x {'met' if ratio <= hope else 'not met'}"
    rows: list[tuple[str, ...]] = [
        ("process", "median s", "best s", "ratio (median)", "ratio (best)"),
        (
            "baseline",
            f"{statistics.median(base):.3f}",
            f"{min(base):.3f}",
            "1.00x",
            "1.00x",
        ),
        (
            name,
            f"{statistics.median(mine):.3f}",
            f"{min(mine):.3f}",
            f"{ratio:.2f}x",
            f"{best:.2f}x",
        ),
    ]
    return f"{table(rows)}\ngoal: at most {goal:g}x -> {verdict}"


def bench_state(rounds: int, tmp: Path) -> None:
    store = tmp / "livetext.sqlite"
    sources = sorted(str(p) for p in EXAMPLES.iterdir())
    subprocess.run(
        [*livetext(), "ingest", *sources, "--store", str(store)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    ours = [*livetext(), "state", MATCH, "--json", "--store", str(store)]
    base, mine = pair(IMPORT_BASELINE, ours, rounds)
    print(
        f'\n`livetext state {MATCH} --json` against `python -c "import pydantic, orjson, sqlite3"`,'
        f" {rounds} rounds each, in turns"
    )
    print(report("livetext state --json", base, mine, 6, 3))


def bench_parse(rounds: int, tmp: Path) -> None:
    if not DEV_CSV.is_file():
        print(f"\nlivetext parse: skipped, no real lines at {DEV_CSV} (../shared is absent)")
        return
    texts = [row["text"] for row in dev_rows()]
    lines = (texts * (PARSE_LINES // len(texts) + 1))[:PARSE_LINES]
    data = tmp / "lines.txt"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one = tmp / "one-line.txt"
    one.write_text(texts[0] + "\n", encoding="utf-8")
    script = tmp / "dispatch.py"
    script.write_text(DISPATCH, encoding="utf-8")
    base, mine, single, start = turns(
        [
            [sys.executable, str(script), str(data)],
            [*livetext(), "parse", str(data)],
            [*livetext(), "parse", "--workers", "1", str(data)],
            [*livetext(), "parse", str(one)],
        ],
        rounds,
    )
    print(
        f"\n`livetext parse` of {PARSE_LINES:,} real lines ({len(texts):,} kaggle-events-dev lines"
        f" repeated) against a first-word regex dispatch script, {rounds} rounds each, in turns"
        f" ({_cores()} cores: the default parses a large input with one process per core)"
    )
    print(report("livetext parse", base, mine, 6, 3))
    rows: list[tuple[str, ...]] = [("also measured", "median s", "best s", "ratio (median)")]
    for name, times in (("parse --workers 1", single), ("parse of one line (start-up)", start)):
        ratio = statistics.median(times) / statistics.median(base)
        rows.append((name, f"{statistics.median(times):.3f}", f"{min(times):.3f}", f"{ratio:.2f}x"))
    print(table(rows))
    share = statistics.median(start) / statistics.median(mine)
    print(f"start-up is {share:.0%} of the whole `livetext parse` (medians)")


def _cores() -> int:
    """Cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__)
    parser.add_argument("--rounds", type=int, default=15, help="rounds of the state pair")
    parser.add_argument("--parse-rounds", type=int, default=5, help="rounds of the parse pair")
    parser.add_argument(
        "--only", choices=("state", "parse"), help="run only this pair (default: both)"
    )
    args = parser.parse_args(argv)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load} at the start"
    )
    compiled()
    with tempfile.TemporaryDirectory() as tmp:
        if args.only in (None, "state"):
            bench_state(args.rounds, Path(tmp))
        if args.only in (None, "parse"):
            bench_parse(args.parse_rounds, Path(tmp))
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nload average {load} at the end")


if __name__ == "__main__":
    main()
