"""Provider applications: the state machine (every allowed and refused move), what approval does, file privacy,
the operator's permissions, suspension and search, expiry reminders, and the queue's cost."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.models import Accreditation, Provider, Service
from catalog.services import provider_reinstate, provider_suspend
from marketplace.audit.models import AuditEntry
from marketplace.exceptions import TransitionNotAllowed
from marketplace.operations import services
from marketplace.operations.models import ApplicationDocument, ProviderApplication
from marketplace.organizations.models import Organization
from search import api as search_api
from search.api import SearchQuery
from tests.factories import (
    AccreditationFactory,
    IndustryFieldFactory,
    MembershipFactory,
    ProviderFactory,
    ServiceFactory,
    UserFactory,
    platform_operator,
)

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
pytestmark = pytest.mark.django_db
Status = ProviderApplication.Status
DATA = {
    "level": "provincial",
    "approving_authority": "浙江省经济和信息化厅",
    "approval_number": "浙经信〔2026〕7号",
    "lead_organization": "浙江某研究院",
    "lead_organization_en": "Zhejiang Institute",
    "contact_name": "陈工",
    "contact_phone": "0571-8888-0000",
    "contact_email": "apply@example.cn",
}


@pytest.fixture
def applicant(db):
    return MembershipFactory(organization__kind=Organization.Kind.PROVIDER).user


@pytest.fixture
def operator(db):
    return platform_operator()


def _org(user):
    return user.memberships.get().organization


def _start(applicant, **extra):
    data = {**DATA, "fields": [IndustryFieldFactory()], **extra}
    return services.application_start(actor=applicant, organization=_org(applicant), data=data)


def _add(applicant, application, kind=ApplicationDocument.Kind.BUSINESS_LICENCE, name="licence.pdf", **extra):
    return services.application_add_document(
        actor=applicant,
        application_id=application.pk,
        kind=kind,
        upload=SimpleUploadedFile(name, PDF, content_type="application/pdf"),
        **extra,
    )


def _submitted(applicant):
    application = _start(applicant)
    _add(applicant, application)
    return services.application_submit(actor=applicant, application_id=application.pk)


# --- state machine -------------------------------------------------------------------------------------

VERBS = ["submit", "request_changes", "approve", "reject"]


def _do(verb, applicant, operator, application):
    if verb == "submit":
        return services.application_submit(actor=applicant, application_id=application.pk)
    if verb == "request_changes":
        return services.application_request_changes(actor=operator, application_id=application.pk, reason="补充材料")
    if verb == "approve":
        return services.application_approve(actor=operator, application_id=application.pk)
    return services.application_reject(actor=operator, application_id=application.pk, reason="不符合条件")


def _in_state(status, applicant, operator):
    application = _start(applicant)
    _add(applicant, application)
    path = {
        Status.DRAFT: [],
        Status.SUBMITTED: ["submit"],
        Status.CHANGES_REQUESTED: ["submit", "request_changes"],
        Status.RESUBMITTED: ["submit", "request_changes", "submit"],
        Status.APPROVED: ["submit", "approve"],
        Status.REJECTED: ["submit", "reject"],
    }[status]
    for verb in path:
        application = _do(verb, applicant, operator, application)
    application.refresh_from_db()
    assert application.status == status
    return application


@pytest.mark.parametrize(("status", "verb"), list(itertools.product(Status.values, VERBS)))
def test_every_move_from_every_state_is_allowed_exactly_as_the_table_says(status, verb, applicant, operator):
    application = _in_state(status, applicant, operator)
    allowed = services.TRANSITIONS.get((status, verb))
    if allowed is None:
        with pytest.raises(TransitionNotAllowed):
            _do(verb, applicant, operator, application)
        application.refresh_from_db()
        assert application.status == status  # nothing half-written
        return
    before = AuditEntry.objects.count()
    _do(verb, applicant, operator, application)
    application.refresh_from_db()
    assert application.status == allowed[0]
    assert AuditEntry.objects.filter(action=f"provider_application.{allowed[0]}").exists()
    assert AuditEntry.objects.count() > before


@pytest.mark.parametrize("verb", ["request_changes", "approve", "reject"])
def test_applicants_cannot_decide_and_staff_status_alone_is_not_an_operator(verb, applicant):
    application = _submitted(applicant)
    for outsider in (applicant, UserFactory(is_staff=True)):
        with pytest.raises(PermissionDenied):
            _do(verb, applicant, outsider, application)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_operators_cannot_submit_for_the_applicant(applicant, operator):
    application = _start(applicant)
    _add(applicant, application)
    with pytest.raises(PermissionDenied):
        services.application_submit(actor=operator, application_id=application.pk)


@pytest.mark.parametrize("verb", ["request_changes", "reject"])
def test_sending_back_or_rejecting_needs_a_reason(verb, applicant, operator):
    application = _submitted(applicant)
    decide = getattr(services, f"application_{verb}")
    with pytest.raises(ValidationError):
        decide(actor=operator, application_id=application.pk, reason="   ")
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_submission_needs_the_business_licence(applicant):
    application = _start(applicant)
    with pytest.raises(ValidationError):
        services.application_submit(actor=applicant, application_id=application.pk)
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_documents_are_checked_by_their_bytes_and_frozen_under_review(applicant):
    application = _start(applicant)
    with pytest.raises(ValidationError):
        services.application_add_document(
            actor=applicant,
            application_id=application.pk,
            kind=ApplicationDocument.Kind.BUSINESS_LICENCE,
            upload=SimpleUploadedFile("licence.pdf", b"<html><script>alert(1)</script>"),
        )
    with pytest.raises(ValidationError):
        _add(applicant, application, name="page.html")
    with pytest.raises(ValidationError):  # an accreditation without its number
        _add(applicant, application, kind=ApplicationDocument.Kind.ACCREDITATION, scheme="CNAS")
    _add(applicant, application)
    services.application_submit(actor=applicant, application_id=application.pk)
    with pytest.raises(TransitionNotAllowed):
        _add(applicant, application, name="late.pdf")
    assert application.documents.count() == 1


def test_one_open_application_per_organization_and_a_new_one_after_rejection(applicant, operator):
    application = _submitted(applicant)
    with pytest.raises(TransitionNotAllowed):
        _start(applicant)
    services.application_reject(actor=operator, application_id=application.pk, reason="材料不实")
    again = _start(applicant)
    assert again.provider_id == application.provider_id  # the same provider record, still not public
    assert Provider.objects.get(pk=again.provider_id).verification == Provider.Verification.REJECTED


def test_only_provider_organizations_apply():
    sme = MembershipFactory(organization__kind=Organization.Kind.ENTERPRISE).user
    with pytest.raises(TransitionNotAllowed):
        _start(sme)


# --- what approval does ---------------------------------------------------------------------------------


def test_nothing_is_public_before_approval_and_approval_lists_the_provider(applicant, operator):
    application = _start(applicant)
    provider = application.provider
    assert provider.verification == Provider.Verification.PENDING
    service = ServiceFactory(provider=provider, status=Service.Status.PUBLISHED)
    assert not Service.objects.public().filter(pk=service.pk).exists()
    _add(
        applicant,
        application,
        kind=ApplicationDocument.Kind.ACCREDITATION,
        name="cnas.pdf",
        scheme="CNAS",
        number="CNAS L9999",
        valid_until=dt.date(2029, 12, 31),
    )
    _add(applicant, application)
    services.application_submit(actor=applicant, application_id=application.pk)
    services.application_approve(actor=operator, application_id=application.pk, reason="材料齐全")
    provider.refresh_from_db()
    assert provider.is_verified and provider.level == "provincial"
    assert provider.lead_organization_en == "Zhejiang Institute"
    assert list(provider.fields.all()) == list(application.fields.all())
    accreditation = Accreditation.objects.get(provider=provider)
    assert (accreditation.scheme, accreditation.number) == ("CNAS", "CNAS L9999")
    assert accreditation.certificate.read() == PDF
    assert Service.objects.public().filter(pk=service.pk).exists()
    assert AuditEntry.objects.filter(action="provider.verified", object_id=provider.pk).exists()


def test_the_applicant_hears_of_every_step_by_email_in_their_language(
    applicant, operator, django_capture_on_commit_callbacks
):
    applicant.language = "en"
    applicant.save()
    with django_capture_on_commit_callbacks(execute=True):
        application = _submitted(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_request_changes(actor=operator, application_id=application.pk, reason="Add the CMA")
    subjects = [m.subject for m in mail.outbox if m.to == [applicant.email]]
    assert subjects[0].startswith("[Innovation Services] Application received")
    assert subjects[1].startswith("[Innovation Services] Changes requested to your application")
    assert "Add the CMA" in mail.outbox[-1].body


# --- files, pages and permissions ---------------------------------------------------------------------


def test_documents_are_served_to_the_applicant_and_operators_only(client, applicant, operator):
    application = _start(applicant)
    document = _add(applicant, application)
    url = reverse("apply:document", args=[document.pk])
    assert client.get(url).status_code == 302  # anonymous: sign in first, nothing shown
    for outsider in (MembershipFactory(organization__kind=Organization.Kind.PROVIDER).user, UserFactory(is_staff=True)):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    for allowed in (applicant, operator):
        client.force_login(allowed)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"


def test_applicant_journey_through_the_pages(client, applicant, operator):
    client.force_login(applicant)
    assert client.get(reverse("catalog:dashboard")).status_code in {200, 302}
    page = client.get(reverse("apply:application"))
    assert page.status_code == 200 and "application_start" in page.templates[0].name
    field = IndustryFieldFactory()
    response = client.post(reverse("apply:application"), {**DATA, "fields": [field.pk]})
    assert response.status_code == 302
    application = ProviderApplication.objects.get(organization=_org(applicant))
    upload = SimpleUploadedFile("licence.pdf", PDF, content_type="application/pdf")
    client.post(reverse("apply:document-add", args=[application.pk]), {"kind": "business_licence", "file": upload})
    client.post(reverse("apply:submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    client.force_login(operator)
    queue = client.get(reverse("operations:queue"))
    assert queue.status_code == 200 and _org(applicant).name in queue.content.decode()
    review = client.get(reverse("operations:application", args=[application.pk]))
    assert review.status_code == 200 and reverse("apply:document", args=[application.documents.get().pk]) in (
        review.content.decode()
    )
    refused = client.post(reverse("operations:application", args=[application.pk]), {"decision": "reject"})
    assert refused.status_code == 200 and refused.context["form"].errors["reason"]
    client.post(reverse("operations:application", args=[application.pk]), {"decision": "approve", "reason": ""})
    application.refresh_from_db()
    assert application.status == Status.APPROVED


def test_console_is_a_404_for_everyone_but_operators(client, applicant):
    application = _submitted(applicant)
    for user in (applicant, UserFactory(is_staff=True)):
        client.force_login(user)
        for url in (
            reverse("operations:queue"),
            reverse("operations:providers"),
            reverse("operations:application", args=[application.pk]),
        ):
            assert client.get(url).status_code == 404


def test_operator_reaches_the_admin_pages_it_needs_and_not_superuser_ones(client, operator):
    client.force_login(operator)
    for name in ("catalog_provider", "organizations_organization", "operations_providerapplication", "orders_order"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    for name in ("accounts_user", "auth_group"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 403, name


@pytest.mark.parametrize(
    "params",
    [
        {"status": "nonsense"},
        {"level": "1.5"},
        {"province": "x" * 500},
        {"page": "-1"},
        {"page": "9999999999999999999999"},
        {"status": "\x00"},
    ],
)
def test_console_filters_ignore_hostile_values(client, operator, params):
    client.force_login(operator)
    assert client.get(reverse("operations:queue"), params).status_code == 200
    assert client.get(reverse("operations:providers"), params).status_code == 200


# --- suspension ------------------------------------------------------------------------------------------


def _found(text: str) -> set[int]:
    return {hit.service_id for hit in search_api.search_services(SearchQuery(text=text)).hits}


def test_suspended_providers_leave_search_and_come_back_when_reinstated(operator, django_capture_on_commit_callbacks):
    provider = ProviderFactory()
    with django_capture_on_commit_callbacks(execute=True):
        service = ServiceFactory(provider=provider, title_zh="涡轮叶片疲劳试验", status=Service.Status.PUBLISHED)
    assert service.pk in _found("涡轮叶片")
    with pytest.raises(ValidationError):
        provider_suspend(actor=operator, provider=provider, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        provider_suspend(actor=operator, provider=provider, reason="资质过期")
    assert service.pk not in _found("涡轮叶片")
    assert not Service.objects.public().filter(pk=service.pk).exists()
    with pytest.raises(TransitionNotAllowed):
        provider_suspend(actor=operator, provider=provider, reason="again")
    with django_capture_on_commit_callbacks(execute=True):
        provider_reinstate(actor=operator, provider=provider, reason="已更新")
    assert service.pk in _found("涡轮叶片")
    actions = list(AuditEntry.objects.filter(object_id=provider.pk).values_list("action", flat=True))
    assert "provider.suspended" in actions and "provider.reinstated" in actions


def test_suspend_through_the_console(client, operator):
    provider = ProviderFactory()
    client.force_login(operator)
    url = reverse("operations:provider-status", args=[provider.pk, "suspend"])
    client.post(url, {"reason": ""})
    provider.refresh_from_db()
    assert provider.is_verified
    client.post(url, {"reason": "投诉核实"})
    provider.refresh_from_db()
    assert provider.verification == Provider.Verification.SUSPENDED
    assert (
        client.post(reverse("operations:provider-status", args=[provider.pk, "explode"]), {"reason": "x"}).status_code
        == 404
    )


# --- accreditation expiry --------------------------------------------------------------------------------


def test_expiring_accreditations_are_reminded_once_and_expired_ones_flagged(
    client, operator, django_capture_on_commit_callbacks
):
    provider = ProviderFactory()
    member = MembershipFactory(organization=provider.organization).user
    today = timezone.localdate()
    soon = AccreditationFactory(
        provider=provider, scheme="CNAS", number="L1", valid_until=today + dt.timedelta(days=20)
    )
    AccreditationFactory(provider=provider, scheme="CMA", number="C1", valid_until=today + dt.timedelta(days=90))
    expired = AccreditationFactory(
        provider=provider, scheme="CMA", number="C2", valid_until=today - dt.timedelta(days=1)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.accreditations_remind_expiring() == 1
    assert [m.to for m in mail.outbox] == [[member.email]]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.accreditations_remind_expiring() == 0
    assert len(mail.outbox) == 1
    soon.refresh_from_db()
    soon.valid_until = today + dt.timedelta(days=25)  # corrected date inside the same window: no second reminder
    soon.save()
    assert services.accreditations_remind_expiring() == 0
    soon.valid_until = today + dt.timedelta(days=400)  # renewed: reminded again 30 days before the new date
    soon.save()
    assert services.accreditations_remind_expiring() == 0
    assert expired.is_expired and not soon.is_expired
    client.force_login(operator)
    assert "C2" in client.get(reverse("operations:queue")).content.decode()
    public = client.get(provider.get_absolute_url()).content.decode()
    assert "C2" in public and ("已过期" in public or "Expired" in public)


# --- cost ----------------------------------------------------------------------------------------------------


def _queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("operations:queue")).status_code == 200
    return len(queries)


def test_queue_costs_the_same_queries_however_many_applications(client, operator):
    def applications(n: int) -> None:
        for _ in range(n):
            _submitted(MembershipFactory(organization__kind=Organization.Kind.PROVIDER).user)

    applications(2)
    client.force_login(operator)
    few = _queue_queries(client)
    applications(20)
    assert _queue_queries(client) == few
