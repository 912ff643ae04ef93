"""A bookable instrument with fixed rules and a fixed `now`, shared by the booking tests.

`NOW` is a Monday 09:00 China time; every test passes it explicitly (`now=NOW`), so what is "ahead",
"within the horizon" or "inside the free cancellation window" never depends on the real clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from catalog.models import Equipment
from marketplace.organizations.models import Organization
from orders import booking
from orders.models import Booking, BookingPolicy
from tests.factories import EquipmentFactory
from tests.orders.conftest import Deal

CHINA = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=CHINA)  # Monday 2 March 2026, 09:00 in Beijing (01:00 UTC)
RATE = Decimal("200.00")
POLICY = {
    "hourly_rate": RATE,
    "min_hours": 1,
    "buffer_minutes": 30,
    "horizon_days": 60,
    "free_cancellation_hours": 24,
}
WEEKDAYS_8_TO_18: dict[int, tuple[time, time] | None] = {day: (time(8), time(18)) for day in range(5)}


def at(day: date | int, hour: int, minute: int = 0) -> datetime:
    """China time on a date, or on the day `day` days after NOW's date."""
    if isinstance(day, int):
        day = NOW.date() + timedelta(days=day)
    return datetime.combine(day, time(hour, minute), tzinfo=CHINA)


TUE, WED, THU, FRI, SAT, SUN = 1, 2, 3, 4, 5, 6  # days after NOW (a Monday)


@dataclass
class Lab:
    """The provider's bookable instrument (used by `deal.service`) and the people around it."""

    deal: Deal
    equipment: Equipment
    policy: BookingPolicy
    other_buyer_org: Organization

    def hold(
        self, starts_at: datetime, hours: int = 2, *, other: bool = False, now: datetime = NOW, **kw: Any
    ) -> Booking:
        """Hold a slot as the deal's buyer (or, with other=True, as another SME)."""
        actor = self.deal.other_sme_user if other else self.deal.buyer_user
        buyer = self.other_buyer_org if other else self.deal.buyer_org
        return booking.booking_hold(
            actor=actor, buyer=buyer, equipment_id=self.equipment.pk, starts_at=starts_at, hours=hours, now=now, **kw
        )

    def calendar(self, around: datetime) -> booking.Calendar:
        """A fresh calendar from the database, wide enough for any booking near `around`."""
        equipment = Equipment.objects.get(pk=self.equipment.pk)
        return booking.load_calendar(equipment, around - timedelta(days=5), around + timedelta(days=5))


def make_lab(deal: Deal) -> Lab:
    """Mon–Fri 08:00–18:00, 200.00 CNY an hour, 1–8 hours, 24 h notice, 30 min buffer, 60 days ahead."""
    equipment = EquipmentFactory(provider=deal.provider, bookable=True, min_notice_hours=24, max_slot_hours=8)
    deal.service.equipment.add(equipment)  # a published service of a verified provider: bookable online
    policy = booking.booking_policy_save(
        actor=deal.provider_user, equipment=equipment, data=dict(POLICY), opening=dict(WEEKDAYS_8_TO_18)
    )
    other = Organization.objects.get(memberships__user=deal.other_sme_user)
    return Lab(deal=deal, equipment=equipment, policy=policy, other_buyer_org=other)
