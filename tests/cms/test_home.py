import itertools
import re

from cms.models import HomePageFeaturedService
from tests.factories import ProviderFactory, ServiceCategoryFactory, ServiceFactory


def test_home_page_is_served_at_the_root_in_both_languages(client, home):
    assert client.get("/").context["page"].specific == home
    assert client.get("/en/").context["page"].specific == home


def test_home_shows_featured_public_services_bulletins_categories_and_counts(client, home, index, make_bulletin):
    featured = ServiceFactory(title_zh="气动元件耐久性试验")
    hidden = ServiceFactory(provider=featured.provider, title_zh="草稿服务", status="draft", published_at=None)
    ServiceFactory(provider=ProviderFactory(verification="pending", verified_at=None))
    for position, service in enumerate((featured, hidden)):
        HomePageFeaturedService.objects.create(page=home, service=service, sort_order=position)
    ServiceCategoryFactory(name_zh="检验检测")
    make_bulletin(title="最新公告")

    response = client.get("/")
    html = response.content.decode()
    assert response.context["featured_services"] == [featured]
    assert "气动元件耐久性试验" in html and "草稿服务" not in html
    assert "最新公告" in html
    assert "检验检测" in html
    assert response.context["numbers"]["services"] == 1
    assert response.context["numbers"]["centers"] == 1  # the pending provider is not counted
    assert '<form class="hero-search" role="search" action="/search/" method="get">' in html
    assert 'name="q"' in html
    assert 'action="/en/search/"' in client.get("/en/").content.decode()


def test_bulletin_index_filters_by_category_and_paginates(client, make_bulletin):
    for _ in range(11):
        make_bulletin(category="news")
    make_bulletin(category="policy", title="唯一政策")

    first = client.get("/bulletins/")
    assert first.context["bulletins"].paginator.count == 12
    assert len(first.context["bulletins"].object_list) == 10
    assert len(client.get("/bulletins/?page=2").context["bulletins"].object_list) == 2
    policy = client.get("/bulletins/?category=policy")
    assert [b.title for b in policy.context["bulletins"]] == ["唯一政策"]
    assert client.get("/bulletins/?category=bogus").context["bulletins"].paginator.count == 12


def test_bulletin_headings_follow_the_page_outline(client, home, make_bulletin):
    """The index lists bulletins right under its h1 (h2 items); the home page under its own h2 section (h3 items)."""
    make_bulletin(title="唯一政策")
    levels = [int(n) for n in re.findall(r"<h([1-6])", client.get("/bulletins/").content.decode())]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
    home_levels = [int(n) for n in re.findall(r"<h([1-6])", client.get("/").content.decode())]
    assert all(b - a <= 1 for a, b in itertools.pairwise(home_levels))


def test_bulletin_index_empty_state(client, index):
    html = client.get("/bulletins/?category=notice").content.decode()
    assert 'class="empty"' in html


def test_bulletin_page_has_open_graph_tags_and_related_public_links(client, make_bulletin):
    service = ServiceFactory(title_zh="印染助剂检测")
    draft = ServiceFactory(title_zh="未发布服务", status="draft", published_at=None)
    bulletin = make_bulletin(title="印染中心开放检测", intro="面向企业开放")
    bulletin.related_services.set([service, draft])
    bulletin.related_providers.set([service.provider])
    bulletin.save_revision().publish()

    html = client.get(bulletin.url).content.decode()
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="印染中心开放检测">' in html
    assert '<meta property="og:description" content="面向企业开放">' in html
    assert f'<meta property="og:url" content="http://testserver{bulletin.url}">' in html
    assert service.get_absolute_url() in html and service.provider.get_absolute_url() in html
    assert "未发布服务" not in html


def test_sitemap_lists_pages_and_public_catalog(client, make_bulletin):
    bulletin = make_bulletin()
    draft = make_bulletin(live=False)
    service = ServiceFactory()
    xml = client.get("/sitemap.xml").content.decode()
    assert bulletin.url in xml
    assert draft.slug not in xml
    assert service.get_absolute_url() in xml
    assert service.provider.get_absolute_url() in xml
