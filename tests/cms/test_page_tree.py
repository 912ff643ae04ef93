from wagtail.models import Page

from cms.models import BulletinIndexPage, BulletinPage, HomePage, StandardPage


def test_home_page_only_under_the_tree_root_and_only_once(home):
    root = Page.get_first_root_node()
    assert not HomePage.can_create_at(root)  # max_count = 1 and one exists
    assert not HomePage.can_create_at(home)
    HomePage.objects.all().delete()
    assert HomePage.can_create_at(root)


def test_bulletin_index_lives_under_the_home_page_only(home):
    assert BulletinIndexPage.can_create_at(home)
    assert not BulletinIndexPage.can_create_at(Page.get_first_root_node())


def test_bulletins_live_under_the_index_only(home, index):
    assert BulletinPage.can_create_at(index)
    assert not BulletinPage.can_create_at(home)
    assert not BulletinPage.can_create_at(Page.get_first_root_node())


def test_standard_pages_live_under_the_home_page_only(home, index):
    assert StandardPage.can_create_at(home)
    assert not StandardPage.can_create_at(index)


def test_allowed_children_follow_the_tree(home, index, make_bulletin):
    bulletin = make_bulletin()
    assert set(home.specific_class.allowed_subpage_models()) == {BulletinIndexPage, StandardPage}
    assert index.specific_class.allowed_subpage_models() == [BulletinPage]
    assert BulletinPage.allowed_subpage_models() == []
    assert StandardPage.allowed_subpage_models() == []
    assert not BulletinIndexPage.can_create_at(home)  # one index per site
    assert bulletin.get_parent().specific == index


def test_admin_refuses_to_add_a_bulletin_under_the_home_page(admin_client, home):
    response = admin_client.get(f"/cms-admin/pages/add/cms/bulletinpage/{home.pk}/")
    assert response.status_code == 302  # Wagtail answers "permission denied" with a redirect to the dashboard
    assert response.url == "/cms-admin/"
    response = admin_client.get(f"/cms-admin/pages/add/cms/standardpage/{home.pk}/")
    assert response.status_code == 200
