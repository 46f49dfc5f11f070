"""The store contract against ``KafkaStore`` on a real broker, where Kafka can keep it.

Not kept (docs/kafka.md): two handles racing on one match can both append; Kafka has no
compare-and-set, and ``expected_seq`` is checked against what each handle has read.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stream.kafka.store import KafkaStore
from stream.kafka.tansu import LocalBroker
from stream.store import EventStore, StoreError
from tests.kafka.conftest import unique
from tests.stream.contract import StoreContract, line, lines

pytestmark = pytest.mark.kafka


class TestKafkaStore(StoreContract):
    @pytest.fixture(autouse=True)
    def _broker(self, broker: LocalBroker) -> None:
        self.url = broker.url
        self.prefix = unique("store")

    def create_store(self, tmp_path: Path) -> EventStore:
        return KafkaStore(self.url, self.prefix)

    def open_again(self, store: EventStore, tmp_path: Path) -> EventStore:
        return KafkaStore(self.url, self.prefix)

    @pytest.mark.skip(reason="Kafka has no compare-and-set: racing handles can both append")
    def test_racing_writers_one_wins_whole(self, store: EventStore, tmp_path: Path) -> None:
        """See the module docstring."""


class TestKafkaStoreOnly:
    def test_a_second_handle_reads_what_the_first_wrote(self, broker: LocalBroker) -> None:
        prefix = unique("store")
        with KafkaStore(broker.url, prefix) as first, KafkaStore(broker.url, prefix) as second:
            recorded = first.append("m", [line("a", "1"), line("b")]).recorded
            first.set_match_info("m", "Inter", "Milan")
            assert second.read("m") == list(recorded)
            assert second.get_meta("m") == {"home": "Inter", "away": "Milan"}
            assert second.append("m", list(recorded)).recorded == ()
            assert second.append("m", lines(1, "more")).last_seq == 3
            assert [e.seq for e in first.read("m")] == [1, 2, 3]

    def test_a_missing_store_is_an_error(self, broker: LocalBroker) -> None:
        with pytest.raises(StoreError, match="does not exist"):
            KafkaStore(broker.url, unique("absent"), create=False)
