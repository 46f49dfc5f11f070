"""A writer process for the durability tests: appends batches to a SQLite store forever
(or ``--batches`` times) and prints ``ACK <tag> <batch> <size> <last seq>`` after each
acknowledged append.  Each event's text is ``<tag> b<batch> e<i>/<size>``.

Run: ``python -m tests.stream.writer PATH MATCH TAG [--batches N] [--seed S] [--wait] [--pause SECONDS]``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from events.clock import MatchClock
from events.models import Unrecognised
from stream.sqlite import SqliteStore
from stream.store import ConcurrencyError


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("match")
    parser.add_argument("tag")
    parser.add_argument("--batches", type=int, default=0, help="0: until killed")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--wait", action="store_true", help="print READY, wait for a stdin line")
    parser.add_argument("--pause", type=float, default=0.0, help="seconds between batches")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    store = SqliteStore(args.path)
    if args.wait:
        print("READY", flush=True)
        sys.stdin.readline()
    batch = 0
    while not args.batches or batch < args.batches:
        size = rng.randint(2, 12)
        minute = rng.randint(1, 90)
        events = [
            Unrecognised(text=f"{args.tag} b{batch} e{i}/{size}", clock=MatchClock.of(minute))
            for i in range(size)
        ]
        # Optimistic concurrency as a live writer does it: read the head, append, retry.
        while True:
            try:
                result = store.append(args.match, events, expected_seq=store.last_seq(args.match))
                break
            except ConcurrencyError:
                continue
        print(f"ACK {args.tag} {batch} {size} {result.last_seq}", flush=True)
        batch += 1
        time.sleep(args.pause)
    store.close()


if __name__ == "__main__":
    main(sys.argv[1:])
