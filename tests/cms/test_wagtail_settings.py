"""Wagtail polish from issue 16: no Gravatar, moderation e-mails with the public address, clear labels."""

import gettext
import re
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from wagtail.models import Site
from wagtail.users.utils import get_gravatar_url

from cms.editorial import EDITORS, MODERATORS
from cms.models import BulletinIndexPage, BulletinPage
from tests.factories import UserFactory

CMS_CATALOG = Path(settings.BASE_DIR) / "cms" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"


def test_admin_never_asks_gravatar_for_avatars(client, moderator):
    assert get_gravatar_url(moderator.email) is None
    client.force_login(moderator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "default-user-avatar" in html
    assert "gravatar" not in html.lower()


def test_admin_sign_in_page_is_chinese_throughout(client, db):
    html = client.get(reverse("wagtailadmin_login"), headers={"accept-language": "zh-hans"}).content.decode()
    password_label = html[html.index('for="id_password"') :]
    password_label = password_label[: password_label.index("</label>")]
    assert "密码" in password_label and "Password" not in password_label


def test_approval_email_links_to_the_configured_public_address(db, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://services.example.cn"
    call_command("setup_site", stdout=StringIO())  # no --hostname: the address comes from the setting
    assert Site.objects.get(is_default_site=True).root_url == "https://services.example.cn"

    editor, moderator = UserFactory(email="editor@example.cn"), UserFactory(email="moderator@example.cn")
    editor.groups.add(Group.objects.get(name=EDITORS))
    moderator.groups.add(Group.objects.get(name=MODERATORS))
    bulletin = BulletinPage(title="审核通知", slug="approval-test", category="notice", body="<p>正文</p>", live=False)
    BulletinIndexPage.objects.get().add_child(instance=bulletin)
    bulletin.save_revision(user=editor)
    state = bulletin.get_workflow().start(bulletin, editor)
    state.current_task_state.approve(user=moderator)

    approved = [m for m in mail.outbox if editor.email in m.to and "approval-test" in m.body]
    assert approved, [m.subject for m in mail.outbox]
    assert "https://services.example.cn/bulletins/approval-test/" in approved[0].body
    for message in mail.outbox:
        assert "localhost" not in message.body, message.subject
        assert "https://services.example.cn/cms-admin/" in message.body, message.subject


def test_setup_site_keeps_an_address_set_explicitly(db, settings):
    call_command("setup_site", "--hostname", "services.example.cn", stdout=StringIO())
    settings.WAGTAILADMIN_BASE_URL = "https://admin.example.cn"
    call_command("setup_site", stdout=StringIO())
    assert Site.objects.get(is_default_site=True).root_url == "https://services.example.cn"


def test_bulletin_category_is_not_labelled_service_category(client, moderator, make_bulletin):
    field = BulletinPage._meta.get_field("category")
    with translation.override("zh-hans"):
        assert str(field.verbose_name) == "类别"
    with translation.override("en"):
        assert str(field.verbose_name) == "category"

    client.force_login(moderator)
    html = client.get(reverse("wagtailadmin_pages:edit", args=(make_bulletin().pk,))).content.decode()
    label = re.search(r'<label[^>]*for="id_category"[^>]*>\s*([^<]*)', html)
    assert label is not None
    assert label.group(1).strip() == "类别"


def test_cms_translations_are_not_overridden_by_other_apps_catalogs():
    """Django merges every app's catalog into one; a msgid another app translates differently wins silently."""
    with CMS_CATALOG.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    with translation.override("zh-hans"):
        for key, expected in catalog.items():
            if not isinstance(key, str) or not key:
                continue  # plural forms and the header
            context, _, msgid = key.rpartition("\x04")
            served = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
            assert served == expected, (key, served, expected)
