"""The catalog's vocabulary, as every backend's query parser sees it (typo tolerance and pinyin: `text.Spelling`).

Built from the titles of public services and the category and field names: their English words, and the
toneless pinyin of their Chinese words. Kept in Django's cache for `TIMEOUT` and rebuilt by the nightly
reconciliation task and `search_rebuild`; a worker that finds it missing builds it once (one grouped count over
the public services: 0.7 s at 1,000,000 services). Each worker keeps the table of the vocabulary's current
digest in memory, so a search reads one short cache key, not the vocabulary.
"""

import hashlib
from collections import Counter
from typing import TypedDict

from django.core.cache import cache
from pypinyin import lazy_pinyin

from .text import GENERIC_WORDS, Spelling, cjk_tokens, latin_words

WORDS_KEY = "search:vocabulary:v2"
DIGEST_KEY = "search:vocabulary-digest:v2"
TIMEOUT = 2 * 24 * 60 * 60  # seconds: two nights, so the nightly task always rebuilds it before it expires
PINYIN_CHOICES = 3  # Chinese words kept per reading (试验, 实验 both read shiyan), most used first
_tables: dict[str, Spelling] = {}  # this worker's table, by digest


class Vocabulary(TypedDict):
    english: dict[str, int]  # word -> services whose titles use it
    pinyin: dict[str, list[str]]  # toneless reading -> Chinese words, most used first


def build() -> Vocabulary:
    from .documents import public_names

    english: Counter[str] = Counter()
    chinese: Counter[str] = Counter()
    for zh, en, services in public_names():
        for word in set(latin_words(en or "")):
            if word.isalpha() and len(word) > 1:
                english[word] += services
        for word in set(cjk_tokens(zh or "")):  # its words and their dictionary parts (拉伸试验, 拉伸, 试验)
            if len(word) > 1:
                chinese[word] += services
    readings: dict[str, list[str]] = {}
    for word, _count in sorted(chinese.items(), key=lambda item: (-item[1], item[0] in GENERIC_WORDS, item[0])):
        choices = readings.setdefault("".join(lazy_pinyin(word)).lower(), [])
        if len(choices) < PINYIN_CHOICES:
            choices.append(word)
    pinyin = {reading: words for reading, words in readings.items() if reading.isascii() and reading.isalpha()}
    return {"english": dict(english), "pinyin": pinyin}


def refresh() -> int:
    """Rebuild the cached vocabulary now; returns its number of English words and pinyin readings."""
    _digest, vocabulary = _store(build())
    return len(vocabulary["english"]) + len(vocabulary["pinyin"])


def _store(vocabulary: Vocabulary) -> tuple[str, Vocabulary]:
    digest = hashlib.blake2b(repr(sorted(vocabulary.items())).encode(), digest_size=8).hexdigest()
    cache.set_many({WORDS_KEY: vocabulary, DIGEST_KEY: digest}, TIMEOUT)
    return digest, vocabulary


def current() -> Spelling:
    """The spelling table of the cached vocabulary (built now if the cache has none)."""
    digest = cache.get(DIGEST_KEY)
    if digest in _tables:
        return _tables[digest]
    vocabulary = cache.get(WORDS_KEY) if digest is not None else None
    if vocabulary is None:
        digest, vocabulary = _store(build())
    _tables.clear()
    _tables[digest] = Spelling(vocabulary["english"], vocabulary["pinyin"])
    return _tables[digest]
