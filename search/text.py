"""Text analysis shared by every backend: Chinese segmentation, standard codes, query terms, highlighting.

Chinese has no spaces. Documents are indexed under jieba's precise words and every dictionary word in the text
(full mode: "气动阀门" gives 气动阀 and 阀门), so "试验机" is found by "试验"; queries are cut in precise mode,
each word split into the dictionary words it is made of (`tiles`). jieba's dictionary is extended with the
domain's terms (search.dictionary). Standard codes ("GB/T 228.1-2021", "ISO 6892-1:2019") are normalised to
lowercase alphanumerics ("gbt2281", plus "gbt22812021" with the year), so "GB/T 228.1", "gb/t228.1" and the
code inside a sentence all meet on one token.
"""

import html
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

import jieba

from .dictionary import WORDS, digest

jieba.setLogLevel(logging.WARNING)
if WORDS.exists():
    jieba.load_userdict(str(WORDS))  # the domain dictionary: standard-title terms, category and field names

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+#-]*[A-Za-z0-9+#]|[A-Za-z0-9]")
_TERM = re.compile(f"{_CJK.pattern}|{_WORD.pattern}")  # a Chinese run or an English word, whichever comes first
# Issuers recognised in any letter case ("gb/t228.1", "iso 6892"); other issuers must be written in capitals.
_KNOWN_ISSUERS = (
    "gjb|gb|iso|iec|astm|din|jis|jjg|jjf|jb|hg|sn|yy|qc|nb|dl|sj|hj|ul|sae|asme|ieee|bs|en|tb|yb|qb|fz|sh|cb|mh"
)
# A code: an issuer ("GB/T", "ISO"), a number with parts ("228.1", "61000-4-2", "E8M"), optionally a combined
# alternative ("E8/E8M") and a year ("-2021", ":2019", ASTM's "-19").
_CODE = re.compile(
    r"(?<![A-Za-z0-9])(?P<issuer>[A-Z]{2,6}(?:\s*/\s*[A-Z]{1,2})?|[A-Za-z]{2,6}\s*/\s*[A-Za-z]{1,2}"
    rf"|(?i:{_KNOWN_ISSUERS})(?:\s*/\s*[A-Za-z]{{1,2}})?)\s*"
    r"(?P<number>[A-Za-z]?\d+(?:\.\d+|-(?!(?:19|20)\d{2}(?!\d))\d+)*[A-Za-z]?)"
    r"(?:/(?P<alt>[A-Za-z]?\d+[A-Za-z]?))?"
    r"(?:[-:](?P<year>(?:19|20)\d{2}))?(?![\d.])"
)
_PART = re.compile(r"[.-]")
# Dashes and hyphens people paste from documents: en dash, em dash, minus, full-width hyphen-minus...
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63", "-"))
# Part of every document's fingerprint: raise it when indexing changes (tokens, weights), and the nightly
# reconciliation re-indexes every document with the new analysis.
ANALYSIS_VERSION = "4." + digest()
_STEM_SUFFIXES = ("ings", "ing", "ies", "es", "ed", "s")
# Terms of one query beyond this are ignored: 200 distinct Chinese characters made SQLite's expression
# tree too deep ("Expression tree is too large") and every term costs a condition on every backend.
MAX_QUERY_TERMS = 16
# Words that carry no meaning in a query; PostgreSQL's english config drops them too.
CJK_STOPWORDS = frozenset({"的", "和", "与", "及", "或", "之"})
MAX_JOINED = 4  # a single character joins the word before it only while that word is shorter than this
STOPWORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on", "or", "the"}
    | {"to", "with"}
)


def fold(text: str) -> str:
    """Full-width forms to ASCII (NFKC: "ＧＢ／Ｔ２２８．１" -> "GB/T228.1", "：" -> ":") and every dash to "-"."""
    return unicodedata.normalize("NFKC", text).translate(_DASHES)


def group_key(title: str) -> str:
    """Titles of the same test, however spaced, punctuated or cased ("金属材料 拉伸试验（室温）" and
    "金属材料拉伸试验(室温)"): letters and digits only, lowercased, at most 200 characters."""
    return "".join(c for c in fold(title).lower() if c.isalnum())[:200]


def normalise_code(code: str) -> str:
    """Lowercase alphanumerics of a code: "GB/T 228.1-2021" -> "gbt22812021"."""
    return re.sub(r"[^0-9a-z]", "", fold(code).lower())


@dataclass(frozen=True)
class CodeMatch:
    base: str  # "gbt2281": issuer and number, the token a query requires
    full: str  # "gbt22812021": with the year (== base when undated), a ranking signal in queries
    start: int
    end: int
    variants: tuple[str, ...] = ()  # further index tokens: "gb2281" (issuer without /T), families "gbt228"
    alternative: bool = False  # the "E8M" of "ASTM E8/E8M"

    @property
    def tokens(self) -> list[str]:
        """What a document mentioning this code is indexed under."""
        return list(dict.fromkeys([self.base, self.full, *self.variants]))


def _families(number: str) -> list[str]:
    """The number's shorter forms a user may search for: parts dropped ("61000-4-2" -> "61000-4", "61000"),
    a trailing letter dropped ("E8M" -> "E8")."""
    forms = []
    if number[-1:].isalpha() and number[:-1][-1:].isdigit():
        forms.append(number[:-1])
    cuts = [m.start() for m in _PART.finditer(number)]
    forms += [number[:cut] for cut in reversed(cuts)]
    return forms


def _code_match(issuer: str, number: str, year: str, start: int, end: int, alternative: bool) -> CodeMatch:
    main_issuer = issuer.split("/")[0]
    issuers = [issuer] + ([main_issuer] if main_issuer != issuer else [])
    numbers = [number, *_families(number)]
    base = normalise_code(issuer + number)
    variants = [normalise_code(i + n) for i in issuers for n in numbers]
    return CodeMatch(base, base + year, start, end, tuple(v for v in variants if v != base), alternative)


def find_codes(text: str) -> list[CodeMatch]:
    """Standard codes mentioned in a text, as users write them: any case, spaces or none, any dash, with a
    different year or none, a family without its part, combined codes ("ASTM E8/E8M": both)."""
    text = fold(text)
    found = []
    for m in _CODE.finditer(text):
        issuer, number, year = m["issuer"], m["number"], m["year"] or ""
        if not year and issuer.upper() == "ASTM" and re.search(r"-\d{2}$", number):  # ASTM's two-digit years
            number, year = number[:-3], number[-2:]
        found.append(_code_match(issuer, number, year, m.start(), m.end(), alternative=False))
        if m["alt"]:
            found.append(_code_match(issuer, m["alt"], year, m.start(), m.end(), alternative=True))
    return found


def code_tokens(codes: list[str]) -> list[str]:
    """Index tokens of a list of standard codes: each code's base, dated and variant tokens."""
    tokens: list[str] = []
    for code in codes:
        matches = find_codes(code)
        if not matches:
            tokens.append(normalise_code(code))
        for m in matches:
            tokens.extend(m.tokens)
    return [t for t in dict.fromkeys(tokens) if t]


def strip_codes(text: str) -> str:
    return _CODE.sub(" ", fold(text))


def dictionary_parts(word: str) -> list[str]:
    """The dictionary words inside a longer word ("布氏硬度试验" -> 布氏硬度, 硬度, 试验), longest first at each
    position; jieba's search-engine mode would only look at 2- and 3-character parts."""
    freq = jieba.dt.FREQ
    return [
        word[i : i + n]
        for i in range(len(word))
        for n in range(len(word) - i, 1, -1)
        if n < len(word) and freq.get(word[i : i + n])
    ]


def cjk_tokens(text: str, *, for_query: bool = False) -> list[str]:
    """jieba words of the Chinese runs of a text: for queries the precise words; for documents the precise
    words, then the dictionary-only cut where it differs (characters jieba does not know one by one, in order:
    what `unknown_word_pieces` of a query word are matched against, as a phrase), then every dictionary word in
    the text (full mode)."""
    tokens: list[str] = []
    for run in _CJK.findall(text):
        precise = [w for w in jieba.cut(run) if w.strip()]
        tokens.extend(precise)
        if not for_query:
            dictionary_only = [w for w in jieba.cut(run, HMM=False) if w.strip()]
            tokens.extend(dictionary_only if dictionary_only != precise else [])
            tokens.extend(w for w in jieba.cut(run, cut_all=True) if len(w) > 1)
    return tokens


def unknown_word_pieces(word: str) -> list[str]:
    """A Chinese word that is in no dictionary (jieba's HMM made it up, or a query joined it: 铍铜, 多溴) as its
    dictionary-only pieces (铍 / 铜). jieba's HMM cuts unknown characters differently in different contexts (耐电 /
    痕化 in one title, 电痕化 in the next), so an engine matching whole words must also look for these pieces
    side by side. Empty for dictionary words and single characters."""
    if len(word) < 2:
        return []
    jieba.dt.check_initialized()
    if jieba.dt.FREQ.get(word):
        return []
    pieces = [w for w in jieba.cut(word, HMM=False) if w.strip()]
    return pieces if len(pieces) > 1 else []


def latin_text(text: str) -> str:
    """The text with Chinese runs and codes removed: what the English analyser should see."""
    return _CJK.sub(" ", strip_codes(text))


def latin_words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(latin_text(text))]


def crude_stem(word: str) -> str:
    """A suffix-stripping stem for substring matching where no real stemmer runs (SQLite, highlighting)."""
    for suffix in _STEM_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


# Words naming the kind of work rather than the subject ("拉伸试验": the subject is 拉伸): optional in a query
# that has other words, where they only rank the services that contain them first.
GENERIC_WORDS = frozenset(
    {"试验", "检测", "测定", "测试", "检验", "test", "tests", "testing", "determination", "determinations"}
)


@dataclass(frozen=True)
class Token:
    kind: str  # "code" | "cjk" | "latin"
    text: str  # normalised code, jieba word, lowercased English word


Form = tuple[Token, ...]  # words that must all occur: one way of saying a query term


@dataclass(frozen=True)
class Term:
    """One word (or code) of a query: a document matches it when it contains one of its forms (the word as
    typed, split into its dictionary words, then its synonyms). Optional terms only rank."""

    text: str  # as the user wrote it (normalised for codes)
    forms: tuple[Form, ...]
    optional: bool = False
    corrected: str = ""  # the known word an unknown English word stands for as well (typo tolerance)

    @property
    def tokens(self) -> tuple[Token, ...]:
        return tuple(dict.fromkeys(t for form in self.forms for t in form))


@dataclass(frozen=True)
class QueryTerms:
    """What a free-text query asks for: every required term must match, optional ones rank."""

    terms: tuple[Term, ...] = ()
    ranking_codes: tuple[str, ...] = ()  # dated codes and combined alternatives: rank first, required by none

    @property
    def required(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.optional)

    @property
    def optional(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.optional)

    @property
    def codes(self) -> tuple[str, ...]:
        """The normalised codes the query requires."""
        return tuple(t.text for t in self.terms if t.forms[0][0].kind == "code")

    @property
    def is_empty(self) -> bool:
        return not self.terms

    @property
    def corrections(self) -> tuple[tuple[str, str], ...]:
        """(typed, meant) for each word typo tolerance also searched for."""
        return tuple((t.text, t.corrected) for t in self.terms if t.corrected)

    @property
    def all(self) -> tuple[str, ...]:
        """Each term as written, codes first: what the no-results fallback tries one by one."""
        codes = self.codes
        return codes + tuple(t.text for t in self.terms if t.text not in codes)


class Synonyms:
    """Groups of interchangeable words ("寿命, 耐久", "salt spray, salt mist"), looked up by any member."""

    MAX_WORDS = 4  # longest member, in query words

    def __init__(self, groups: Iterable[Iterable[str]] = ()):
        self._groups: dict[str, tuple[str, ...]] = {}
        for group in groups:
            members = tuple(dict.fromkeys(m for m in (_synonym_key(w) for w in group) if m))
            if len(members) > 1:
                for member in members:
                    self._groups[member] = tuple(dict.fromkeys(self._groups.get(member, ()) + members))

    def __bool__(self) -> bool:
        return bool(self._groups)

    def of(self, word: str) -> tuple[str, ...]:
        """The other members of the word's groups."""
        key = _synonym_key(word)
        return tuple(m for m in self._groups.get(key, ()) if m != key)

    def __contains__(self, word: str) -> bool:
        return _synonym_key(word) in self._groups


class Spelling:
    """What an unknown Latin-letter query word was probably meant to be: a Chinese word of the catalog typed in
    pinyin ("lashen" -> 拉伸, "yanwushiyan" -> 盐雾试验), or a known English word ("tensle" -> "tensile").

    `english`: the English words of the catalog's titles with how many services use each. English candidates
    come from a table of every known word with one letter deleted (symmetric deletion: one lookup per deletion
    of the typed word finds every word one insertion, deletion, substitution or swap away), checked with the
    real edit distance; the most used one wins. Short words (under `MIN_LENGTH`) are never corrected: too many
    real words are one letter apart.
    `pinyin`: toneless pinyin -> the Chinese words of the catalog's titles that read so, most used first. A typed
    word is read as pinyin when it is exactly such a reading or a run of at most `MAX_PINYIN_WORDS` of them."""

    MIN_LENGTH = 5
    MIN_PINYIN_LENGTH = 4
    MAX_PINYIN_WORDS = 4

    def __init__(self, english: Mapping[str, int] | None = None, pinyin: Mapping[str, Iterable[str]] | None = None):
        self._counts = dict(english or {})
        self._pinyin = {key: tuple(words) for key, words in (pinyin or {}).items() if len(key) >= 2}
        self._by_deletion: dict[str, list[str]] = {}
        for word in self._counts:
            if len(word) >= self.MIN_LENGTH - 1:
                for key in _with_deletions(word):
                    self._by_deletion.setdefault(key, []).append(word)

    def __bool__(self) -> bool:
        return bool(self._counts or self._pinyin)

    def correct(self, word: str) -> str | None:
        """The word meant by an unknown one (Chinese for pinyin); None for known, short, or hopeless words."""
        if word in self._counts or not word.isascii() or not word.isalpha():
            return None
        return self._chinese(word) or self._english(word)

    def _english(self, word: str) -> str | None:
        if len(word) < self.MIN_LENGTH:
            return None
        candidates = {c for key in _with_deletions(word) for c in self._by_deletion.get(key, ())}
        close = [c for c in candidates if edit_distance(word, c) <= 1]
        return max(close, key=lambda c: (self._counts[c], c), default=None)

    def _chinese(self, word: str) -> str | None:
        """The most used reading of pinyin split into the fewest known readings ("yanwushiyan" -> 盐雾试验)."""
        if len(word) < self.MIN_PINYIN_LENGTH or not self._pinyin:
            return None
        best: list[list[str] | None] = [[]] + [None] * len(word)  # best[i]: fewest readings spelling word[:i]
        for end in range(1, len(word) + 1):
            for start in range(end):
                head, known = best[start], word[start:end] in self._pinyin
                if known and head is not None and (best[end] is None or len(head) + 1 < len(best[end] or [])):
                    best[end] = [*head, word[start:end]]
        readings = best[-1]
        if not readings or len(readings) > self.MAX_PINYIN_WORDS:
            return None
        return "".join(self._pinyin[r][0] for r in readings)


def _with_deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            row.append(cost)
        previous2, previous = previous, row
    return previous[-1]


NO_SPELLING = Spelling()


def _synonym_key(word: str) -> str:
    return " ".join(fold(word).lower().split())


NO_SYNONYMS = Synonyms()


def tiles(word: str) -> list[str]:
    """A Chinese word as the fewest dictionary words it is made of ("电磁兼容" -> 电磁, 兼容; "中性盐雾" -> 中性,
    盐雾); the word itself when it cannot be tiled. Documents are indexed under these sub-words too
    (`cjk_tokens`), so a query word split this way still finds the compound and also finds its parts
    written apart."""
    if len(word) <= 2:
        return [word]
    jieba.dt.check_initialized()
    parts = set(dictionary_parts(word))
    best: list[list[str] | None] = [[]] + [None] * len(word)  # best[i]: fewest parts covering word[:i]
    for end in range(2, len(word) + 1):
        for start in range(end - 1):
            before, current = best[start], best[end]
            fewer = current is None or (before is not None and len(before) + 1 < len(current))
            if before is not None and word[start:end] in parts and fewer:
                best[end] = [*before, word[start:end]]
    return best[-1] or [word]


def _query_words(run: str) -> list[str]:
    """The precise words of a Chinese run of a query, a single character joined to the word before it: jieba cuts
    "中性盐雾" as 中性盐 / 雾 in a query but 中性 / 盐雾 inside a document; joined, `tiles` finds the split the
    index has. Connectives (的, 和...) are dropped."""
    words: list[str] = []
    for word in (w for w in jieba.cut(run) if w.strip()):
        if word in CJK_STOPWORDS:
            continue
        if len(word) == 1 and words and len(words[-1]) < MAX_JOINED:
            words[-1] += word
        else:
            words.append(word)
    return words


def _cjk_form(text: str) -> list[str]:
    return [tile for word in _query_words(text) for tile in _split(word)]


def _split(word: str) -> list[str]:
    """A query word's tiles; a joined word that cannot be tiled falls back to jieba's own pieces."""
    pieces = tiles(word)
    if pieces == [word] and len(word) > 2:
        return [w for w in jieba.cut(word, HMM=False) if w.strip()]
    return pieces


def _form(text: str) -> Form:
    """The tokens of a written word or phrase (a synonym): codes, tiled Chinese words, English words."""
    text = fold(text)
    tokens = [Token("code", c.base) for c in find_codes(text) if not c.alternative]
    blanked = _CODE.sub(" ", text)
    for m in _TERM.finditer(blanked):
        if _CJK_CHAR.match(m.group()):
            tokens += [Token("cjk", t) for t in _cjk_form(m.group())]
        elif (word := m.group().lower()) not in STOPWORDS:
            tokens.append(Token("latin", word))
    return tuple(dict.fromkeys(tokens))


def _raw_terms(text: str) -> Iterator[tuple[str, str]]:
    """(kind, word) of a query in the order they appear: codes, jieba words of Chinese runs, English words;
    "rank" words (a code's year, the second code of "E8/E8M") only order the results."""
    text = fold(text)
    codes = find_codes(text)
    blanked = _CODE.sub(lambda m: " " * len(m.group()), text)  # codes out, positions kept
    pending = iter(codes)
    code = next(pending, None)
    for m in _TERM.finditer(blanked):
        while code is not None and code.start < m.start():
            yield from _code_terms(code)
            code = next(pending, None)
        if _CJK_CHAR.match(m.group()):
            yield from (("cjk", t) for t in _query_words(m.group()))
        elif (word := m.group().lower()) not in STOPWORDS:
            yield "latin", word
    while code is not None:
        yield from _code_terms(code)
        code = next(pending, None)


def _code_terms(code: CodeMatch) -> Iterator[tuple[str, str]]:
    if not code.alternative:
        yield "code", code.base
    yield from (("rank", t) for t in dict.fromkeys([code.full, code.base]) if t != code.base or code.alternative)


def _join_phrases(raw: list[tuple[str, str]], synonyms: Synonyms) -> list[tuple[str, str]]:
    """Consecutive words that together are a synonym group member ("salt spray", 钝化+处理) become one term."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(raw):
        kind = raw[i][0]
        if kind in ("cjk", "latin") and synonyms:
            joiner = "" if kind == "cjk" else " "
            for n in range(Synonyms.MAX_WORDS, 1, -1):
                run = raw[i : i + n]
                if len(run) == n and all(k == kind for k, _w in run):
                    phrase = joiner.join(w for _k, w in run)
                    if phrase in synonyms:
                        out.append((kind, phrase))
                        i += n
                        break
            else:
                out.append(raw[i])
                i += 1
            continue
        out.append(raw[i])
        i += 1
    return out


def _term(kind: str, word: str, synonyms: Synonyms, spelling: Spelling) -> list[Term]:
    """The term of one query word, plus an optional term per generic word split off a Chinese compound
    ("耐久试验" -> 耐久, and 试验 optional). An unknown English word also stands for the known word it was
    probably meant to be ("tensle": tensle or tensile)."""
    if kind == "code":
        return [Term(word, ((Token("code", word),),))]
    optional = word in GENERIC_WORDS
    own: Form = tuple(Token("cjk", t) for t in _split(word)) if kind == "cjk" else _form(word)
    split_off: list[Term] = []
    if kind == "cjk" and not optional and len(own) > 1:
        generic = [t for t in own if t.text in GENERIC_WORDS]
        if generic and len(generic) < len(own):
            own = tuple(t for t in own if t.text not in GENERIC_WORDS)
            split_off = [Term(t.text, ((t,),), optional=True) for t in generic]
    corrected = spelling.correct(word) if kind == "latin" else None
    if corrected and all(t.text in GENERIC_WORDS for t in _form(corrected)):
        optional = True  # "shiyan" read as 试验: as optional as the word itself
    forms = [own, *(_form(w) for w in ([corrected] if corrected else [])), *(_form(s) for s in synonyms.of(word))]
    return [Term(word, tuple(dict.fromkeys(f for f in forms if f)), optional, corrected or ""), *split_off]


def parse_query(
    text: str, limit: int = MAX_QUERY_TERMS, synonyms: Synonyms = NO_SYNONYMS, spelling: Spelling = NO_SPELLING
) -> QueryTerms:
    """The distinct terms of a query, the first `limit` of them in the order they appear.

    Every term becomes a condition (and on SQLite several) of one query expression: the limit bounds
    its size and cost on every backend, as search engines ignore words past a limit of their own.
    Generic test words are optional unless the query has nothing else.
    """
    raw = _join_phrases(list(_raw_terms(text)), synonyms)
    terms: dict[str, Term] = {}
    ranking: dict[str, None] = {}
    for kind, word in raw:
        if kind == "rank":
            ranking.setdefault(word)
            continue
        for term in _term(kind, word, synonyms, spelling):
            if len(terms) >= limit:
                break
            terms.setdefault(term.text, term)
    found = list(terms.values())
    if found and all(t.optional for t in found):
        found = [replace(t, optional=False) for t in found]
    return QueryTerms(terms=tuple(found), ranking_codes=tuple(ranking))


def _code_pattern(code: str) -> str:
    return r"[\s/.:-]*".join(re.escape(c) for c in code)


def highlight_pattern(terms: QueryTerms) -> re.Pattern[str] | None:
    """One case-insensitive regex matching every word of every term (synonyms included) as it may appear."""
    parts = []
    for token in (t for term in terms.terms for t in term.tokens):
        if token.kind == "code":
            parts.append(_code_pattern(token.text))
        elif token.kind == "cjk":
            parts.append(re.escape(token.text))
        else:
            parts.append(r"\b" + r"\s+".join(re.escape(crude_stem(w)) for w in token.text.split()) + r"\w*")
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return re.compile("|".join(parts), re.IGNORECASE)


def highlight(text: str, pattern: re.Pattern[str] | None) -> str:
    """HTML-escaped text with every match wrapped in <mark>."""
    if pattern is None:
        return html.escape(text)
    out, last = [], 0
    for m in pattern.finditer(text):
        if m.end() == m.start():
            continue
        out.append(html.escape(text[last : m.start()]))
        out.append(f"<mark>{html.escape(m.group())}</mark>")
        last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def snippet(texts: list[str], pattern: re.Pattern[str] | None, width: int = 120) -> str:
    """A highlighted window of about `width` characters around the first match in the first matching text (the
    start of the first text when nothing matches), cut between words: never inside an English word, a number or
    a code."""
    texts = [t for t in texts if t]
    if not texts:
        return ""
    text, start, end = texts[0], 0, _word_end(texts[0], width, 0) or width  # one word longer than the width: cut
    for candidate in texts:
        m = pattern.search(candidate) if pattern else None
        if m:
            text = candidate
            start = _word_start(text, max(0, m.start() - width // 3), m.start())
            end = _word_end(text, max(m.end(), start + width), m.end())
            break
    cut = end < len(text)
    return ("…" if start else "") + highlight(_before_ellipsis(text[start:end], cut), pattern) + ("…" if cut else "")


def _before_ellipsis(window: str, cut: bool) -> str:
    """No space or comma just before the ellipsis of a cut text ("2021,…")."""
    return window.rstrip(" ,;:，、；：.-/") if cut else window


def _splits_word(text: str, i: int) -> bool:
    """Whether cutting the text at `i` splits an English word, a number or a code (GB/T 228.1-2021); Chinese may
    be cut anywhere."""
    return 0 < i < len(text) and all(c.isascii() and (c.isalnum() or c in "./-:") for c in text[i - 1 : i + 1])


def _word_start(text: str, i: int, limit: int) -> int:
    """`i`, or the start of the next word when `i` is inside one (at most `limit`: where the match begins)."""
    while i < limit and _splits_word(text, i):
        i += 1
    return min(i, limit) if i < len(text) and not text[i].isspace() else min(i + 1, limit)


def _word_end(text: str, i: int, limit: int) -> int:
    """`i`, or the end of the word before it when `i` is inside one (at least `limit`: where the match ends)."""
    i = min(i, len(text))
    while i > limit and _splits_word(text, i):
        i -= 1
    return i


def has_cjk(text: str) -> bool:
    return bool(_CJK_CHAR.search(text))


def title_for_prefix(zh: str, en: str, prefix: str) -> str:
    """The title in the language a search-box prefix was typed in."""
    if en and not has_cjk(prefix) and prefix.strip().lower() in en.lower():
        return en
    return zh or en
