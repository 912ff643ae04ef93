"""Editors and Moderators work in the Wagtail admin only: no Django admin, no provider management."""

from django.contrib.auth.models import Permission

from marketplace.organizations.permissions import can_manage
from marketplace.organizations.selectors import organizations_for
from tests.factories import ProviderFactory


def test_editor_is_kept_out_of_django_admin(client, editor):
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_editor_and_moderator_reach_wagtail_admin_through_their_group(client, editor, moderator):
    for user in (editor, moderator):
        assert not user.is_staff
        assert user.has_perm("wagtailadmin.access_admin")
        client.force_login(user)
        assert client.get("/cms-admin/").status_code == 200


def test_user_without_editor_group_cannot_reach_wagtail_admin(client, editorial):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get("/cms-admin/")
    assert response.status_code == 302
    assert "/cms-admin/login/" in response.url


def test_editor_cannot_manage_any_provider(editor):
    providers = ProviderFactory.create_batch(2)
    assert not organizations_for(editor).exists()
    assert not any(can_manage(editor, provider.organization) for provider in providers)


def test_editors_hold_no_publish_permission_anywhere(editor):
    from wagtail.models import GroupPagePermission

    assert not GroupPagePermission.objects.filter(group__name="Editors", permission__codename="publish_page").exists()
    assert not editor.user_permissions.exists()
    assert Permission.objects.filter(group__name="Editors", codename="access_admin").exists()
