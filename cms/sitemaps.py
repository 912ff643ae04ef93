"""sitemap.xml: the live Wagtail pages plus the catalog's public providers, services and categories."""

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from catalog.models import Provider, Service, ServiceCategory
from catalog.selectors import categories_top_level, providers_public, services_public


class ProviderSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Provider]:
        return providers_public()


class ServiceSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Service]:
        return services_public()

    def lastmod(self, item: Service):  # type: ignore[no-untyped-def]
        return item.updated_at


class CategorySitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> QuerySet[ServiceCategory]:
        return categories_top_level()


SITEMAPS = {
    "pages": WagtailSitemap,
    "providers": ProviderSitemap,
    "services": ServiceSitemap,
    "categories": CategorySitemap,
}
