from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms.sitemaps import SITEMAPS
from search import views as search_views

from . import views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Stripe posts here; outside the language prefixes so its URL never changes.
    path("payments/stripe/webhook/", include("orders.payments.urls")),
    path("admin/", admin.site.urls),
    path("cms-admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]

# Chinese is served without a prefix (/), English under /en/.
urlpatterns += i18n_patterns(
    # The Wagtail home page, under the name templates link to; every other page is served by the catch-all below.
    path("", wagtail_views.serve, {"path": ""}, name="home"),
    path("accounts/", include("allauth.urls")),
    path("org/", include("marketplace.organizations.urls")),
    path("notifications/", include("marketplace.notifications.urls")),
    path("apply/", include("marketplace.operations.apply_urls")),
    path("operations/statistics/", include("marketplace.statistics.urls")),
    path("operations/", include("marketplace.operations.urls")),
    path("catalog/", include("catalog.urls")),
    path("orders/", include("orders.urls")),
    path("verify/", include("orders.verify")),
    path("search/", include("search.urls")),
    path("standards/<path:code>/", search_views.standard_page, name="standard"),
    path("", include("cms.urls")),
    path("", include("cms.wagtail_urls")),
    prefix_default_language=False,
)

handler500 = "marketplace.views.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
