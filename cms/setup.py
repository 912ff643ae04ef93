"""The site's skeleton, created idempotently: home page as the default Site's root, the bulletin index,
and the editorial groups and workflow. `manage.py setup_site` runs it on a production database; the
demo loader runs it before adding its content.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.models import Collection, Locale, Page, Site

from catalog.models import Service
from catalog.selectors import services_public

from .editorial import ensure_editorial_setup
from .models import BulletinIndexPage, HomePage, HomePageFeaturedService

HOME_SLUG = "innovation-services"
INDEX_SLUG = "bulletins"
SITE_NAME = "创新服务平台"
# The address Wagtail's first migration gives the default Site: a placeholder, never a real public address.
PLACEHOLDER_ADDRESS = ("localhost", 80)
FEATURED_SERVICES = 6


def tree_root() -> Page:
    """Wagtail's root page and root collection, which its migrations create; made again if the tables were
    emptied since (a flushed test database), so setting up the site never depends on that data surviving."""
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        locale, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return root


def featured_candidates(limit: int = FEATURED_SERVICES) -> list[Service]:
    """Public services for the home page, each provider's first service before anyone's second."""
    firsts: list[Service] = []
    repeats: list[Service] = []
    providers: set[int] = set()
    for service in services_public()[: limit * 20]:
        (repeats if service.provider_id in providers else firsts).append(service)
        providers.add(service.provider_id)
    return (firsts + repeats)[:limit]


def ensure_home_page() -> HomePage:
    """Our HomePage as the default Site's root, replacing Wagtail's "Welcome" page."""
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title="首页",
            title_en="Home",
            slug=HOME_SLUG,
            hero_title="制造业创新中心的技术服务，一站直达",
            hero_title_en="Technical services from manufacturing innovation centers, in one place",
            hero_text="检验检测、试验验证、技术评价、技术咨询、知识产权和中试熟化：国家级、省级、市级创新中心与公共服务"
            "平台面向中小企业开放服务。",
            hero_text_en="Inspection and testing, experimental verification, technology evaluation, consultation, "
            "IP management and pilot-scale maturation, offered to SMEs by national, provincial and municipal "
            "centers and public service platforms.",
        )
        home.featured_services = [HomePageFeaturedService(service=s) for s in featured_candidates()]
        tree_root().add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        hostname, port = configured_site_address()
        site = Site.objects.create(
            hostname=hostname, port=port, root_page=home, is_default_site=True, site_name=SITE_NAME
        )
    elif site.root_page_id != home.pk:
        previous = site.root_page
        site.root_page = home
        site.save()
        if previous.specific_class is Page and not previous.get_children().exists():
            previous.delete()
    if (site.hostname, site.port) == PLACEHOLDER_ADDRESS:
        set_site_address(*configured_site_address())
    return home


def configured_site_address() -> tuple[str, int]:
    """Host and port of `WAGTAILADMIN_BASE_URL`: the admin and the public pages share one address.

    Page.full_url, and so the links in Wagtail's moderation e-mails, sitemaps and feeds, is built from the
    Site's address; left at Wagtail's placeholder it sends moderators to `http://localhost/`.
    """
    address = urlsplit(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "")
    if not address.hostname:
        return PLACEHOLDER_ADDRESS
    return address.hostname, address.port or (443 if address.scheme == "https" else 80)


def ensure_child(parent: Page, page: Page) -> Page:
    """`page` added under `parent` and published, unless a child with its slug already exists."""
    existing = parent.get_children().filter(slug=page.slug).first()
    if existing is not None:
        return existing.specific
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def set_site_address(hostname: str, port: int) -> Site:
    """The public address of the default Site: sitemaps, feeds and Open Graph URLs are built from it."""
    site = Site.objects.get(is_default_site=True)
    if (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])
    return site


@transaction.atomic
def ensure_site() -> tuple[HomePage, BulletinIndexPage]:
    """Home page, bulletin index and editorial setup; running it again changes nothing."""
    home = ensure_home_page()
    index = ensure_child(
        home,
        BulletinIndexPage(
            title="公告与资讯",
            title_en="Bulletins",
            slug=INDEX_SLUG,
            intro="平台通知、政策解读和行业动态。",
            intro_en="Platform notices, policy and industry news.",
        ),
    )
    ensure_editorial_setup(home)
    assert isinstance(index, BulletinIndexPage)
    return home, index
