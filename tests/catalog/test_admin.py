import pytest
from django.urls import reverse

from catalog.models import Provider
from tests.factories import AccreditationFactory, EquipmentFactory, ProviderFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "model", ["industryfield", "servicecategory", "provider", "accreditation", "equipment", "service", "serviceimport"]
)
def test_every_catalog_model_has_a_working_admin_list(admin_client, model):
    ServiceFactory()
    AccreditationFactory()
    EquipmentFactory()
    response = admin_client.get(reverse(f"admin:catalog_{model}_changelist"), {"q": "测试"})
    assert response.status_code == 200


def test_admin_action_verifies_pending_providers(admin_client):
    pending = ProviderFactory(verification=Provider.Verification.PENDING, verified_at=None)
    done = ProviderFactory()
    response = admin_client.post(
        reverse("admin:catalog_provider_changelist"),
        {"action": "verify", "_selected_action": [pending.pk, done.pk]},
        follow=True,
    )
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.is_verified and pending.verified_at is not None
