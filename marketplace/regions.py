"""Region names (province, city) in the reader's language.

Regions are stored as their Chinese names, the way organizations write them ("浙江省", "宁波市").
English pages show the official English name of a provincial-level division and the pinyin of any
other place, with the handful of cities whose usual English name is not plain pinyin.
"""

from functools import lru_cache

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
