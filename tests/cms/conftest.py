"""Page-tree fixtures: a HomePage as the default Site's root, a bulletin index, and a bulletin builder."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, Site

from cms.editorial import EDITORS, MODERATORS, ensure_editorial_setup
from cms.models import BulletinIndexPage, BulletinPage, HomePage
from tests.factories import UserFactory


@pytest.fixture
def home(db) -> HomePage:
    page = HomePage(title="首页", title_en="Home", slug="test-home", hero_title="技术服务", hero_title_en="Services")
    Page.get_first_root_node().add_child(instance=page)
    site = Site.objects.get(is_default_site=True)
    site.root_page = page
    site.save()
    return page


@pytest.fixture
def index(home: HomePage) -> BulletinIndexPage:
    page = BulletinIndexPage(title="公告与资讯", title_en="Bulletins", slug="bulletins")
    home.add_child(instance=page)
    return page


@pytest.fixture
def make_bulletin(index: BulletinIndexPage) -> Callable[..., BulletinPage]:
    counter = iter(range(1, 10_000))

    def make(*, live: bool = True, **fields: Any) -> BulletinPage:
        n = next(counter)
        values: dict[str, Any] = {
            "title": f"测试公告{n}",
            "title_en": f"Test bulletin {n}",
            "slug": f"bulletin-{n}",
            "category": "notice",
            "date": datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
            "intro": f"摘要{n}",
            "intro_en": f"Summary {n}",
            "body": f"<p>正文{n}</p>",
            "body_en": f"<p>Body {n}</p>",
            "live": live,
        }
        values.update(fields)
        page = BulletinPage(**values)
        index.add_child(instance=page)
        revision = page.save_revision()
        if live:
            revision.publish()
        return page

    return make


@pytest.fixture
def editorial(home: HomePage) -> HomePage:
    ensure_editorial_setup(home)
    return home


@pytest.fixture
def editor(editorial: HomePage):
    user = UserFactory(email="editor@example.cn")
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def moderator(editorial: HomePage):
    user = UserFactory(email="moderator@example.cn")
    user.groups.add(Group.objects.get(name=MODERATORS))
    return user
