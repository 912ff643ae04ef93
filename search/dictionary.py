"""The domain dictionary jieba segments with: terms of standard titles and the catalog's category and field names.

Chinese standard titles separate their elements with spaces and punctuation ("金属材料 布氏硬度试验 第1部分：
试验方法"); the short elements are the field's terms ("布氏硬度试验", "盐雾"), which jieba's general dictionary
splits badly ("维氏硬度" -> 维 / 氏硬度). Elements of 2 to `MAX_WORD` characters become dictionary words, so
documents are indexed under them and under their dictionary sub-words, and queries split into the same words.

`manage.py search_dictionary` rewrites `data/domain_words.txt` from `data/standard_titles.tsv` and the current
categories and fields; `search.text` loads it at import and its digest is part of the analysis version, so a new
dictionary makes the nightly reconciliation re-index every document.
"""

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
TITLES = DATA / "standard_titles.tsv"
WORDS = DATA / "domain_words.txt"
MAX_WORD = 4  # longer elements ("夏比摆锤冲击") are phrases, not words: their parts are in jieba already
_ELEMENT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
# What a title element says about the kind of work, not the subject: "布氏硬度试验" -> the term 布氏硬度.
_KIND = re.compile(r"(?:试验方法|测定方法|方法|试验|检测|测定|测量)$")
_JOINER = re.compile(r"[与和的及或]")  # "可靠性与寿命": two terms
_NOT_A_TERM = re.compile(r"^(?:的|第|部分|要求|技术|代码)")


def title_words(titles: Iterable[str]) -> list[str]:
    """The terms of titles: each Chinese element without a trailing kind-of-work word, 2 to MAX_WORD characters,
    in order of first appearance."""
    words = []
    for title in titles:
        for element in (e for run in _ELEMENT.findall(title) for e in _JOINER.split(run)):
            for word in (element, _KIND.sub("", element)):
                if 2 <= len(word) <= MAX_WORD and not _NOT_A_TERM.match(word):
                    words.append(word)
    return list(dict.fromkeys(words))


def standard_titles() -> list[str]:
    lines = TITLES.read_text(encoding="utf-8").splitlines()
    return [line.split("\t", 1)[1] for line in lines if line.strip() and not line.startswith("#") and "\t" in line]


def build(names: Iterable[str]) -> list[str]:
    """Dictionary words from the standard titles and the given category and field names."""
    return title_words([*standard_titles(), *names])


def digest() -> str:
    """A short digest of the dictionary in use ("" without one)."""
    return hashlib.blake2b(WORDS.read_bytes(), digest_size=4).hexdigest() if WORDS.exists() else ""
