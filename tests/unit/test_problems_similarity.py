"""Title similarity: normalisation, the Jaccard threshold, and the pairs search that must
find what comparing every pair finds."""

from __future__ import annotations

import itertools
import random

import pytest

from itsm_as_code.problems.similarity import similar, similar_pairs, words


def test_titles_become_normalised_words() -> None:
    assert words("Webhook delivery DELAYED by up to 20 minutes") == {
        "webhook", "delivery", "delay", "<n>", "minute"}
    assert words("db-01.prod.example.com unreachable from 10.0.0.12, error 0xdeadbeef") == {
        "<host>", "unreachable", "error", "<n>"}
    assert words("See https://status.example.com/x for INC-0042") == {"see", "<host>", "inc",
                                                                        "<n>"}


@pytest.mark.parametrize(("left", "right", "expected"), [
    # Only numbers, ids and host names differ: the same title.
    ("Settlement reports missing for 6 October", "Settlement reports missing for 20 November",
     True),
    ("Disk full on db-01.example.com", "Disk full on db-02.example.com", True),
    # Exactly half of the union shared (3 of 6): similar; 3 of 7: not.
    ("Webhook delivery delayed for some merchants", "Webhook delivery delayed by 20 minutes",
     True),
    ("Webhook delivery delayed for some merchants", "Webhook delivery delayed, retry queue "
     "growing", False),
    ("Card refunds stuck in pending state", "Webhook delivery delayed", False),
    # Stop words alone make nothing similar, and empty titles are never similar.
    ("The of and", "the of and", False),
    ("", "", False),
])
def test_similar_titles(left: str, right: str, expected: bool) -> None:
    assert similar(words(left), words(right)) is expected


def test_the_pairs_search_finds_what_comparing_every_pair_finds() -> None:
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(12)]
    sets = list({frozenset(rng.sample(vocabulary, rng.randint(1, 6))) for _ in range(300)})
    everything = {(i, j) for i, j in itertools.combinations(range(len(sets)), 2)
                  if similar(sets[i], sets[j])}
    found = set(similar_pairs(sets))
    assert found == everything
    assert everything  # the sample has similar pairs to find


def test_the_pairs_search_skips_empty_sets() -> None:
    assert list(similar_pairs([frozenset(), frozenset({"a"}), frozenset({"a"})])) == [(1, 2)]
