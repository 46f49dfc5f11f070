"""A writer process for the durability tests: appends batches to a SQLite store forever
(or ``--batches`` times) and prints ``ACK <tag> <batch> <size> <last seq>`` after each
acknowledged append.  Each event's text is ``<tag> b<batch> e<i>/<size>``.  With
``--each`` each batch is a source of a new match ``<MATCH>-<tag>-<batch>``, appended by
``append_each`` as an ingest does.  ``--durability normal`` opens the store in that mode.

Run: ``python -m tests.stream.writer PATH MATCH TAG [--batches N] [--seed S] [--wait]
[--pause SECONDS] [--each] [--durability full|normal]``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator

from events.clock import MatchClock
from events.models import EventBase, Unrecognised
from stream.sqlite import SqliteStore
from stream.store import Append, Batch, ConcurrencyError


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("match")
    parser.add_argument("tag")
    parser.add_argument("--batches", type=int, default=0, help="0: until killed")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--wait", action="store_true", help="print READY, wait for a stdin line")
    parser.add_argument("--pause", type=float, default=0.0, help="seconds between batches")
    parser.add_argument("--each", action="store_true", help="a new match a batch, append_each")
    parser.add_argument("--durability", choices=["full", "normal"], default="full")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    store = SqliteStore(args.path, durability=args.durability)
    if args.wait:
        print("READY", flush=True)
        sys.stdin.readline()
    if args.each:
        for (batch, size), (result,) in store.append_each(sources(args, rng)):
            print(f"ACK {args.tag} {batch} {size} {result.last_seq}", flush=True)
            time.sleep(args.pause)
        store.close()
        return
    batch = 0
    while not args.batches or batch < args.batches:
        events = batch_events(args.tag, batch, rng)
        size = len(events)
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


def batch_events(tag: str, batch: int, rng: random.Random) -> list[EventBase]:
    size = rng.randint(2, 12)
    minute = rng.randint(1, 90)
    return [
        Unrecognised(text=f"{tag} b{batch} e{i}/{size}", clock=MatchClock.of(minute))
        for i in range(size)
    ]


def sources(args: argparse.Namespace, rng: random.Random) -> Iterator[Append[tuple[int, int]]]:
    batch = 0
    while not args.batches or batch < args.batches:
        events = batch_events(args.tag, batch, rng)
        match_id = f"{args.match}-{args.tag}-{batch}"
        yield Append((batch, len(events)), [Batch(match_id, events, None, True)])
        batch += 1


if __name__ == "__main__":
    main(sys.argv[1:])
