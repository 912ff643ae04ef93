"""Bulletin feeds. The pages themselves are served by Wagtail's catch-all, mounted after these."""

from django.urls import URLPattern, URLResolver, path

from .feeds import BulletinAtomFeed, BulletinRssFeed

app_name = "cms"
urlpatterns: list[URLPattern | URLResolver] = [
    path("bulletins/feed/rss/", BulletinRssFeed(), name="bulletin-feed-rss"),
    path("bulletins/feed/rss/<slug:category>/", BulletinRssFeed(), name="bulletin-feed-rss-category"),
    path("bulletins/feed/atom/", BulletinAtomFeed(), name="bulletin-feed-atom"),
    path("bulletins/feed/atom/<slug:category>/", BulletinAtomFeed(), name="bulletin-feed-atom-category"),
]
