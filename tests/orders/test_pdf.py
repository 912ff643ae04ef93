"""The printable quote (WeasyPrint) and inline QR codes."""

from __future__ import annotations

import io
import shutil
import socket
import subprocess
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader
from weasyprint import HTML

from orders import services
from orders.models import Quote
from orders.money import LineInput
from orders.pdf import DataOnlyURLFetcher, format_percent, format_quantity, render_quote_pdf
from orders.qr import qr_svg
from tests.browser import ARTIFACTS

from .conftest import Deal, request_quote, send_quote

PDF_ARTIFACTS = ARTIFACTS / "quote-pdf"


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def save_first_page_png(pdf: bytes, name: str) -> Path:
    """Write the PDF and a 60 dpi PNG of its first page to test-artifacts/quote-pdf/ so a person can look."""
    PDF_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf_path = PDF_ARTIFACTS / f"{name}.pdf"
    pdf_path.write_bytes(pdf)
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm is missing: install poppler-utils (scripts/test.sh does)"
    subprocess.run(  # noqa: S603 - fixed arguments, our own file
        [pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf_path), str(PDF_ARTIFACTS / name)],
        check=True,
        timeout=60,
    )
    return PDF_ARTIFACTS / f"{name}.png"


@pytest.fixture
def quote(deal: Deal) -> Quote:
    provider = deal.provider
    provider.contact_name = "王工"
    provider.contact_phone = "0574-8888 1234"
    provider.contact_email = "lab@example.cn"
    provider.address = "高新区聚贤路 1299 号"
    provider.save()
    # 3 × ¥1,234.57 = ¥3,703.71; VAT 6 % = 222.2226 → ¥222.22; total ¥3,925.93
    return send_quote(deal, request_quote(deal), price="1234.57")


def test_quote_pdf_shows_provider_number_and_totals(quote: Quote, deal: Deal, django_assert_num_queries) -> None:
    with django_assert_num_queries(2):
        pdf = render_quote_pdf(quote)

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "报价单" in text
    assert "Quotation" in text or "QUOTATION" in text
    assert deal.provider.name_zh in text
    assert deal.buyer_org.name in text
    assert f"{quote.request.number}-v1" in text
    assert "¥3,703.71" in text
    assert "增值税 6%" in text
    assert "VAT 6%" in text
    assert "¥222.22" in text
    assert "¥3,925.93" in text
    assert "¥1,234.57" in text
    assert "王工" in text
    assert "样品检测后不退还" in text
    assert "SUPERSEDED" not in text


def test_quote_pdf_first_page_renders_to_a_png(quote: Quote) -> None:
    started = time.perf_counter()
    pdf = render_quote_pdf(quote)
    elapsed = time.perf_counter() - started

    png = save_first_page_png(pdf, "quote-open")
    assert png.exists()
    assert png.stat().st_size > 20_000  # a blank A4 page at 60 dpi is about 2 KB
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert elapsed < 30, f"rendering took {elapsed:.1f} s"


def test_superseded_quote_pdf_is_marked_void(deal: Deal) -> None:
    request = request_quote(deal)
    first = send_quote(deal, request)
    send_quote(deal, request, price="900.00")  # the revision supersedes version 1
    first.refresh_from_db()
    assert first.status == Quote.Status.SUPERSEDED

    pdf = render_quote_pdf(first)

    text = pdf_text(pdf)
    assert "已作废" in text
    assert "SUPERSEDED" in text
    assert f"{request.number}-v1" in text
    assert save_first_page_png(pdf, "quote-superseded").stat().st_size > 20_000


def test_declined_and_expired_quotes_are_marked_void(deal: Deal) -> None:
    declined = send_quote(deal, request_quote(deal))
    services.quote_decline(actor=deal.buyer_user, quote_id=declined.pk, reason="budget")
    expired = send_quote(deal, request_quote(deal))
    # No clock to move forward here: expire the quote the way the daily job's outcome leaves it.
    Quote.objects.filter(pk=expired.pk).update(status=Quote.Status.EXPIRED)

    assert "DECLINED" in pdf_text(render_quote_pdf(declined))
    assert "EXPIRED" in pdf_text(render_quote_pdf(expired))


def test_long_quote_runs_onto_more_pages_without_losing_a_line(deal: Deal) -> None:
    lines = [
        LineInput(
            description=f"第{n}项 金属材料室温拉伸试验（含试样加工、尺寸测量与断口拍照）/ Item {n}: tensile test",
            quantity=Decimal("12.5"),
            unit="件",
            unit_price=Decimal("98765.43"),
        )
        for n in range(1, 41)
    ]
    terms = services.QuoteTerms(
        lines=lines,
        valid_until=timezone.localdate() + timedelta(days=30),
        turnaround_days=20,
        vat_rate=Decimal("0.13"),
        terms="\n".join(f"{n}. 样品检测后不退还；报告以中文出具。 Samples are not returned." for n in range(1, 16)),
    )
    quote = services.quote_send(actor=deal.provider_user, request_id=request_quote(deal).pk, terms=terms)

    pdf = render_quote_pdf(quote)

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    text = pdf_text(pdf)
    assert all(f"第{n}项" in text for n in range(1, 41))
    assert "¥1,234,567.88" in text  # 12.5 × 98,765.43 = 1,234,567.875 → half-up to the fen
    assert "增值税 13%" in text
    assert quote.total == Decimal("55802468.18")
    assert "¥6,419,752.98" in text
    assert "¥55,802,468.18" in text
    assert "15. 样品检测后不退还" in text
    save_first_page_png(pdf, "quote-long")


def test_markup_in_quote_text_is_printed_not_fetched(deal: Deal) -> None:
    request = request_quote(deal, sample_description='<img src="http://127.0.0.1:9/x.png"> 钢板')
    quote = send_quote(deal, request)

    text = pdf_text(render_quote_pdf(quote))

    assert '<img src="http://127.0.0.1:9/x.png">' in text


def test_rendering_never_opens_a_connection_or_a_local_file(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[object] = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))
    html = (
        '<html><head><link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
        '<style>@import url("https://example.cn/y.css");'
        " @font-face { font-family: X; src: url(file:///etc/hostname); }</style></head>"
        '<body><img src="http://127.0.0.1:9/x.png"><img src="file:///etc/hostname">'
        "<img src=\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/%3E\">"
        "报价单</body></html>"
    )

    pdf = HTML(string=html, base_url=None, url_fetcher=DataOnlyURLFetcher()).write_pdf()

    assert pdf is not None and pdf.startswith(b"%PDF")
    assert attempts == []


@pytest.mark.parametrize(
    "url", ["http://example.cn/a.png", "https://example.cn/a.css", "file:///etc/passwd", "ftp://x/y"]
)
def test_fetcher_refuses_anything_but_data_urls(url: str) -> None:
    with pytest.raises(ValueError, match="Refusing"):
        DataOnlyURLFetcher().fetch(url)


def test_fetcher_serves_data_urls() -> None:
    response = DataOnlyURLFetcher().fetch("data:text/plain,hello")
    assert response.read() == b"hello"


@pytest.mark.parametrize(
    ("rate", "expected"), [("0.0600", "6%"), ("0.1300", "13%"), ("0.1000", "10%"), ("0.0550", "5.5%"), ("0", "0%")]
)
def test_vat_rate_is_printed_as_a_percentage(rate: str, expected: str) -> None:
    assert format_percent(Decimal(rate)) == expected


@pytest.mark.parametrize(("quantity", "expected"), [("3.00", "3"), ("2.50", "2.5"), ("1200.00", "1,200")])
def test_quantities_drop_trailing_zeros(quantity: str, expected: str) -> None:
    assert format_quantity(Decimal(quantity)) == expected


# --- QR codes ----------------------------------------------------------------------------------------


def test_qr_svg_is_inline_svg_markup_with_a_title() -> None:
    svg = qr_svg("https://example.cn/verify/ABCD2345/")

    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    assert "<title>" in svg
    assert "https://example.cn/verify/ABCD2345/" in svg
    assert 'role="img"' in svg
    assert "<?xml" not in svg
    assert 'id="' not in svg  # two codes on one page must not repeat an id
    assert hasattr(svg, "__html__")  # SafeString: templates print it as markup


def test_different_urls_give_different_qr_codes() -> None:
    assert qr_svg("https://example.cn/verify/AAAA/") != qr_svg("https://example.cn/verify/BBBB/")
    assert qr_svg("https://example.cn/verify/AAAA/") == qr_svg("https://example.cn/verify/AAAA/")


def test_qr_svg_escapes_the_url_in_its_title() -> None:
    svg = qr_svg('https://example.cn/?q=<script>alert("x")</script>&a=1')

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "&amp;a=1" in svg
