"""When two incident titles say the same thing: normalised word sets and their overlap.

A title becomes a set of words: lower case; URLs and host names (`db-01.example.com`)
become `<host>`; words holding a digit (numbers, ids, versions, IP addresses, hashes)
become `<n>`; common English words and single letters are dropped; a light suffix strip
makes `delayed`, `delays` and `delay` one word. Two titles are similar when their word
sets overlap by at least half of their union (Jaccard similarity >= 0.5).

Finding every similar pair must not compare every title with every other: identical word
sets are grouped first, and the distinct sets are compared through an inverted index on
their rarest words (prefix filtering: two sets that overlap by half or more must share one
of the first few words of each, in rarest-first order), so the work grows with the number
of titles, not with its square.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from fractions import Fraction

Words = frozenset[str]

SIMILARITY = Fraction(1, 2)
# Only the start of a title counts: titles are one line, at most 200 characters by schema.
MAX_TITLE = 500

_HOST = re.compile(r"\b(?:[a-z][a-z0-9+.-]*://\S+|(?:[a-z0-9-]+\.){2,}[a-z][a-z0-9-]*)")
_WORD = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "been", "being", "but", "by", "for", "from",
    "has", "have", "in", "into", "is", "it", "its", "no", "not", "of", "on", "or", "our",
    "some", "than", "that", "the", "their", "them", "then", "there", "these", "this", "those",
    "to", "up", "was", "were", "when", "which", "while", "will", "with", "after", "before",
    "during", "again", "all", "any", "more", "most", "over", "under", "out", "off", "only",
    "very", "can", "cannot",
})
_SUFFIXES = ("ing", "ed", "s")


def words(title: str) -> Words:
    """The normalised words of a title."""
    text, hosts = _HOST.subn(" ", title[:MAX_TITLE].lower())
    found: set[str] = {"<host>"} if hosts else set()
    for word in _WORD.findall(text):
        if not word.isalpha():  # words are letters and digits: this one holds a digit
            found.add("<n>")
        elif len(word) > 1 and word not in _STOPWORDS:
            found.add(_stem(word))
    return frozenset(found)


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def similar(left: Words, right: Words, at_least: Fraction = SIMILARITY) -> bool:
    """Jaccard similarity of two word sets at or above `at_least` (never for empty sets)."""
    if not left or not right:
        return False
    shared = len(left & right)
    return shared * at_least.denominator >= at_least.numerator * (len(left) + len(right) - shared)


def similar_pairs(sets: Sequence[Words], at_least: Fraction = SIMILARITY
                  ) -> Iterator[tuple[int, int]]:
    """Index pairs `(i, j)`, `i < j`, of distinct word sets that are similar.

    `sets` should hold each word set once (group identical titles before calling).
    """
    frequency: Counter[str] = Counter(word for item in sets for word in item)
    index: defaultdict[str, list[int]] = defaultdict(list)
    for current, item in enumerate(sets):
        if not item:
            continue
        ordered = sorted(item, key=lambda word: (frequency[word], word))
        prefix = ordered[: len(item) - math.ceil(at_least * len(item)) + 1]
        seen: set[int] = set()
        for word in prefix:
            for other in index[word]:
                if other not in seen:
                    seen.add(other)
                    if similar(sets[other], item, at_least):
                        yield other, current
            index[word].append(current)
