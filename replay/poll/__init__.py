"""``livetext poll URL``: following a match as a provider serves it.

- :mod:`replay.poll.fetch`: one HTTP fetch of the payload (httpx, a timeout, ``ETag`` and
  ``Last-Modified``), its faults sorted into those worth retrying and those not, and the
  backoff between retries (exponential, with jitter, at least ``Retry-After``);
- :mod:`replay.poll.read`: a payload to a :class:`~events.readers.Match` (the readers),
  and whether it says the match is over;
- :mod:`replay.poll.sinks`: where what is new goes: the store (one transaction per
  snapshot) or the Kafka lines topic;
- :mod:`replay.poll.loop`: the snapshot loop (fetch, read, amend, append, report, wait);
- :mod:`replay.poll.status`: the status line and the JSON object of each poll.

Modules import their heavy dependencies (httpx, aiokafka, the projections) where used.
"""
