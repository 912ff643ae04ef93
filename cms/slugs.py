"""Short ASCII page slugs from Chinese titles.

Wagtail slugifies a title with Unicode allowed, so a Chinese title becomes a Chinese slug whose
URL is 100-200 characters of percent-encoding (`/bulletins/%E5%85%B3%E4%BA%8E...`): unreadable
when pasted into WeChat or an e-mail, and cut off by some clients. Pages here get the pinyin of
the title instead (`guan-yu-2026-nian-...`), bounded in length, unique among their siblings.
"""

from typing import Any

from django.utils import timezone
from django.utils.text import slugify
from pypinyin import lazy_pinyin
from wagtail.models import Page

SLUG_MAX_LENGTH = 60

_PARENT_CACHE = "_cached_parent_obj"  # set by treebeard/Wagtail when a page is added under a known parent


def pinyin_slug(text: str, max_length: int = SLUG_MAX_LENGTH) -> str:
    """`text` as a lowercase ASCII slug: Chinese characters as pinyin syllables, cut at a word boundary."""
    slug = slugify("-".join(lazy_pinyin(text)))
    if len(slug) <= max_length:
        return slug
    cut = slug[: max_length + 1]
    boundary = cut.rfind("-")
    return (cut[:boundary] if boundary > 0 else slug[:max_length]).strip("-")


def _unique_among_siblings(page: Any, base: str) -> str:
    parent = page.get_parent()
    candidate, suffix = base, 1
    while not Page._slug_is_available(candidate, parent, page):
        suffix += 1
        tail = f"-{suffix}"
        candidate = base[: SLUG_MAX_LENGTH - len(tail)].rstrip("-") + tail
    return candidate


def assign_ascii_slug(page: Any) -> None:
    """Give `page` a pinyin slug when its slug is empty or not ASCII (what Wagtail derives from a Chinese title).

    An ASCII slug an editor typed is kept as it is. Runs only once the parent is known, as Wagtail's
    own slug generation does, so that the slug can be made unique among the page's siblings.
    """
    if page.slug and page.slug.isascii():
        return
    if not (page.path or getattr(page, _PARENT_CACHE, None)):
        return
    base = pinyin_slug(page.slug or page.title or "")
    if not base:  # nothing transliterable (emoji, symbols): fall back to a date-based slug
        date = getattr(page, "date", None) or timezone.localdate()
        base = f"{page._meta.model_name}-{date:%Y%m%d}"
    page.slug = _unique_among_siblings(page, base)
