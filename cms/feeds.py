"""RSS 2.0 and Atom 1.0 feeds of live bulletins, all of them or one category.

Served inside `i18n_patterns`, so `/en/bulletins/feed/rss/` carries the English texts.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import gettext as _

from .models import BulletinCategory, BulletinPage, bulletin_index, bulletins_in_category

FEED_ITEMS = 30


class BulletinRssFeed(Feed):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed
    url_name = "cms:bulletin-feed-rss"

    def get_object(self, request: HttpRequest, category: str | None = None) -> str | None:  # type: ignore[override]
        """The category the feed is restricted to (None: every category); unknown ones are a 404."""
        if category is not None and category not in BulletinCategory.values:
            raise Http404("Unknown bulletin category")
        return category

    def title(self, obj: str | None) -> str:
        if obj is None:
            return _("Innovation Services bulletins")
        return _("Innovation Services bulletins: %(category)s") % {"category": BulletinCategory(obj).label}

    def description(self, obj: str | None) -> str:
        return _("Platform notices, policy and industry news for manufacturing innovation centers and enterprises.")

    def link(self, obj: str | None) -> str:
        index = bulletin_index()
        url = index.get_url() if index else None
        return url or reverse("home")

    def feed_url(self, obj: str | None) -> str:
        if obj is None:
            return reverse(self.url_name)
        return reverse(f"{self.url_name}-category", kwargs={"category": obj})

    def items(self, obj: str | None) -> list[BulletinPage]:
        return list(bulletins_in_category(obj)[:FEED_ITEMS])

    def item_title(self, item: BulletinPage) -> str:
        return item.display_title

    def item_description(self, item: BulletinPage) -> str:
        return item.display_intro

    def item_link(self, item: BulletinPage) -> str:
        return item.get_url() or ""

    def item_pubdate(self, item: BulletinPage) -> datetime.datetime:
        return item.published_at

    def item_updateddate(self, item: BulletinPage) -> datetime.datetime | None:
        return item.last_published_at

    def item_categories(self, item: BulletinPage) -> list[str]:
        return [str(BulletinCategory(item.category).label)]

    def item_author_name(self, item: BulletinPage) -> str | None:
        return item.display_source or None


class BulletinAtomFeed(BulletinRssFeed):
    feed_type = Atom1Feed
    url_name = "cms:bulletin-feed-atom"

    def subtitle(self, obj: str | None) -> str:
        return self.description(obj)
