"""sitemap.xml: the live Wagtail pages plus the catalog's public providers, services and categories."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from catalog.models import Provider, Service, ServiceCategory
from catalog.selectors import categories_top_level, providers_public, services_public


class PublicHostSitemap(Sitemap):
    """Catalog URLs on the configured public address (`WAGTAILADMIN_BASE_URL`, which Wagtail's pages use too),
    not on whatever host and scheme the request reached the application with behind a proxy."""

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.WAGTAILADMIN_BASE_URL).scheme or super().get_protocol(protocol)

    def get_domain(self, site=None) -> str:  # type: ignore[no-untyped-def]
        return urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc or super().get_domain(site)


class ProviderSitemap(PublicHostSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Provider]:
        return providers_public()


class ServiceSitemap(PublicHostSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Service]:
        return services_public()

    def lastmod(self, item: Service):  # type: ignore[no-untyped-def]
        return item.updated_at


class CategorySitemap(PublicHostSitemap):
    changefreq = "monthly"

    def items(self) -> QuerySet[ServiceCategory]:
        return categories_top_level()


SITEMAPS = {
    "pages": WagtailSitemap,
    "providers": ProviderSitemap,
    "services": ServiceSitemap,
    "categories": CategorySitemap,
}
