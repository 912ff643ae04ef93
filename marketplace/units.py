"""Price units in the reader's language.

Providers write the unit of a per-unit or per-hour price in Chinese ("试样", "台", "小时"). English
pages show the English word for the common units and the provider's own text for anything else.
"""

from .languages import english_active

UNITS_EN = {
    "样": "sample",
    "样品": "sample",
    "试样": "specimen",
    "件": "piece",
    "个": "piece",
    "台": "unit",
    "套": "set",
    "组": "set",
    "批": "batch",
    "点": "point",
    "项": "item",
    "次": "run",
    "份": "copy",
    "件次": "piece",
    "小时": "hour",
    "时": "hour",
    "天": "day",
    "日": "day",
    "人天": "person-day",
    "人日": "person-day",
    "月": "month",
    "年": "year",
    "米": "metre",
    "平方米": "m²",
    "公斤": "kg",
    "千克": "kg",
    "吨": "tonne",
    "篇": "document",
    "专利": "patent",
}


def display_unit(unit: str) -> str:
    """`unit` as the current language shows it; "每" ("per") in front of a Chinese unit is ignored."""
    if not unit or not english_active():
        return unit
    word = unit.strip().removeprefix("每").strip()
    return UNITS_EN.get(word, unit)
