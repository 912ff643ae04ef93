"""Order and quote arithmetic in Decimal CNY.

Rounding rule (written down once, used everywhere):
1. A line's amount is quantity × unit price, rounded to the fen (0.01) half-up.
2. The subtotal is the sum of the rounded line amounts.
3. VAT is computed once on the subtotal (not per line): subtotal × rate, rounded to the fen half-up.
4. The total is subtotal + VAT; it is what the buyer pays, in fen for card payments.
Prices in the catalog exclude VAT; the default rate is the 6 % that applies to technical services.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from marketplace.money import FEN, round_fen

__all__ = ["FEN", "LineInput", "Totals", "default_vat_rate", "round_fen", "to_fen", "totals_for"]


def default_vat_rate() -> Decimal:
    return Decimal(str(settings.ORDER_DEFAULT_VAT_RATE))


@dataclass(frozen=True)
class LineInput:
    description: str
    quantity: Decimal
    unit_price: Decimal
    unit: str = ""

    @property
    def amount(self) -> Decimal:
        return round_fen(self.quantity * self.unit_price)


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    vat_rate: Decimal
    vat_amount: Decimal
    total: Decimal


def totals_for(lines: Iterable[LineInput], vat_rate: Decimal) -> Totals:
    """Subtotal, VAT and total of the lines under the rounding rule above."""
    subtotal = sum((line.amount for line in lines), Decimal("0.00"))
    vat = round_fen(subtotal * vat_rate)
    return Totals(subtotal=subtotal, vat_rate=vat_rate, vat_amount=vat, total=subtotal + vat)


def to_fen(amount: Decimal) -> int:
    """Minor units for payment APIs (1 yuan = 100 fen)."""
    return int(round_fen(amount) * 100)
