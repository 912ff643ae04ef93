"""Snippets: a window of text around the first match, cut between words."""

import re

from search.text import snippet

ABOUT = (
    "The National Aerospace Manufacturing Innovation Center offers tensile testing of metallic materials at room "
    "temperature and elevated temperatures, including yield strength, tensile strength and elongation after "
    "fracture for aerospace parts."
)


def words_of(html: str) -> list[str]:
    return re.sub(r"</?mark>|…", " ", html).split()


def test_a_window_around_a_late_match_starts_and_ends_on_whole_words():
    html = snippet([ABOUT], re.compile("elongation"))
    assert html.startswith("…") and "<mark>elongation</mark>" in html
    assert all(word in ABOUT.split() for word in words_of(html))


def test_without_a_match_the_text_starts_and_is_cut_after_a_whole_word():
    html = snippet([ABOUT], re.compile("nothing here"))
    assert html.endswith("…") and not html.endswith(" …")
    assert all(word in ABOUT.split() for word in words_of(html))


def test_chinese_is_cut_anywhere_and_one_long_word_is_still_cut():
    text = "金属材料室温拉伸试验，测定屈服强度、抗拉强度、断后伸长率和断面收缩率。" * 4
    html = snippet([text], re.compile("断面收缩率"), width=30)
    assert "<mark>断面收缩率</mark>" in html and len(html) < 60
    assert snippet(["x" * 300], None, width=50) == "x" * 50 + "…"


def test_the_first_text_with_a_match_is_used():
    assert snippet(["", "no match", "a tensile test"], re.compile("tensile")) == "a <mark>tensile</mark> test"


def test_codes_are_not_cut_and_no_comma_comes_before_the_ellipsis():
    text = "Room-temperature tensile test of metals by the Harbin center to GB/T 228.1-2021, ISO 6892-1:2019 and more"
    assert snippet([text], re.compile("tensile"), width=75).endswith(" GB/T…")  # not "228.1-…"
    assert snippet([text], re.compile("tensile"), width=81).endswith(" GB/T 228.1-2021…")  # not "2021,…"
