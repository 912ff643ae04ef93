"""Amounts of money: rounded to the fen one way, and written one way everywhere (pages, e-mails, PDFs, messages)."""

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")


def round_fen(value: Decimal) -> Decimal:
    """Half-up to the fen (0.01 CNY): the rounding rule of every amount (see orders.money)."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def format_yuan(amount: Decimal | int | str) -> str:
    """`¥25,000`, `¥1,234.50`, `-¥80`: thousands separators, rounded half-up to the fen, no `.00` on whole yuan.

    The same in every language and locale (Chinese and English readers both write ¥1,234.50).
    """
    fen = round_fen(Decimal(amount))
    text = f"{abs(fen):,.2f}".removesuffix(".00")
    return f"-¥{text}" if fen < 0 else f"¥{text}"
