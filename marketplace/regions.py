"""Region names (province, city): one stored form, shown in the reader's language.

Regions are stored as their full official Chinese names ("浙江省", "宁波市"). A province is chosen from
the 34 provincial-level divisions below; a city is written by the user and normalised ("宁波" and
"宁波市 " are both "宁波市"), so that one place is one filter value. English pages show the official English
name of a provincial-level division and the pinyin of any other place, with the handful of cities whose
usual English name is not plain pinyin.
"""

from functools import lru_cache
from typing import Any

from pypinyin import lazy_pinyin

from .languages import english_active

PROVINCES_EN = {
    "北京市": "Beijing",
    "天津市": "Tianjin",
    "上海市": "Shanghai",
    "重庆市": "Chongqing",
    "河北省": "Hebei",
    "山西省": "Shanxi",
    "辽宁省": "Liaoning",
    "吉林省": "Jilin",
    "黑龙江省": "Heilongjiang",
    "江苏省": "Jiangsu",
    "浙江省": "Zhejiang",
    "安徽省": "Anhui",
    "福建省": "Fujian",
    "江西省": "Jiangxi",
    "山东省": "Shandong",
    "河南省": "Henan",
    "湖北省": "Hubei",
    "湖南省": "Hunan",
    "广东省": "Guangdong",
    "海南省": "Hainan",
    "四川省": "Sichuan",
    "贵州省": "Guizhou",
    "云南省": "Yunnan",
    "陕西省": "Shaanxi",
    "甘肃省": "Gansu",
    "青海省": "Qinghai",
    "台湾省": "Taiwan",
    "内蒙古自治区": "Inner Mongolia",
    "广西壮族自治区": "Guangxi",
    "西藏自治区": "Tibet",
    "宁夏回族自治区": "Ningxia",
    "新疆维吾尔自治区": "Xinjiang",
    "香港特别行政区": "Hong Kong",
    "澳门特别行政区": "Macao",
}
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
# Places whose customary English name is not their pinyin.
PLACES_EN = {
    "哈尔滨": "Harbin",
    "呼和浩特": "Hohhot",
    "乌鲁木齐": "Urumqi",
    "拉萨": "Lhasa",
    "喀什": "Kashgar",
}
# Administrative suffixes dropped before transliteration, longest first.
SUFFIXES = ("自治州", "地区", "新区", "市", "区", "县", "盟")
VOWELS = ("a", "e", "o")


def _pinyin(name: str) -> str:
    """Pinyin written as one word, with the apostrophe before a syllable starting with a, e or o (Xi'an)."""
    syllables = lazy_pinyin(name)
    word = syllables[0] + "".join(f"'{s}" if s.startswith(VOWELS) else s for s in syllables[1:])
    return word[:1].upper() + word[1:]


@lru_cache(maxsize=1024)
def english_name(name: str) -> str:
    """The English name of a Chinese region name; names without Chinese characters come back unchanged."""
    name = name.strip()
    if name in PROVINCES_EN:
        return PROVINCES_EN[name]
    if not any("\u4e00" <= ch <= "\u9fff" for ch in name):
        return name
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    return PLACES_EN.get(name) or _pinyin(name)


def display_name(name: str) -> str:
    """`name` as the current language shows it: stored Chinese, or English on English pages."""
    if name and english_active():
        return english_name(name)
    return name


def province_choices() -> list[tuple[str, str]]:
    """(stored name, name in the current language) of every provincial-level division, in the official order."""
    return [(name, display_name(name)) for name in PROVINCES_EN]


def _short(name: str) -> str:
    """ "浙江省" -> "浙江", "广西壮族自治区" -> "广西", "香港特别行政区" -> "香港"."""
    for suffix in ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


_PROVINCE_ALIASES = {
    alias.casefold(): name for name, english in PROVINCES_EN.items() for alias in (name, _short(name), english)
}


def normalize_province(text: str) -> str | None:
    """The official Chinese name of a province written in full, short ("浙江") or in English; None if unknown."""
    return _PROVINCE_ALIASES.get("".join(text.split()).casefold()) or _PROVINCE_ALIASES.get(text.strip().casefold())


def normalize_city(text: str, province: str = "") -> str:
    """One way to write a city: spaces removed, a Chinese name without its suffix gets "市" ("宁波" -> "宁波市");
    a municipality is its own city. Names in Latin letters are kept as written (trimmed)."""
    if province in MUNICIPALITIES and (not text.strip() or _short(text.strip()) == _short(province)):
        return province
    name = "".join(text.split())
    if not any("\u4e00" <= ch <= "\u9fff" for ch in name):
        return " ".join(text.split())
    if name.endswith(("市", "州", "盟", "地区", "区", "县")):
        return name
    return f"{name}市"


def normalise_stored(model: Any) -> int:
    """Rewrite the `province` and `city` of every row of `model` in their one form (used by data migrations).

    A province matching no provincial-level division is kept as it is. Returns the number of rows changed."""
    changed = 0
    for row in model.objects.only("pk", "province", "city").iterator():
        province = normalize_province(row.province) or row.province
        city = normalize_city(row.city, province)
        if (province, city) != (row.province, row.city):
            model.objects.filter(pk=row.pk).update(province=province, city=city)
            changed += 1
    return changed
