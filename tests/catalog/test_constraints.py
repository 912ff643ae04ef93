"""The database refuses what the services refuse, even for writes that bypass them."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from catalog.models import Equipment, Service
from tests.factories import EquipmentFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def _refused(queryset, **values):
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset.update(**values)


def test_negative_price_refused_by_database():
    service = ServiceFactory()
    _refused(Service.objects.filter(pk=service.pk), price=Decimal("-1"))


def test_priced_service_without_price_refused_by_database():
    service = ServiceFactory(pricing_mode="fixed")
    _refused(Service.objects.filter(pk=service.pk), price=None)


def test_quote_only_without_price_accepted_by_database():
    service = ServiceFactory()
    Service.objects.filter(pk=service.pk).update(pricing_mode="quote_only", price=None)
    service.refresh_from_db()
    assert service.price is None


def test_published_without_date_and_bad_status_refused():
    service = ServiceFactory()
    _refused(Service.objects.filter(pk=service.pk), published_at=None)
    _refused(Service.objects.filter(pk=service.pk), status="deleted")
    _refused(Service.objects.filter(pk=service.pk), turnaround_days=0)


def test_duplicate_slug_per_provider_refused():
    service = ServiceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceFactory(provider=service.provider, slug=service.slug)


def test_equipment_slot_limits_refused():
    equipment = EquipmentFactory()
    _refused(Equipment.objects.filter(pk=equipment.pk), max_slot_hours=0)
