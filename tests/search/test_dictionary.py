"""The domain dictionary (search/dictionary.py) and the segmentation that uses it."""

from django.core.management import call_command

from search import dictionary
from search.text import cjk_tokens, parse_query, tiles, unknown_word_pieces
from tests.factories import IndustryFieldFactory, ServiceCategoryFactory


def test_terms_come_from_title_elements_without_the_kind_of_work():
    titles = ["金属材料 布氏硬度试验 第1部分：试验方法", "硫化橡胶或热塑性橡胶 拉伸应力应变性能的测定"]
    words = dictionary.title_words(titles)
    assert {"金属材料", "布氏硬度"} <= set(words)  # "布氏硬度试验" without the kind of work
    assert not {"部分", "第1部分", "试验方法的"} & set(words)
    assert all(2 <= len(w) <= dictionary.MAX_WORD for w in words)


def test_the_shipped_dictionary_keeps_domain_terms_whole():
    assert "维氏硬度" in dictionary.WORDS.read_text(encoding="utf-8").split()
    assert "维氏硬度" in cjk_tokens("维氏硬度检测")  # the general dictionary cut it 维 / 氏硬度


def test_documents_are_indexed_under_every_dictionary_word_they_contain():
    assert "布氏硬度" in cjk_tokens("金属布氏硬度试验")  # a term inside a longer one
    assert "阀门" in cjk_tokens("气动阀门泄漏检测")  # across the precise cut 气动阀 / 门


def test_query_words_split_into_the_words_documents_are_indexed_under():
    assert tiles("布氏硬度试验") == ["布氏硬度", "试验"]
    assert [(t.text, t.optional) for t in parse_query("布氏硬度试验").terms] == [("布氏硬度", False), ("试验", True)]
    assert [[tuple(w.text for w in f) for f in t.forms] for t in parse_query("中性盐雾").terms] == [[("中性", "盐雾")]]
    assert tiles("硬度") == ["硬度"]


def test_the_command_adds_category_and_field_names(db, tmp_path, monkeypatch):
    monkeypatch.setattr(dictionary, "WORDS", tmp_path / "words.txt")
    ServiceCategoryFactory(name_zh="无损检测")
    IndustryFieldFactory(name_zh="海工装备")
    call_command("search_dictionary")
    words = (tmp_path / "words.txt").read_text(encoding="utf-8").split()
    assert {"无损", "海工装备", "布氏硬度"} <= set(words)


def test_words_no_dictionary_knows_come_apart_into_dictionary_pieces():
    assert unknown_word_pieces("铍铜") == ["铍", "铜"]
    assert unknown_word_pieces("电痕化") == ["电", "痕", "化"]
    assert unknown_word_pieces("拉伸") == [] and unknown_word_pieces("铍") == []  # a dictionary word, one character


def test_documents_keep_the_dictionary_cut_where_jiebas_guess_differs():
    """jieba's HMM joins 耐电 / 痕化 here; the characters one by one, in order, are indexed too."""
    tokens = cjk_tokens("耐电痕化指数")
    assert {"耐电", "痕化"} <= set(tokens)
    start = tokens.index("耐", tokens.index("痕化"))
    assert tokens[start : start + 4] == ["耐", "电", "痕", "化"]
    assert cjk_tokens("金属材料拉伸试验").count("拉伸试验") == 2  # no unknown characters: precise and full mode only
