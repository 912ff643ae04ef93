# Wagtail's Page is untyped, so django-stubs cannot infer the field types of its subclasses.
# mypy: disable-error-code="var-annotated"
"""Wagtail pages: the home page, bulletins (notices, policy, news) and standard pages.

Bilingual content: per-field translations, not wagtail-localize.
Every translatable field has a Chinese original (`title`, `intro`, `body`, ...) and an optional
English twin (`title_en`, `intro_en`, `body_en`, ...). The `display_*` properties pick the
active language and fall back to Chinese (the same rule as `catalog.models.pick`).
Why: the site already serves one URL space twice through `i18n_patterns` (Chinese at `/`,
English at `/en/`) with a language switcher that rewrites the URL prefix. One page tree fits
that directly: `/bulletins/x/` and `/en/bulletins/x/` are the same page, the switcher needs no
page-translation lookup, one moderation workflow and one go-live date cover both languages,
and a missing English text degrades to Chinese instead of a 404. wagtail-localize would add a
second tree per locale, a translation-sync workflow and locale-prefixed routing that duplicates
what `i18n_patterns` already does; for two languages edited by the same small team that cost
buys nothing.
"""

import datetime
from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.query import PageQuerySet
from wagtail.search import index

from catalog.models import Provider, Service
from catalog.selectors import categories_top_level, providers_public, services_public
from marketplace.languages import pick
from marketplace.statistics.selectors import public_numbers

from .rich_text import BODY_FEATURES, sanitize_body
from .slugs import assign_ascii_slug

BULLETINS_PER_PAGE = 10
LATEST_BULLETINS_ON_HOME = 5


class BulletinCategory(models.TextChoices):
    NOTICE = "notice", _("Platform notice")
    POLICY = "policy", _("Policy")
    NEWS = "news", _("Industry news")


class TranslatedTitleMixin:
    """`display_title`: the English title on English pages when there is one, else the Chinese."""

    title: str
    title_en: str
    seo_title: str

    @property
    def display_title(self) -> str:
        return pick(self.title, self.title_en)

    @property
    def display_seo_title(self) -> str:
        """The `<title>`: the Chinese SEO title when set, the English title on English pages."""
        return pick(self.seo_title or self.title, self.title_en)


class AsciiSlugMixin:
    """Pages whose URL carries their slug: a Chinese title gives a short pinyin slug (cms/slugs.py)."""

    # Both run before Wagtail's own cleaning, which would fill an empty slug from the title with Unicode kept:
    # full_clean when publishing or saving a revision, minimal_clean when a draft is first saved (admin create).
    def full_clean(self, *args: Any, **kwargs: Any) -> None:
        assign_ascii_slug(self)
        super().full_clean(*args, **kwargs)  # type: ignore[misc]

    def minimal_clean(self) -> None:
        assign_ascii_slug(self)
        super().minimal_clean()  # type: ignore[misc]


def live_bulletins() -> PageQuerySet:
    """Published, publicly viewable bulletins, newest first."""
    return BulletinPage.objects.live().public().order_by("-date", "-first_published_at", "-pk")


def bulletin_index() -> "BulletinIndexPage | None":
    """The site's live bulletin index, if there is one."""
    return BulletinIndexPage.objects.live().first()


def bulletins_in_category(category: str | None) -> PageQuerySet:
    """Live bulletins, restricted to `category` when it is a known category."""
    bulletins = live_bulletins()
    if category in BulletinCategory.values:
        bulletins = bulletins.filter(category=category)
    return bulletins


class HomePage(TranslatedTitleMixin, Page):  # type: ignore[misc]
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    hero_title = models.CharField(_("hero title (Chinese)"), max_length=200)
    hero_title_en = models.CharField(_("hero title (English)"), max_length=200, blank=True)
    hero_text = models.TextField(_("hero text (Chinese)"), blank=True)
    hero_text_en = models.TextField(_("hero text (English)"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("title_en"),
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_title_en"),
                FieldPanel("hero_text"),
                FieldPanel("hero_text_en"),
            ],
            heading=_("Hero"),
        ),
        InlinePanel("featured_services", label=_("Featured services"), max_num=12),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.BulletinIndexPage", "cms.StandardPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    @property
    def display_hero_title(self) -> str:
        return pick(self.hero_title, self.hero_title_en)

    @property
    def display_hero_text(self) -> str:
        return pick(self.hero_text, self.hero_text_en)

    def featured_public_services(self) -> list[Service]:
        """Editors' picks in their order, skipping any that are no longer public."""
        picks = self.featured_services.filter(service__in=Service.objects.public()).select_related(
            "service__provider", "service__category"
        )
        return [pick_.service for pick_ in picks]

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context.update(
            featured_services=self.featured_public_services(),
            latest_bulletins=live_bulletins()[:LATEST_BULLETINS_ON_HOME],
            bulletin_index=bulletin_index(),
            categories=categories_top_level(),
            numbers=public_numbers(),
        )
        return context


class HomePageFeaturedService(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_services")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+", verbose_name=_("service"))

    panels = [FieldPanel("service")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured service")
        verbose_name_plural = _("featured services")
        constraints = [models.UniqueConstraint(fields=["page", "service"], name="home_featured_service_unique")]


class BulletinIndexPage(AsciiSlugMixin, TranslatedTitleMixin, Page):  # type: ignore[misc]
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    intro = models.TextField(_("introduction (Chinese)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("title_en"), FieldPanel("intro"), FieldPanel("intro_en")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.BulletinPage"]
    max_count = 1

    class Meta:
        verbose_name = _("bulletin index page")

    @property
    def display_intro(self) -> str:
        return pick(self.intro, self.intro_en)

    def paginated_bulletins(self, category: str | None, page_number: str | None) -> PaginatorPage:
        bulletins = bulletins_in_category(category).descendant_of(self)
        return Paginator(bulletins, BULLETINS_PER_PAGE).get_page(page_number)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        category = request.GET.get("category")
        active = category if category in BulletinCategory.values else ""
        context.update(
            bulletins=self.paginated_bulletins(active, request.GET.get("page")),
            categories=BulletinCategory.choices,
            active_category=active,
        )
        return context


class BulletinPageTag(TaggedItemBase):
    content_object = ParentalKey("cms.BulletinPage", on_delete=models.CASCADE, related_name="tagged_items")


class BulletinPage(AsciiSlugMixin, TranslatedTitleMixin, Page):  # type: ignore[misc]
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    # Context: catalog's msgid "category" (服务类别) would otherwise win the merged translation catalog.
    category = models.CharField(pgettext_lazy("bulletin", "category"), max_length=20, choices=BulletinCategory.choices)
    date = models.DateField(_("publication date"), default=timezone.localdate)
    source = models.CharField(_("source organization (Chinese)"), max_length=200, blank=True)
    source_en = models.CharField(_("source organization (English)"), max_length=200, blank=True)
    intro = models.TextField(_("summary (Chinese)"), max_length=500, blank=True)
    intro_en = models.TextField(_("summary (English)"), max_length=500, blank=True)
    body = RichTextField(_("body (Chinese)"), features=BODY_FEATURES)
    body_en = RichTextField(_("body (English)"), features=BODY_FEATURES, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )
    tags = ClusterTaggableManager(through=BulletinPageTag, blank=True, verbose_name=_("tags"))
    related_services = ParentalManyToManyField(
        Service, blank=True, related_name="cms_bulletins", verbose_name=_("related services")
    )
    related_providers = ParentalManyToManyField(
        Provider, blank=True, related_name="cms_bulletins", verbose_name=_("related providers")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("title_en"),
        MultiFieldPanel(
            [FieldPanel("category"), FieldPanel("date"), FieldPanel("source"), FieldPanel("source_en")],
            heading=_("Publication"),
        ),
        FieldPanel("intro"),
        FieldPanel("intro_en"),
        FieldPanel("body"),
        FieldPanel("body_en"),
        FieldPanel("image"),
        InlinePanel("attachments", label=_("PDF attachments")),
        MultiFieldPanel(
            [FieldPanel("related_services"), FieldPanel("related_providers"), FieldPanel("tags")],
            heading=_("Links"),
        ),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("title_en"),
        index.SearchField("intro"),
        index.SearchField("intro_en"),
        index.SearchField("body"),
        index.SearchField("body_en"),
        index.SearchField("source"),
        index.FilterField("category"),
        index.FilterField("date"),
    ]

    parent_page_types = ["cms.BulletinIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")

    def clean(self) -> None:
        super().clean()
        self.body = sanitize_body(self.body)
        self.body_en = sanitize_body(self.body_en)

    @property
    def display_intro(self) -> str:
        return pick(self.intro, self.intro_en)

    @property
    def display_body(self) -> str:
        return pick(self.body, self.body_en)

    @property
    def display_source(self) -> str:
        return pick(self.source, self.source_en)

    @property
    def published_at(self) -> datetime.datetime:
        """Midnight China time of the publication date: what feeds report as the item date."""
        return datetime.datetime.combine(self.date, datetime.time.min, tzinfo=timezone.get_default_timezone())

    def public_related_services(self) -> QuerySet[Service]:
        return services_public().filter(pk__in=self.related_services.values("pk"))

    def public_related_providers(self) -> QuerySet[Provider]:
        return providers_public().filter(pk__in=self.related_providers.values("pk"))


class BulletinAttachment(Orderable):
    page = ParentalKey(BulletinPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", verbose_name=_("document")
    )

    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class StandardPage(AsciiSlugMixin, TranslatedTitleMixin, Page):  # type: ignore[misc]
    """About, help, terms: a title and a body in both languages."""

    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    body = RichTextField(_("body (Chinese)"), features=BODY_FEATURES)
    body_en = RichTextField(_("body (English)"), features=BODY_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("title_en"), FieldPanel("body"), FieldPanel("body_en")]
    search_fields = [*Page.search_fields, index.SearchField("title_en"), index.SearchField("body")]

    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("standard page")

    def clean(self) -> None:
        super().clean()
        self.body = sanitize_body(self.body)
        self.body_en = sanitize_body(self.body_en)

    @property
    def display_body(self) -> str:
        return pick(self.body, self.body_en)
