from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, Page, Revision, Site, WorkflowPage

from cms import demo
from cms.models import BulletinIndexPage, BulletinPage, HomePage, StandardPage
from marketplace.organizations import demo as organizations_demo
from tests.factories import OrganizationFactory, ProviderFactory, ServiceFactory


def _counts() -> tuple[int, ...]:
    return (
        Page.objects.count(),
        Revision.objects.count(),
        GroupPagePermission.objects.count(),
        WorkflowPage.objects.count(),
        BulletinPage.related_services.through.objects.count(),
    )


def test_demo_loader_builds_the_site_and_is_idempotent(db):
    demo.load()
    first = _counts()
    demo.load()
    assert _counts() == first

    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(depth=2).exclude(pk=site.root_page.pk).exists()  # Wagtail's welcome page is gone
    assert BulletinIndexPage.objects.live().count() == 1
    assert set(StandardPage.objects.live().values_list("slug", flat=True)) == {"about", "help", "terms"}
    bulletins = BulletinPage.objects.live()
    assert bulletins.count() >= 10
    assert set(bulletins.values_list("category", flat=True)) == {"notice", "policy", "news"}
    assert all(b.title_en and b.body_en for b in bulletins)
    assert WorkflowPage.objects.filter(page=site.root_page).exists()


def test_demo_bulletins_link_to_catalog_providers_when_they_exist(db):
    organization = OrganizationFactory(kind="provider", name=demo.NINGBO_PLATFORM)
    service = ServiceFactory(provider=ProviderFactory(organization=organization))
    demo.load()
    bulletin = BulletinPage.objects.get(slug="ningbo-wins-key-components-platform")
    assert list(bulletin.related_providers.all()) == [service.provider]
    assert list(bulletin.related_services.all()) == [service]


def test_demo_editor_and_moderator_get_their_roles(db):
    organizations_demo.load()
    demo.load()
    editors, moderators = Group.objects.get(name="Editors"), Group.objects.get(name="Moderators")
    home = HomePage.objects.get()
    editor = editors.user_set.get(email="editor@demo.cn")
    moderator = moderators.user_set.get(email="moderator@demo.cn")
    bulletin = BulletinPage.objects.first()
    assert not editor.is_staff and not moderator.is_staff
    assert not bulletin.permissions_for_user(editor).can_publish()
    assert bulletin.permissions_for_user(moderator).can_publish()
    assert home.permissions_for_user(editor).can_add_subpage()
