"""Index freshness: catalog writes schedule indexing on commit, never inside the request, never on rollback."""

from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from catalog.signals import services_bulk_changed
from search import api
from search.backends.base import SearchFilters, SearchQuery
from tests.factories import (
    EquipmentFactory,
    IndustryFieldFactory,
    ProviderFactory,
    ServiceCategoryFactory,
    ServiceFactory,
)


def hits(text: str) -> list[int]:
    return [h.service_id for h in api.search_services(SearchQuery(text=text)).hits]


@pytest.mark.django_db
def test_saving_a_service_schedules_one_task_on_commit_and_indexes_nothing_before(django_capture_on_commit_callbacks):
    with mock.patch("search.signals.sync_services.delay") as delay:
        with django_capture_on_commit_callbacks() as callbacks:
            service = ServiceFactory(title_zh="真空钎焊工艺验证")
            assert hits("钎焊") == []
        delay.assert_not_called()
        for callback in callbacks:
            callback()
    delay.assert_called_with([service.pk])


@pytest.mark.django_db
def test_callbacks_index_and_archiving_removes(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        service = ServiceFactory(title_zh="真空钎焊工艺验证")
    assert hits("钎焊") == [service.pk]
    with django_capture_on_commit_callbacks(execute=True):
        service.status = "archived"
        service.save()
    assert hits("钎焊") == []


@pytest.mark.django_db
def test_provider_change_reindexes_its_services(django_capture_on_commit_callbacks):
    provider = ProviderFactory(name_zh="常州石墨烯创新中心")
    with django_capture_on_commit_callbacks(execute=True):
        service = ServiceFactory(provider=provider, title_zh="石墨烯粉体表征")
    with django_capture_on_commit_callbacks(execute=True):
        provider.province = "江苏省"
        provider.save()
    [hit] = api.search_services(SearchQuery(text="石墨烯")).hits
    assert (hit.service_id, hit.province) == (service.pk, "江苏省")


@pytest.mark.django_db
def test_moving_a_sub_category_refiles_its_services_under_the_new_parent(django_capture_on_commit_callbacks):
    old_parent, new_parent = ServiceCategoryFactory(), ServiceCategoryFactory()
    sub = ServiceCategoryFactory(parent=old_parent)
    with django_capture_on_commit_callbacks(execute=True):
        service = ServiceFactory(category=sub, title_zh="石墨烯粉体表征")

    def in_category(category_id: int) -> list[int]:
        query = SearchQuery(text="石墨烯", filters=SearchFilters(category=category_id))
        return [h.service_id for h in api.search_services(query).hits]

    assert (in_category(old_parent.pk), in_category(new_parent.pk)) == ([service.pk], [])
    with django_capture_on_commit_callbacks(execute=True):
        sub.parent = new_parent
        sub.save()
    assert (in_category(old_parent.pk), in_category(new_parent.pk)) == ([], [service.pk])


@pytest.mark.django_db
def test_bookable_equipment_change_reaches_the_index(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        service = ServiceFactory(title_zh="疲劳试验")
    equipment = EquipmentFactory(provider=service.provider, bookable=True)
    with django_capture_on_commit_callbacks(execute=True):
        service.equipment.add(equipment)
    assert api.search_services(SearchQuery(text="疲劳")).hits[0].has_bookable_equipment
    with django_capture_on_commit_callbacks(execute=True):
        equipment.bookable = False
        equipment.save()
    assert not api.search_services(SearchQuery(text="疲劳")).hits[0].has_bookable_equipment


@pytest.mark.django_db
def test_deleting_a_service_removes_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        service = ServiceFactory(title_zh="盐雾腐蚀试验")
    with django_capture_on_commit_callbacks(execute=True):
        service.delete()
    assert hits("盐雾") == []


@pytest.mark.django_db
def test_bulk_changed_signal_schedules_the_listed_services(django_capture_on_commit_callbacks):
    service = ServiceFactory(title_zh="高低温循环试验")
    with (
        mock.patch("search.signals.sync_services.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services_bulk_changed.send(sender=None, service_ids=[service.pk])
    delay.assert_called_once_with([service.pk])


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_schedules_nothing():
    with (
        mock.patch("search.signals.sync_services.delay") as delay,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        ServiceFactory(title_zh="回滚的服务")
        raise RuntimeError
    delay.assert_not_called()
    assert hits("回滚") == []


@pytest.mark.django_db(transaction=True)
def test_committed_transaction_indexes_through_the_task():
    with transaction.atomic():
        service = ServiceFactory(title_zh="电磁兼容预测试", published_at=timezone.now())
        assert hits("电磁兼容") == []  # not inside the transaction
    assert hits("电磁兼容") == [service.pk]


@pytest.mark.django_db
def test_rebuild_command_indexes_every_public_service(capsys):
    from django.core.management import call_command

    public = ServiceFactory(title_zh="三坐标测量")
    ServiceFactory(title_zh="三坐标草稿", status="draft", published_at=None)
    call_command("search_rebuild")
    assert hits("三坐标") == [public.pk]
    assert "Indexed 1 public services" in capsys.readouterr().out


@pytest.mark.django_db
def test_one_indexing_task_per_transaction_with_every_id(django_capture_on_commit_callbacks):
    provider = ProviderFactory()
    with (
        mock.patch("search.signals.sync_services.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        services = ServiceFactory.create_batch(5, provider=provider)
        for service in services:
            service.summary_zh = "改写的简介"
            service.save()
    delay.assert_called_once_with(sorted(s.pk for s in services))


@pytest.mark.django_db
def test_deleting_bookable_equipment_reaches_the_index(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        service = ServiceFactory(title_zh="疲劳试验")
        service.equipment.add(EquipmentFactory(provider=service.provider, bookable=True))
    assert api.search_services(SearchQuery(text="疲劳")).hits[0].has_bookable_equipment
    with django_capture_on_commit_callbacks(execute=True):
        service.equipment.get().delete()
    assert not api.search_services(SearchQuery(text="疲劳")).hits[0].has_bookable_equipment
    assert api.search_services(SearchQuery(filters=SearchFilters(bookable=True))).total == 0


@pytest.mark.django_db
def test_deleting_an_industry_field_reaches_the_index(django_capture_on_commit_callbacks):
    field = IndustryFieldFactory()
    with django_capture_on_commit_callbacks(execute=True):
        ServiceFactory(title_zh="锂电池针刺试验", field=field)
    assert api.search_services(SearchQuery(filters=SearchFilters(field=field.pk))).total == 1
    field_id = field.pk
    with django_capture_on_commit_callbacks(execute=True):
        field.delete()
    assert api.search_services(SearchQuery(filters=SearchFilters(field=field_id))).total == 0
    assert str(field_id) not in api.search_services(SearchQuery()).facets.get("field", {})


@pytest.mark.django_db
def test_reconciliation_repairs_missing_stale_and_extra_documents_and_reports_them(capsys):
    from django.core.management import call_command

    from search.models import ServiceDocument
    from search.tasks import reconcile_index

    kept, lost, changed, withdrawn = ServiceFactory.create_batch(4)
    api.rebuild_index()
    # Drift that bypassed the signals: a lost task, a queryset update, an unpublish by SQL.
    ServiceDocument.objects.filter(pk=lost.pk).delete()
    type(changed).objects.filter(pk=changed.pk).update(title_zh="改名后的电磁兼容测试")
    type(withdrawn).objects.filter(pk=withdrawn.pk).update(status="archived")

    report = reconcile_index()
    assert (report["checked"], report["missing"], report["stale"], report["extra"]) == (3, 1, 1, 1)
    assert report["sample"] == {"missing": [lost.pk], "stale": [changed.pk], "extra": [withdrawn.pk]}
    assert sorted(h.service_id for h in api.search_services(SearchQuery(page_size=10)).hits) == sorted(
        [kept.pk, lost.pk, changed.pk]
    )
    assert hits("改名后") == [changed.pk]

    assert reconcile_index()["stale"] == 0  # nothing drifted since: nothing is written
    call_command("search_reconcile")
    assert "0 missing (indexed), 0 stale (re-indexed), 0 no longer public (removed)" in capsys.readouterr().out
