"""How amounts of money are written, everywhere: pages, e-mails, PDFs, messages."""

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")


def format_yuan(amount: Decimal | int | str) -> str:
    """`¥25,000`, `¥1,234.50`, `-¥80`: thousands separators, rounded half-up to the fen, no `.00` on whole yuan.

    The same in every language and locale (Chinese and English readers both write ¥1,234.50).
    """
    fen = Decimal(amount).quantize(FEN, rounding=ROUND_HALF_UP)
    text = f"{abs(fen):,.2f}".removesuffix(".00")
    return f"-¥{text}" if fen < 0 else f"¥{text}"
