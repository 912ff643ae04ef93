"""Every order status x every verb x every kind of actor, against ALLOWED_TRANSITIONS.

An allowed change moves the order to the table's target, writes one audit entry and e-mails the other
side after commit; anything else raises and leaves the order, its history and its reports untouched.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation

from marketplace.audit.models import AuditEntry
from marketplace.audit.selectors import audit_entries_for
from marketplace.exceptions import TransitionNotAllowed
from orders import services
from orders.models import Order, Report
from orders.permissions import Role
from tests.orders.conftest import Deal, make_deal, order_in_state, pdf_upload, place_order


@pytest.fixture(autouse=True)
def _english():
    """The refusals below are matched by their English text."""
    with translation.override("en"):
        yield


S = Order.Status

ACTORS: dict[str, Role | None] = {
    "buyer": Role.BUYER,
    "provider": Role.PROVIDER,
    "other_sme": None,
    "other_provider": None,
    "operator": Role.OPERATOR,
    "system": Role.SYSTEM,
}

AUDIT_ACTION = {
    "mark_paid": "order.paid",
    "receive_sample": "order.sample_received",
    "start_work": "order.started",
    "issue_report": "order.report_issued",
    "complete": "order.completed",
    "cancel": "order.cancelled",
    "refund": "order.refunded",
}


def actor_for(deal: Deal, name: str) -> Any:
    return {
        "buyer": deal.buyer_user,
        "provider": deal.provider_user,
        "other_sme": deal.other_sme_user,
        "other_provider": deal.other_provider_user,
        "operator": deal.operator_user,
        "system": None,
    }[name]


def perform(verb: str, order_id: int, actor: Any) -> Any:
    """Call the service for `verb` with valid extra arguments."""
    if verb == "mark_paid":
        return services.order_mark_paid(order_id=order_id, actor=actor, reference="bank transfer 88001")
    if verb == "receive_sample":
        return services.order_receive_sample(order_id=order_id, actor=actor, condition="sealed, intact")
    if verb == "start_work":
        return services.order_start_work(order_id=order_id, actor=actor)
    if verb == "issue_report":
        return services.order_issue_report(
            order_id=order_id, actor=actor, upload=pdf_upload(), report_number=f"NB-{uuid.uuid4().hex[:12]}"
        )
    if verb == "complete":
        return services.order_complete(order_id=order_id, actor=actor)
    if verb == "cancel":
        return services.order_cancel(order_id=order_id, actor=actor, reason="sample not available")
    if verb == "refund":
        row = Order.objects.get(pk=order_id)
        return services.order_refund(
            order_id=order_id, actor=actor, amount=row.total - row.amount_refunded, reason="lab closed"
        )
    raise AssertionError(f"no dispatcher for {verb}")


def order_at(deal: Deal, status: str) -> Order:
    """An order in `status`. A cancelled one was paid first, so that the table's refund of it can succeed."""
    if status == S.CANCELLED:
        order = order_in_state(deal, S.PAID)
        services.order_cancel(order_id=order.pk, actor=deal.provider_user, reason="lab closed")
        order.refresh_from_db()
        assert order.status == S.CANCELLED
        return order
    return order_in_state(deal, status)


def expected_target(status: str, verb: str, actor_name: str) -> str | None:
    rule = services.ALLOWED_TRANSITIONS.get((status, verb))
    role = ACTORS[actor_name]
    if rule is None or role is None or role not in rule[1]:
        return None
    return rule[0]


def snapshot(order: Order) -> dict[str, Any]:
    return {
        "row": Order.objects.filter(pk=order.pk).values().get(),
        "audit": audit_entries_for(order).count(),
        "reports": Report.objects.count(),
        "all_audit": AuditEntry.objects.count(),
    }


CASES = list(itertools.product(list(S), services.VERBS, ACTORS))


@dataclass
class World:
    deal: Deal
    order_ids: dict[str, int]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """One deal with one order in every status, built once for the module's hundreds of cases.

    It lives in a transaction around the module; each test runs in a savepoint inside it (pytest-django's
    `db`), so every case starts from the same orders and nothing outlives the module.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        deal = make_deal()
        yield World(deal=deal, order_ids={status: order_at(deal, status).pk for status in S})
        transaction.set_rollback(True)


def test_matrix_covers_every_status_verb_and_actor():
    assert set(services.VERBS) == set(AUDIT_ACTION)
    assert len(CASES) == len(S) * len(services.VERBS) * len(ACTORS)
    # Every (status, verb, role) the table allows is exactly one case of the matrix.
    allowed = sum(len(roles) for _target, roles in services.ALLOWED_TRANSITIONS.values())
    assert sum(expected_target(*case) is not None for case in CASES) == allowed


@pytest.mark.parametrize(("status", "verb", "actor_name"), CASES, ids=[f"{s.value}-{v}-{a}" for s, v, a in CASES])
def test_transition_matrix(world, db, django_capture_on_commit_callbacks, status, verb, actor_name):
    deal = world.deal
    order = Order.objects.get(pk=world.order_ids[status])
    assert order.status == status
    actor = actor_for(deal, actor_name)
    target = expected_target(status, verb, actor_name)
    before = snapshot(order)
    mail.outbox.clear()

    if target is None:
        expected_exc = PermissionDenied if ACTORS[actor_name] is None else TransitionNotAllowed
        with django_capture_on_commit_callbacks() as callbacks, pytest.raises(expected_exc):
            perform(verb, order.pk, actor)
        assert snapshot(order) == before
        assert callbacks == []
        return

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        perform(verb, order.pk, actor)
        assert mail.outbox == []  # nothing leaves before the transaction commits
    order.refresh_from_db()
    assert order.status == target

    entries = list(audit_entries_for(order))
    new_entries = entries[before["audit"] :]
    assert [e.action for e in new_entries] == [AUDIT_ACTION[verb]]
    assert AuditEntry.objects.count() == before["all_audit"] + 1
    assert new_entries[0].actor == (actor if actor_name != "system" else None)
    assert len(callbacks) == 1
    assert Report.objects.count() == before["reports"] + (1 if verb == "issue_report" else 0)

    # The other side hears about it by e-mail; whoever acted does not.
    parties = {"buyer": deal.buyer_user.email, "provider": deal.provider_user.email}
    expected_recipients = {email for side, email in parties.items() if side != actor_name}
    recipients = [address for message in mail.outbox for address in message.to]
    assert sorted(recipients) == sorted(expected_recipients)
    if actor is not None:
        assert actor.email not in recipients
    assert all(order.number in message.subject for message in mail.outbox)


# --- details the matrix does not show ------------------------------------------------------------------


def test_milestone_fields_are_set_by_their_transition(deal):
    order = place_order(deal)
    services.order_mark_paid(order_id=order.pk, actor=None, reference="pi_123")
    services.order_receive_sample(order_id=order.pk, actor=deal.provider_user, condition="  one bar scratched  ")
    services.order_start_work(order_id=order.pk, actor=deal.provider_user)
    report = services.order_issue_report(
        order_id=order.pk, actor=deal.provider_user, upload=pdf_upload(), report_number=" NB-2026-001 "
    )
    services.order_complete(order_id=order.pk, actor=deal.buyer_user)
    order.refresh_from_db()
    assert order.paid_at and order.sample_received_at and order.report_issued_at and order.completed_at
    assert order.paid_at <= order.sample_received_at <= order.report_issued_at <= order.completed_at
    assert order.sample_condition == "one bar scratched"
    assert report.report_number == "NB-2026-001"
    assert report.order == order and report.uploaded_by == deal.provider_user
    assert len(report.sha256) == 64 and len(report.verification_code) == 10


def test_refund_of_a_cancelled_unpaid_order_is_refused_and_changes_nothing(deal):
    order = order_in_state(deal, S.CANCELLED)  # cancelled while awaiting payment
    before = snapshot(order)
    with pytest.raises(TransitionNotAllowed, match="Nothing was paid"):
        services.order_refund(order_id=order.pk, actor=deal.provider_user, amount=Decimal("1.00"))
    assert snapshot(order) == before


def test_outsider_gets_permission_denied_for_a_refund_of_a_cancelled_unpaid_order(deal):
    order = order_in_state(deal, S.CANCELLED)
    before = snapshot(order)
    with pytest.raises(PermissionDenied):
        services.order_refund(order_id=order.pk, actor=deal.other_provider_user, amount=Decimal("1.00"))
    assert snapshot(order) == before


@pytest.mark.parametrize("amount", [Decimal("0.00"), Decimal("-1.00"), Decimal("636.01")])
def test_refund_outside_the_refundable_amount_is_refused_and_changes_nothing(deal, amount):
    order = order_in_state(deal, S.PAID)  # 2 x 300.00 + 6 % VAT = 636.00
    assert order.total == Decimal("636.00")
    before = snapshot(order)
    with pytest.raises(services.ValidationError):
        services.order_refund(order_id=order.pk, actor=deal.provider_user, amount=amount)
    assert snapshot(order) == before


def test_full_refund_records_the_whole_total(deal):
    order = order_in_state(deal, S.PAID)
    services.order_refund(order_id=order.pk, actor=deal.operator_user, amount=order.total)
    order.refresh_from_db()
    assert order.status == S.REFUNDED
    assert order.amount_refunded == order.total


def test_django_staff_without_a_platform_membership_cannot_refund(deal):
    order = order_in_state(deal, S.PAID)
    before = snapshot(order)
    with pytest.raises(PermissionDenied):
        services.order_refund(order_id=order.pk, actor=deal.staff_user, amount=Decimal("1.00"))
    assert snapshot(order) == before


def test_report_with_a_number_already_used_by_the_provider_is_refused(deal):
    first = order_in_state(deal, S.REPORT_ISSUED)
    used = Report.objects.get(order=first).report_number
    order = order_in_state(deal, S.IN_PROGRESS)
    before = snapshot(order)
    with pytest.raises(services.ValidationError) as exc:
        services.order_issue_report(
            order_id=order.pk, actor=deal.provider_user, upload=pdf_upload(), report_number=used
        )
    assert "report_number" in exc.value.message_dict
    assert snapshot(order) == before


def test_report_that_is_not_a_pdf_is_refused(deal):
    order = order_in_state(deal, S.IN_PROGRESS)
    before = snapshot(order)
    with pytest.raises(services.ValidationError) as exc:
        services.order_issue_report(
            order_id=order.pk,
            actor=deal.provider_user,
            upload=pdf_upload("report.pdf", b"MZ\x90\x00 not a pdf"),
            report_number="NB-1",
        )
    assert "file" in exc.value.message_dict
    assert snapshot(order) == before


def test_partial_refund_keeps_the_order_going_until_the_total_is_refunded(deal):
    order = order_in_state(deal, S.IN_PROGRESS)
    services.order_refund(order_id=order.pk, actor=deal.provider_user, amount=Decimal("10.00"), reason="goodwill")
    order.refresh_from_db()
    assert (order.status, order.amount_refunded) == (S.IN_PROGRESS, Decimal("10.00"))
    services.order_refund(order_id=order.pk, actor=None, amount=order.total - Decimal("10.00"))
    order.refresh_from_db()
    assert (order.status, order.amount_refunded) == (S.REFUNDED, order.total)
    actions = list(
        AuditEntry.objects.filter(object_id=order.pk, action__contains="refunded").values_list("action", flat=True)
    )
    assert actions == ["order.partially_refunded", "order.refunded"]
