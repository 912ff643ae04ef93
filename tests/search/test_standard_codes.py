"""Standard codes as users type them find the services of that standard, on every backend; the year ranks."""

import pytest

from search import api
from search.backends.base import SearchQuery
from tests.factories import ServiceFactory

CODES = {
    "tensile": ["GB/T 228.1-2021"],
    "tensile_old": ["GB/T 228.1-2010"],
    "tensile_high": ["GB/T 228.2-2015"],
    "iso_tensile": ["ISO 6892-1:2019"],
    "esd": ["IEC 61000-4-2:2008"],
    "salt": ["ASTM B117-19"],
    "e8": ["ASTM E8/E8M-22"],
    "e8m": ["ASTM E8M-16"],
    "cold": ["GB/T 2423.1-2008"],
    "heat": ["GB/T 2423.2-2008"],
}


@pytest.fixture
def coded(db, backend_name):
    services = {
        key: ServiceFactory(title_zh=f"标准服务{key}", title_en=f"Standard service {key}", standards=codes)
        for key, codes in CODES.items()
    }
    api.rebuild_index()
    return {key: s.pk for key, s in services.items()}


def found(text: str) -> list[int]:
    return [h.service_id for h in api.search_services(SearchQuery(text=text, page_size=50)).hits]


@pytest.mark.parametrize(
    "typed",
    [
        "GB/T 228.1",
        "GB228.1",
        "GB 228.1",
        "gb/t228.1-2021",
        "gb/t 228.1",
        "GB/T 228.1—2021",
        "GB/T 228.1–2021",
        "ＧＢ／Ｔ ２２８．１",
        "GB/T228.1-2010",
    ],
)
def test_spellings_of_a_code_find_its_services_whatever_the_year(coded, typed):
    assert sorted(found(typed)) == sorted([coded["tensile"], coded["tensile_old"]])


@pytest.mark.parametrize(
    ("typed", "first", "second"),
    [("GB/T 228.1-2010", "tensile_old", "tensile"), ("GB/T 228.1-2021", "tensile", "tensile_old")],
)
def test_the_year_typed_ranks_its_edition_first(coded, typed, first, second):
    assert found(typed) == [coded[first], coded[second]]


@pytest.mark.parametrize(
    ("typed", "keys"),
    [
        ("IEC 61000-4-2:2008", ["esd"]),
        ("IEC 61000-4-2", ["esd"]),
        ("iec 61000-4-2:2001", ["esd"]),
        ("ASTM B117-19", ["salt"]),
        ("ASTM B117", ["salt"]),
        ("astm b117-11", ["salt"]),
        ("ISO 6892", ["iso_tensile"]),
        ("ISO 6892-1", ["iso_tensile"]),
        ("GB/T 2423", ["cold", "heat"]),
        ("GB/T 228", ["tensile", "tensile_old", "tensile_high"]),
        ("ASTM E8/E8M", ["e8", "e8m"]),
        ("ASTM E8", ["e8", "e8m"]),
    ],
)
def test_families_other_years_and_combined_codes(coded, typed, keys):
    assert sorted(found(typed)) == sorted(coded[k] for k in keys)


def test_a_part_does_not_find_another_part(coded):
    assert found("GB/T 228.2") == [coded["tensile_high"]]
    assert found("GB/T 2423.1") == [coded["cold"]]


def test_suggestions_show_codes_as_written(coded):
    texts = [s.text for s in api.suggest("gb/t228")]
    assert "GB/T 228.1-2021" in texts
    assert all(" " in t or "/" in t for t in texts if t.lower().startswith("gb"))  # never "gbt2281"
