"""`manage.py setup_site`: the skeleton a production database needs before editors can work."""

from io import StringIO

from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Page, Site, WorkflowPage

from cms.models import BulletinIndexPage, BulletinPage, HomePage, StandardPage
from cms.setup import featured_candidates
from tests.factories import ProviderFactory, ServiceFactory


def test_setup_site_creates_the_skeleton_once_and_sets_the_public_address(db):
    out = StringIO()
    call_command("setup_site", "--hostname", "services.example.cn", stdout=out)
    call_command("setup_site", "--hostname", "services.example.cn", stdout=out)

    site = Site.objects.get(is_default_site=True)
    assert site.root_url == "https://services.example.cn"
    assert isinstance(site.root_page.specific, HomePage)
    assert Page.objects.filter(depth=2).count() == 1  # Wagtail's welcome page was replaced
    assert BulletinIndexPage.objects.live().child_of(site.root_page).count() == 1
    assert not BulletinPage.objects.exists() and not StandardPage.objects.exists()  # no demo content
    assert set(Group.objects.values_list("name", flat=True)) >= {"Editors", "Moderators"}
    assert WorkflowPage.objects.get(page=site.root_page).workflow.active
    assert "https://services.example.cn" in out.getvalue()


def test_featured_services_come_from_different_providers_first(db):
    crowded, other = ProviderFactory(), ProviderFactory()
    for _ in range(4):
        ServiceFactory(provider=crowded)
    ServiceFactory(provider=other)
    featured = featured_candidates(limit=3)
    assert len(featured) == 3
    assert {s.provider for s in featured[:2]} == {crowded, other}
