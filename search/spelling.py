"""The catalog's English vocabulary, as every backend's query parser sees it (typo tolerance: `text.Spelling`).

Built from the English titles of public services and the category and field names, kept in Django's cache for
`TIMEOUT` and rebuilt by the nightly reconciliation task and `search_rebuild`; a worker that finds it missing
builds it once (one grouped count over the public services). Each worker keeps the table of the vocabulary's
current digest in memory, so a search reads one short cache key, not the vocabulary.
"""

import hashlib
from collections import Counter

from django.core.cache import cache

from .text import Spelling, latin_words

WORDS_KEY = "search:vocabulary:v1"
DIGEST_KEY = "search:vocabulary-digest:v1"
TIMEOUT = 24 * 60 * 60  # seconds; the nightly task rebuilds it before that
_tables: dict[str, Spelling] = {}  # this worker's table, by digest


def build() -> dict[str, int]:
    """Each English word of the catalog's names with the number of services whose titles use it."""
    from .documents import english_names

    counts: Counter[str] = Counter()
    for name, services in english_names():
        for word in set(latin_words(name)):
            if word.isalpha() and len(word) > 1:
                counts[word] += services
    return dict(counts)


def refresh() -> int:
    """Rebuild the cached vocabulary now; returns its size."""
    return len(_store(build())[1])


def _store(words: dict[str, int]) -> tuple[str, dict[str, int]]:
    digest = hashlib.blake2b(repr(sorted(words.items())).encode(), digest_size=8).hexdigest()
    cache.set_many({WORDS_KEY: words, DIGEST_KEY: digest}, TIMEOUT)
    return digest, words


def current() -> Spelling:
    """The spelling table of the cached vocabulary (built now if the cache has none)."""
    digest = cache.get(DIGEST_KEY)
    if digest in _tables:
        return _tables[digest]
    words = cache.get(WORDS_KEY) if digest is not None else None
    if words is None:
        digest, words = _store(build())
    _tables.clear()
    _tables[digest] = Spelling(words)
    return _tables[digest]
