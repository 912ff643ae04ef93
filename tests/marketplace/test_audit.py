"""Every write of the catalog and of organizations leaves one audit entry, written with the change or not at all."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog import importing
from catalog import services as catalog
from catalog.models import Equipment, Provider, Service, ServiceImport
from marketplace.audit.models import AuditEntry
from marketplace.audit.selectors import audit_entries_for
from marketplace.exceptions import TransitionNotAllowed
from marketplace.organizations import services as organizations
from marketplace.organizations.models import Membership, Organization
from orders import services as orders
from tests.factories import (
    EquipmentFactory,
    IndustryFieldFactory,
    MembershipFactory,
    OrganizationFactory,
    ProviderFactory,
    ServiceCategoryFactory,
    ServiceFactory,
    UserFactory,
    platform_operator,
    valid_uscc,
)
from tests.orders.conftest import Deal, order_in_state, request_quote, send_quote

pytestmark = pytest.mark.django_db


@dataclass
class World:
    provider: Provider
    owner: Any  # owns the provider organization
    operator: Any  # platform staff
    category: Any
    service: Service  # a draft of the provider
    equipment: Equipment


@pytest.fixture
def world() -> World:
    provider = ProviderFactory()
    return World(
        provider=provider,
        owner=MembershipFactory(organization=provider.organization, role=Membership.Role.OWNER).user,
        operator=platform_operator(),
        category=ServiceCategoryFactory(slug="mechanical-testing"),
        service=ServiceFactory(provider=provider, status=Service.Status.DRAFT, published_at=None),
        equipment=EquipmentFactory(provider=provider),
    )


def _last_pk() -> int:
    return AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0


def _entries_since(last: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(pk__gt=last).order_by("pk"))


def _only_entry(call: Any) -> tuple[Any, AuditEntry]:
    last = _last_pk()
    result = call()
    entries = _entries_since(last)
    assert len(entries) == 1, [e.action for e in entries]
    return result, entries[0]


# --- catalog ---------------------------------------------------------------------------------------


def test_service_create_logs_created(world):
    service, entry = _only_entry(
        lambda: catalog.service_create(
            actor=world.owner,
            provider=world.provider,
            category=world.category,
            title_zh="金属材料室温拉伸试验",
            pricing_mode="per_unit",
            price=Decimal("300"),
            turnaround_days=3,
        )
    )
    assert (entry.action, entry.actor, entry.obj) == ("service.created", world.owner, service)


def test_service_update_logs_only_the_fields_that_changed(world):
    data = {"title_zh": world.service.title_zh, "title_en": "New title", "price": "450", "turnaround_days": 5}
    _, entry = _only_entry(
        lambda: catalog.service_update(actor=world.owner, service=world.service, data=data, equipment=[world.equipment])
    )
    assert (entry.action, entry.actor, entry.obj) == ("service.updated", world.owner, world.service)
    assert entry.data == {"fields": ["title_en", "price", "equipment"]}


def test_service_update_that_changes_nothing_logs_nothing(world):
    last = _last_pk()
    catalog.service_update(actor=world.owner, service=world.service, data={"title_zh": world.service.title_zh})
    assert _entries_since(last) == []


def test_service_publish_and_archive_log_their_transition(world):
    _, published = _only_entry(lambda: catalog.service_publish(actor=world.owner, service=world.service))
    assert (published.action, published.actor, published.data) == ("service.published", world.owner, {"from": "draft"})
    _, archived = _only_entry(lambda: catalog.service_archive(actor=world.owner, service=world.service))
    assert (archived.action, archived.actor, archived.data) == ("service.archived", world.owner, {"from": "published"})
    assert [e.action for e in audit_entries_for(world.service)] == ["service.published", "service.archived"]


def test_equipment_create_and_update_are_logged(world):
    equipment, created = _only_entry(
        lambda: catalog.equipment_create(actor=world.owner, provider=world.provider, name_zh="电子万能试验机")
    )
    assert (created.action, created.actor, created.obj) == ("equipment.created", world.owner, equipment)
    _, updated = _only_entry(
        lambda: catalog.equipment_update(
            actor=world.owner, equipment=equipment, data={"name_zh": "电子万能试验机", "max_slot_hours": 4}
        )
    )
    assert (updated.action, updated.actor, updated.data) == (
        "equipment.updated",
        world.owner,
        {"fields": ["max_slot_hours"]},
    )


def test_provider_profile_update_logs_changed_fields(world):
    field = IndustryFieldFactory()
    data = {"name_zh": world.provider.name_zh, "city": "杭州市", "fields": [field]}
    _, entry = _only_entry(
        lambda: catalog.provider_update_profile(actor=world.owner, provider=world.provider, data=data)
    )
    assert (entry.action, entry.actor, entry.obj) == ("provider.profile_updated", world.owner, world.provider)
    assert entry.data == {"fields": ["city", "fields"]}


def test_provider_verify_is_logged_with_the_operator(world):
    pending = ProviderFactory(verification=Provider.Verification.PENDING, verified_at=None)
    _, entry = _only_entry(lambda: catalog.provider_verify(actor=world.operator, provider=pending))
    assert (entry.action, entry.actor, entry.obj) == ("provider.verified", world.operator, pending)


def test_import_upload_and_commit_request_are_logged(world):
    upload = SimpleUploadedFile("services.csv", b"slug,title_zh\n")
    job, uploaded = _only_entry(
        lambda: catalog.service_import_start(actor=world.owner, provider=world.provider, upload=upload)
    )
    assert (uploaded.action, uploaded.actor, uploaded.obj) == ("service_import.uploaded", world.owner, job)
    ServiceImport.objects.filter(pk=job.pk).update(status=ServiceImport.Status.VALID)
    _, requested = _only_entry(lambda: catalog.service_import_commit(actor=world.owner, service_import=job))
    assert (requested.action, requested.actor, requested.obj) == ("service_import.commit_requested", world.owner, job)


# --- organizations ---------------------------------------------------------------------------------


def test_organization_create_is_logged():
    user = UserFactory()
    org, entry = _only_entry(
        lambda: organizations.organization_create(
            actor=user,
            kind="enterprise",
            name="宁波测试有限公司",
            uscc=valid_uscc(9001),
            province="浙江省",
            city="宁波市",
        )
    )
    assert (entry.action, entry.actor, entry.obj, entry.data) == (
        "organization.created",
        user,
        org,
        {"kind": "enterprise"},
    )


def test_joining_is_logged_on_the_organization():
    org = OrganizationFactory()
    user = UserFactory()
    _, entry = _only_entry(lambda: organizations.organization_join(actor=user, invite_code=org.invite_code))
    assert (entry.action, entry.actor, entry.obj) == ("organization.member_joined", user, org)


def test_organization_verify_is_logged_once():
    org = OrganizationFactory(verified_at=None)
    operator = platform_operator()
    _, entry = _only_entry(lambda: organizations.organization_verify(actor=operator, organization_id=org.pk))
    assert (entry.action, entry.actor, entry.obj) == ("organization.verified", operator, org)
    last = _last_pk()
    organizations.organization_verify(actor=operator, organization_id=org.pk)  # already verified: no change
    assert _entries_since(last) == []


def test_rotated_invite_code_is_logged_without_the_code():
    owner = MembershipFactory()
    org, entry = _only_entry(
        lambda: organizations.organization_rotate_invite_code(actor=owner.user, organization_id=owner.organization.pk)
    )
    assert (entry.action, entry.actor, entry.obj) == ("organization.invite_code_rotated", owner.user, org)
    assert org.invite_code not in json.dumps(entry.data)


# --- failures leave no trace -----------------------------------------------------------------------


def _create_without_title(w: World) -> None:
    catalog.service_create(
        actor=w.owner, provider=w.provider, category=w.category, title_zh="", pricing_mode="per_unit", turnaround_days=3
    )


@pytest.mark.parametrize(
    ("call", "error"),
    [
        pytest.param(_create_without_title, ValidationError, id="service_create-empty-title"),
        pytest.param(
            lambda w: catalog.service_update(actor=w.owner, service=w.service, data={"turnaround_days": 0}),
            ValidationError,
            id="service_update-bad-value",
        ),
        pytest.param(
            lambda w: catalog.provider_verify(actor=w.operator, provider=w.provider),
            TransitionNotAllowed,
            id="provider_verify-already-verified",
        ),
        pytest.param(
            lambda w: catalog.equipment_update(actor=w.owner, equipment=w.equipment, data={"max_slot_hours": -1}),
            ValidationError,
            id="equipment_update-bad-value",
        ),
        pytest.param(
            lambda w: catalog.service_import_commit(
                actor=w.owner,
                service_import=ServiceImport.objects.create(
                    provider=w.provider, created_by=w.owner, original_name="x.csv", format="csv"
                ),
            ),
            TransitionNotAllowed,
            id="service_import_commit-not-checked",
        ),
        pytest.param(
            lambda w: organizations.organization_join(actor=w.owner, invite_code=w.provider.organization.invite_code),
            organizations.JoinRefused,
            id="organization_join-already-member",
        ),
    ],
)
def test_refused_call_leaves_no_entry(world, call, error):
    last = _last_pk()
    with pytest.raises(error):
        call(world)
    assert _entries_since(last) == []


# --- imports through the real task path ------------------------------------------------------------

HEADER = ["slug", "title_zh", "category", "pricing_mode", "price", "price_unit", "turnaround_days", "status"]


def _csv(count: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for n in range(count):
        writer.writerow([f"tensile-{n}", f"拉伸试验{n}", "mechanical-testing", "per_unit", "300", "试样", "3", "draft"])
    return out.getvalue().encode("utf-8-sig")


def _import(world: World, capture: Any, count: int = 2) -> ServiceImport:
    with capture(execute=True):
        job = catalog.service_import_start(
            actor=world.owner, provider=world.provider, upload=SimpleUploadedFile("services.csv", _csv(count))
        )
    job.refresh_from_db()
    assert job.status == ServiceImport.Status.VALID, job.row_errors
    with capture(execute=True):
        catalog.service_import_commit(actor=world.owner, service_import=job)
    job.refresh_from_db()
    return job


def test_import_committed_by_the_task_logs_completed_with_counts(world, django_capture_on_commit_callbacks):
    job = _import(world, django_capture_on_commit_callbacks)
    assert job.status == ServiceImport.Status.DONE
    history = list(audit_entries_for(job))
    assert [e.action for e in history] == [
        "service_import.uploaded",
        "service_import.commit_requested",
        "service_import.completed",
    ]
    completed = history[-1]
    assert completed.actor == world.owner
    assert completed.data == {"created": 2, "updated": 0}


def test_import_whose_uploader_is_gone_logs_completed_without_actor(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = catalog.service_import_start(
            actor=world.owner, provider=world.provider, upload=SimpleUploadedFile("services.csv", _csv(1))
        )
    ServiceImport.objects.filter(pk=job.pk).update(status=ServiceImport.Status.IMPORTING, created_by=None)
    catalog.service_import_run_commit(import_id=job.pk)
    completed = audit_entries_for(job).get(action="service_import.completed")
    assert completed.actor is None


def test_import_that_fails_while_writing_logs_failed_and_nothing_else(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    def broken_write(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "write_services", broken_write)
    job = _import(world, django_capture_on_commit_callbacks)
    assert job.status == ServiceImport.Status.FAILED
    actions = [e.action for e in audit_entries_for(job)]
    assert actions == ["service_import.uploaded", "service_import.commit_requested", "service_import.failed"]
    failed = audit_entries_for(job).get(action="service_import.failed")
    assert (failed.actor, failed.data["status"], failed.data["phase"]) == (world.owner, "failed", "commit")
    assert not Service.objects.filter(slug__startswith="tensile-").exists()


def test_audit_entry_is_rolled_back_with_the_import(world, django_capture_on_commit_callbacks, monkeypatch):
    """A failure after the services are written undoes the services and the "completed" entry together."""
    real_finish = catalog._finish

    def finish(service_import, status, *args, **kwargs):
        if status == ServiceImport.Status.DONE:
            raise RuntimeError("lost the connection")
        return real_finish(service_import, status, *args, **kwargs)

    monkeypatch.setattr(catalog, "_finish", finish)
    job = _import(world, django_capture_on_commit_callbacks)
    assert job.status == ServiceImport.Status.FAILED
    assert not audit_entries_for(job).filter(action="service_import.completed").exists()
    assert not Service.objects.filter(slug__startswith="tensile-").exists()


# --- admin -----------------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client


def test_provider_admin_page_shows_its_history(superuser_client):
    provider = ProviderFactory(verification=Provider.Verification.PENDING, verified_at=None)
    catalog.provider_verify(actor=superuser_client.user, provider=provider)
    response = superuser_client.get(reverse("admin:catalog_provider_change", args=[provider.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "provider.verified" in page
    assert str(superuser_client.user) in page


def test_organization_admin_action_verifies_through_the_service(superuser_client):
    pending = OrganizationFactory(verified_at=None)
    done = OrganizationFactory()
    response = superuser_client.post(
        reverse("admin:organizations_organization_changelist"),
        {"action": "mark_verified", "_selected_action": [pending.pk, done.pk]},
        follow=True,
    )
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.verified_at is not None
    assert [(e.action, e.actor) for e in audit_entries_for(pending)] == [
        ("organization.verified", superuser_client.user)
    ]
    assert not audit_entries_for(done).exists()


@pytest.fixture
def deal_objects() -> dict[str, Any]:
    """One of each kind of orders record, made through the orders services."""
    buyer = MembershipFactory(organization__kind=Organization.Kind.ENTERPRISE)
    provider = ProviderFactory()
    provider_member = MembershipFactory(organization=provider.organization)
    deal = Deal(
        buyer_org=buyer.organization,
        buyer_user=buyer.user,
        provider=provider,
        provider_user=provider_member.user,
        other_sme_user=UserFactory(),
        other_provider_user=UserFactory(),
        operator_user=UserFactory(is_staff=True),
        staff_user=UserFactory(is_staff=True),
        service=ServiceFactory(provider=provider, pricing_mode="per_unit", price=Decimal("300.00")),
        quote_service=ServiceFactory(provider=provider, pricing_mode="quote_only", price=None),
    )
    order = order_in_state(deal, "completed")
    review = orders.review_create(actor=deal.buyer_user, order_id=order.pk, rating=5, comment="准时、专业。")
    message = orders.message_send(actor=deal.buyer_user, thread_id=order.thread_id, body="报告已收到，谢谢。")
    request = request_quote(deal)
    quote = send_quote(deal, request)
    return {
        "order": order,
        "report": order.report,
        "review": review,
        "message": message,
        "quoterequest": request,
        "quote": quote,
    }


@pytest.mark.parametrize("model", ["order", "quoterequest", "quote", "report", "review", "message"])
def test_orders_admin_is_view_only(superuser_client, deal_objects, model):
    obj = deal_objects[model]
    changelist = superuser_client.get(reverse(f"admin:orders_{model}_changelist"), {"q": "SO"})
    assert changelist.status_code == 200
    change = superuser_client.get(reverse(f"admin:orders_{model}_change", args=[obj.pk]))
    assert change.status_code == 200
    add_url = reverse(f"admin:orders_{model}_add")
    for response in (changelist, change):
        assert add_url not in response.content.decode()
    assert 'name="_save"' not in change.content.decode()
    assert superuser_client.get(add_url).status_code == 403


def test_order_admin_shows_lines_and_history(superuser_client, deal_objects):
    order = deal_objects["order"]
    page = superuser_client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()
    assert order.lines.first().description in page
    assert "order.completed" in page


def test_report_admin_shows_fingerprint_but_no_file_link(superuser_client, deal_objects):
    report = deal_objects["report"]
    page = superuser_client.get(reverse("admin:orders_report_change", args=[report.pk])).content.decode()
    assert report.sha256 in page
    assert report.verification_code in page
    assert report.file.name not in page


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_order_changelist_costs_the_same_queries_for_more_orders(superuser_client, deal_objects):
    url = reverse("admin:orders_order_changelist")
    one = _queries(superuser_client, url)
    order = deal_objects["order"]
    for _ in range(3):
        orders.order_create_direct(actor=order.created_by, buyer=order.buyer, service=order.service, quantity=1)
    assert _queries(superuser_client, url) == one


def test_history_inline_costs_the_same_queries_for_more_entries(superuser_client, world):
    url = reverse("admin:catalog_provider_change", args=[world.provider.pk])
    catalog.provider_update_profile(actor=world.owner, provider=world.provider, data={"city": "杭州市"})
    one = _queries(superuser_client, url)
    for city in ("温州市", "台州市", "绍兴市"):
        other = MembershipFactory(organization=world.provider.organization, role=Membership.Role.OWNER).user
        catalog.provider_update_profile(actor=other, provider=world.provider, data={"city": city})
    assert audit_entries_for(world.provider).count() == 4
    assert _queries(superuser_client, url) == one
