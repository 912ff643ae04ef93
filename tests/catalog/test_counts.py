"""The maintained public-service counts: every write that changes what is public reaches them after commit,
one recount per transaction, and the list pages read them instead of counting services."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from catalog import services, tasks
from catalog.counters import refresh_public_counts
from catalog.models import Provider, Service, ServiceCategory
from marketplace.after_commit import collect
from tests.factories import ProviderFactory, ServiceCategoryFactory, ServiceFactory, platform_operator

pytestmark = pytest.mark.django_db


def _counts(*objects):
    return [type(o).objects.get(pk=o.pk).public_service_count for o in objects]


def _true_category_count(category: ServiceCategory) -> int:
    """Computed independently from the rows: public services in the category or its sub-categories."""
    ids = [category.pk, *category.children.values_list("pk", flat=True)]
    return Service.objects.filter(category__in=ids, status="published", provider__verification="verified").count()


@pytest.fixture
def tree():
    root = ServiceCategoryFactory(slug="testing")
    child = ServiceCategoryFactory(slug="mechanical", parent=root)
    return root, child


def test_publish_and_archive_reach_provider_and_both_category_levels(
    tree, member, provider, django_capture_on_commit_callbacks
):
    root, child = tree
    draft = ServiceFactory(provider=provider, category=child, status="draft", published_at=None)
    ServiceFactory(provider=provider, category=root)
    assert _counts(provider, root, child) == [1, 1, 0]

    with django_capture_on_commit_callbacks(execute=True):
        services.service_publish(actor=member, service=draft)
    assert _counts(provider, root, child) == [2, 2, 1]

    with django_capture_on_commit_callbacks(execute=True):
        services.service_archive(actor=member, service=draft)
    assert _counts(provider, root, child) == [1, 1, 0]
    assert _counts(root)[0] == _true_category_count(root)


def test_suspending_a_provider_removes_its_services_from_category_counts(tree, django_capture_on_commit_callbacks):
    root, child = tree
    provider = ProviderFactory()
    ServiceFactory.create_batch(3, provider=provider, category=child)
    ServiceFactory(category=child)  # another provider's
    assert _counts(root, child) == [4, 4]
    operator = platform_operator()

    with django_capture_on_commit_callbacks(execute=True):
        services.provider_suspend(actor=operator, provider=provider, reason="Accreditation lapsed")
    assert _counts(root, child) == [1, 1]
    assert _counts(provider) == [3]  # its own count is of published services; public pages hide suspended providers

    with django_capture_on_commit_callbacks(execute=True):
        services.provider_reinstate(actor=operator, provider=Provider.objects.get(pk=provider.pk), reason="Renewed")
    assert _counts(root, child) == [4, 4]


def test_moving_a_sub_category_moves_its_count_to_the_new_parent(tree, django_capture_on_commit_callbacks):
    root, child = tree
    other_root = ServiceCategoryFactory(slug="evaluation")
    ServiceFactory.create_batch(2, category=child)
    assert _counts(root, other_root) == [2, 0]

    with django_capture_on_commit_callbacks(execute=True):
        child.parent = other_root
        child.save()
    assert _counts(root, other_root, child) == [0, 2, 2]


def test_deleting_services_and_a_provider_reaches_the_counts(tree, django_capture_on_commit_callbacks):
    root, child = tree
    provider = ProviderFactory()
    first, _second = ServiceFactory.create_batch(2, provider=provider, category=child)
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert _counts(provider, root) == [1, 1]


def test_a_transaction_of_many_writes_starts_one_recount(tree, provider, django_capture_on_commit_callbacks):
    """Thirty saves in one transaction: one task run with the provider's id, not thirty."""
    _root, child = tree
    rows = ServiceFactory.create_batch(30, provider=provider, category=child, status="draft", published_at=None)
    with (
        mock.patch("catalog.tasks.refresh_public_counts.delay", wraps=tasks.refresh_public_counts) as delay,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        for service in rows:
            service.status = "published"
            service.published_at = timezone.now()
            service.save()
    delay.assert_called_once()  # one task for the thirty writes (0 stands for "categories only", from `tree`)
    assert [pk for pk in delay.call_args.args[0] if pk] == [provider.pk]
    assert _counts(provider, child) == [30, 30]


def test_collect_hands_over_every_id_once_after_commit(django_capture_on_commit_callbacks):
    runs: list[list[int]] = []
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        collect("test.key", [3, 1], runs.append)
        collect("test.key", [2, 3], runs.append)
        collect("test.other", [9], runs.append)
        assert runs == []  # nothing before the commit
    assert runs == [[1, 2, 3], [9]]


def test_collect_forgets_what_a_rolled_back_transaction_collected(django_capture_on_commit_callbacks):
    runs: list[list[int]] = []
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        collect("test.rollback", [5], runs.append)
        raise RuntimeError
    assert runs == []
    with django_capture_on_commit_callbacks(execute=True):
        collect("test.rollback", [6], runs.append)
    assert runs == [[6]]  # the rolled-back 5 went with its transaction


def test_nightly_recount_repairs_counts_that_drifted(tree):
    root, child = tree
    provider = ProviderFactory()
    ServiceFactory.create_batch(2, provider=provider, category=child)
    Provider.objects.filter(pk=provider.pk).update(public_service_count=99)
    ServiceCategory.objects.filter(pk=root.pk).update(public_service_count=0)
    refresh_public_counts(None)
    assert _counts(provider, root, child) == [2, 2, 2]


def test_category_and_directory_pages_show_the_counts_without_counting_services(
    tree, client, django_assert_max_num_queries
):
    root, child = tree
    for provider in ProviderFactory.create_batch(3):
        ServiceFactory.create_batch(2, provider=provider, category=child)
    ServiceFactory(category=root, status="draft", published_at=None)
    with django_assert_max_num_queries(3):  # categories, their children; no join over services
        html = client.get(reverse("catalog:category-list")).content.decode()
    assert "6 项服务" in html or "6 services" in html
    with django_assert_max_num_queries(6):
        html = client.get(reverse("catalog:provider-list")).content.decode()
    assert "2 项服务" in html or "2 services" in html


def test_provider_page_paginates_its_services(client):
    provider = ProviderFactory()
    ServiceFactory.create_batch(25, provider=provider)
    first = client.get(provider.get_absolute_url()).content.decode()
    second = client.get(provider.get_absolute_url() + "?page=2").content.decode()
    assert first.count('service-card"') == 20
    assert second.count('service-card"') == 5
    assert 'rel="next"' in first and "(25)" in first


def test_a_top_level_category_lists_its_sub_categories_services_newest_first_page_by_page(
    tree, client, django_assert_max_num_queries
):
    """Services of the category and of its sub-categories interleave by date across pages; each page reads a
    window of ids and then only its services, whatever the number of services."""
    from datetime import timedelta

    root, child = tree
    other = ServiceCategoryFactory(slug="chemical", parent=root)
    now = timezone.now()
    categories = [root, child, other]
    hours = [(i * 7) % 45 for i in range(45)]  # creation order (ids) is not date order
    created = [
        ServiceFactory(category=categories[i % 3], published_at=now - timedelta(hours=h), title_zh=f"服务{i:02d}")
        for i, h in enumerate(hours)
    ]
    refresh_public_counts()
    newest_first = [created[i].title_zh for i in sorted(range(45), key=lambda i: hours[i])]
    seen = []
    for page in (1, 2, 3):
        with django_assert_max_num_queries(8):
            html = client.get(reverse("catalog:category-detail", args=[root.slug]) + f"?page={page}").content.decode()
        seen += [title for title in newest_first if title in html]
    assert seen == newest_first
    child_page = client.get(reverse("catalog:category-detail", args=[child.slug])).content.decode()
    assert created[1].title_zh in child_page and created[0].title_zh not in child_page  # its own services only


def test_lists_stop_after_max_pages_and_point_to_the_search(tree, client, monkeypatch):
    from catalog import views

    _root, child = tree
    monkeypatch.setattr(views, "MAX_PAGES", 2)
    ServiceFactory.create_batch(45, category=child)
    refresh_public_counts()
    url = reverse("catalog:category-detail", args=[child.slug])
    last = client.get(url + "?page=3").content.decode()  # past the listed pages: the last listed one
    assert "第 2 页，共 2 页" in last or "Page 2 of 2" in last
    assert f"/search/?category={child.pk}&amp;sort=newest" in last
    assert "45" in last  # the total is still the category's own
    assert "/search/?category=" not in client.get(url).content.decode()  # only on the last listed page
    monkeypatch.setattr(views, "MAX_PAGES", 1)
    cache.clear()  # the anonymous page cache holds the first page
    assert f"/search/?category={child.pk}&amp;sort=newest" in client.get(url).content.decode()  # one page listed
