"""The two content languages: Chinese (the default, always present) and English (optional)."""

from django.utils.translation import get_language


def english_active() -> bool:
    """Whether the current request (or `translation.override`) is in English."""
    return (get_language() or "").startswith("en")


def pick(zh: str, en: str) -> str:
    """The English text when the active language is English and it exists, else the Chinese."""
    if english_active() and en:
        return en
    return zh or en
