import pytest
from django.core.management import call_command
from django.db.models import Count

from catalog.demo import CATEGORIES, PROVIDERS
from catalog.models import Equipment, Provider, Service, ServiceCategory

pytestmark = pytest.mark.django_db


def _counts():
    return {m.__name__: m.objects.count() for m in (Provider, Service, ServiceCategory, Equipment)}


def test_demo_catalog_is_idempotent_and_covers_every_category():
    call_command("demo", verbosity=0)
    first = _counts()
    call_command("demo", verbosity=0)
    assert _counts() == first

    public = Service.objects.public()
    assert public.count() >= 80
    per_top = dict(
        public.values_list("category__parent__slug").annotate(n=Count("pk")).values_list("category__parent__slug", "n")
    )
    assert set(per_top) == {slug for slug, *_ in CATEGORIES}
    assert Provider.objects.filter(verification="verified").count() == len(PROVIDERS) == 10
    assert public.filter(pricing_mode="quote_only").exists()
    assert public.filter(equipment__bookable=True).exists()
    assert not public.filter(title_en="").exists()
    assert not public.filter(summary_en="").exists()
