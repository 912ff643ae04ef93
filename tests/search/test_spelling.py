"""Typo tolerance and pinyin: an unknown Latin-letter word also stands for the catalog word it was meant to be."""

import pytest

from catalog.models import Service
from search import api, spelling
from search.text import Spelling, edit_distance, parse_query
from tests.factories import ServiceFactory

VOCABULARY = {"tensile": 40, "tension": 3, "fatigue": 12, "corrosion": 9, "hardness": 7, "test": 90, "valve": 5}


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("tensle", "tensile"),  # a letter left out
        ("tensiile", "tensile"),  # one too many
        ("fatigua", "fatigue"),  # one wrong
        ("corrosoin", "corrosion"),  # two swapped
        ("hardnes", "hardness"),
    ],
)
def test_an_unknown_word_one_edit_from_a_known_one_is_corrected(typed, meant):
    assert Spelling(VOCABULARY).correct(typed) == meant


@pytest.mark.parametrize("word", ["tensile", "valve", "valv", "tset", "xyzzy", "tenxxxle", "a1b2c", "拉伸试验"])
def test_known_short_or_distant_words_are_left_alone(word):
    assert Spelling(VOCABULARY).correct(word) is None


def test_the_more_used_of_two_candidates_wins():
    assert Spelling({"tensile": 40, "tensila": 1}).correct("tensilb") == "tensile"
    assert Spelling({"tensile": 1, "tensila": 40}).correct("tensilb") == "tensila"


def test_edit_distance_counts_a_swap_of_neighbours_as_one_edit():
    assert edit_distance("corrosoin", "corrosion") == 1
    assert edit_distance("tensle", "tensile") == 1
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("", "abc") == 3


PINYIN = {"lashen": ["拉伸"], "shiyan": ["试验", "实验"], "yanwu": ["盐雾"], "famen": ["阀门"], "qidong": ["气动"]}


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("lashen", "拉伸"),
        ("yanwushiyan", "盐雾试验"),  # a run of readings
        ("qidongfamen", "气动阀门"),
        ("shiyan", "试验"),  # the most used of the words read so
    ],
)
def test_pinyin_of_catalog_words_reads_as_chinese(typed, meant):
    assert Spelling(VOCABULARY, PINYIN).correct(typed) == meant


@pytest.mark.parametrize("word", ["valve", "lashenx", "yanwuyanwuyanwuyanwuyanwu", "la"])
def test_english_words_and_what_no_readings_spell_are_not_pinyin(word):
    assert Spelling(VOCABULARY, {**PINYIN, "valve": ["某词"]}).correct(word) is None


def test_a_pinyin_generic_word_is_optional_like_the_word_itself():
    terms = parse_query("lashen shiyan", spelling=Spelling(VOCABULARY, PINYIN))
    assert [(t.text, t.corrected, t.optional) for t in terms.terms] == [
        ("lashen", "拉伸", False),
        ("shiyan", "试验", True),
    ]


def test_the_correction_is_another_form_of_the_typed_term():
    terms = parse_query("tensle test", spelling=Spelling(VOCABULARY))
    tensle = terms.required[0]
    assert tensle.text == "tensle"  # shown and logged as typed
    assert [[t.text for t in form] for form in tensle.forms] == [["tensle"], ["tensile"]]
    assert parse_query("tensle test").required[0].forms == (tensle.forms[0],)  # no vocabulary, no correction


@pytest.mark.django_db
def test_the_vocabulary_comes_from_public_titles_and_is_refreshed_by_reconciliation(settings):
    settings.SEARCH_BACKEND = "database"
    service = ServiceFactory(title_en="Ultrasonic thickness gauging")
    assert spelling.current().correct("ultrasonix") == "ultrasonic"
    assert spelling.current().correct("chaosheng") is None
    Service.objects.filter(pk=service.pk).update(title_zh="超声波测厚", title_en="Eddy current inspection")
    assert spelling.current().correct("ultrasonix") == "ultrasonic"  # cached until refreshed
    api.reconcile_index()
    assert spelling.current().correct("ultrasonix") is None
    assert spelling.current().correct("inspectoin") == "inspection"
    assert spelling.current().correct("chaosheng") == "超声"


@pytest.mark.django_db
def test_the_search_page_and_the_api_say_which_word_was_also_searched(client, settings):
    settings.SEARCH_BACKEND = "database"
    service = ServiceFactory(title_zh="金属拉伸试验", title_en="Tensile test of metals")
    api.index_service(service.pk)
    page = client.get("/en/search/", {"q": "tensle test"}).content.decode()
    assert "Also showing results for:" in page and "<strong>tensile</strong> (you typed “tensle”)" in page
    assert "<mark>Tensile</mark>" in page  # the corrected word is highlighted in the hit
    data = client.get("/search/api/services", {"q": "tensle test"}).json()
    assert data["corrections"] == [{"typed": "tensle", "meant": "tensile"}]
    assert data["total"] == 1
    assert "Also showing" not in client.get("/en/search/", {"q": "tensile test"}).content.decode()
