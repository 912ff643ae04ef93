"""The printable quote: a bilingual A4 PDF rendered by WeasyPrint from a Django template.

Rendering never touches the network or the file system: the template carries its own CSS, fonts
come from the system (fontconfig, `fonts-noto-cjk`), `base_url` is None, and the URL fetcher
refuses every URL that is not a `data:` URL, so text a user typed can never make the server fetch.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from marketplace.money import format_yuan

from .models import Quote, QuoteLine

TEMPLATE = "orders/quote_pdf.html"

# Bilingual labels are product text, written out in both languages rather than translated.
STATUS_LABELS = {
    Quote.Status.SENT: ("有效", "Open"),
    Quote.Status.SUPERSEDED: ("已被取代", "Superseded"),
    Quote.Status.ACCEPTED: ("已接受", "Accepted"),
    Quote.Status.DECLINED: ("已拒绝", "Declined"),
    Quote.Status.EXPIRED: ("已过期", "Expired"),
}


@dataclass(frozen=True)
class _Void:
    label_zh: str
    label_en: str
    note_zh: str
    note_en: str


# A quote in one of these states can no longer be accepted: the PDF says so on every page.
VOID_STATUSES = {
    Quote.Status.SUPERSEDED: _Void(
        "已作废",
        "SUPERSEDED",
        "本报价单已被新版本取代，不可再接受。",
        "This quotation has been superseded by a revision and can no longer be accepted.",
    ),
    Quote.Status.EXPIRED: _Void(
        "已过期",
        "EXPIRED",
        "本报价单已过有效期，不可再接受。",
        "This quotation has expired and can no longer be accepted.",
    ),
    Quote.Status.DECLINED: _Void(
        "已拒绝", "DECLINED", "本报价单已被委托方拒绝。", "This quotation was declined by the client."
    ),
}


class DataOnlyURLFetcher(URLFetcher):
    """Serves `data:` URLs and refuses everything else (http, https, file, ftp...) before opening it."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if not url.lower().startswith("data:"):
            raise ValueError(f"Refusing to fetch {url[:80]!r}: quote PDFs only embed data: URLs.")
        return super().fetch(url, headers)


def _trim(value: Decimal, places: str) -> str:
    text = f"{value.quantize(Decimal(places)):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_quantity(quantity: Decimal) -> str:
    """3, 2.5 or 1,200: no trailing zeros, thousands separators."""
    return _trim(quantity, "0.01")


def format_percent(rate: Decimal) -> str:
    """0.0600 → 6%, 0.1300 → 13%, 0.0550 → 5.5%."""
    return f"{_trim(rate * 100, '0.01')}%"


@dataclass(frozen=True)
class _Line:
    position: int
    description: str
    quantity: str
    unit: str
    unit_price: str
    amount: str


def quote_for_pdf(quote_id: int) -> Quote:
    """The quote with everything the PDF shows, in two queries whatever the number of lines."""
    return (
        Quote.objects.select_related("request__provider", "request__buyer", "request__service")
        .prefetch_related(Prefetch("lines", queryset=QuoteLine.objects.order_by("position")))
        .get(pk=quote_id)
    )


def quote_pdf_context(quote: Quote) -> dict[str, Any]:
    request = quote.request
    lines = [
        _Line(
            position=line.position,
            description=line.description,
            quantity=format_quantity(line.quantity),
            unit=line.unit,
            unit_price=format_yuan(line.unit_price),
            amount=format_yuan(line.amount),
        )
        for line in quote.lines.all()
    ]
    return {
        "quote": quote,
        "request": request,
        "provider": request.provider,
        "buyer": request.buyer,
        "service": request.service,
        "number": f"{request.number}-v{quote.version}",
        "issued": timezone.localdate(quote.created_at),
        "status_zh": STATUS_LABELS[Quote.Status(quote.status)][0],
        "status_en": STATUS_LABELS[Quote.Status(quote.status)][1],
        "void": VOID_STATUSES.get(Quote.Status(quote.status)),
        "lines": lines,
        "subtotal": format_yuan(quote.subtotal),
        "vat_percent": format_percent(quote.vat_rate),
        "vat_amount": format_yuan(quote.vat_amount),
        "total": format_yuan(quote.total),
    }


def render_quote_pdf(quote: Quote) -> bytes:
    """The quote as a bilingual (Chinese and English) A4 PDF.

    The quote is read again with its request, provider, buyer, service and lines (two queries), so
    callers may pass any instance of it. Permission checks are the caller's: fetch the quote through
    a selector first.
    """
    quote = quote_for_pdf(quote.pk)
    html = render_to_string(TEMPLATE, quote_pdf_context(quote))
    pdf = HTML(string=html, base_url=None, url_fetcher=DataOnlyURLFetcher()).write_pdf()
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return pdf
