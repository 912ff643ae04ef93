"""Exports of the statistics (CSV, XLSX) and the monthly report for the bureau (PDF with SVG charts)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from weasyprint import HTML

from catalog.importing import quote_formula
from orders.pdf import DataOnlyURLFetcher

from .selectors import PlatformStatistics
from .utilisation import Utilisation


def tables(stats: PlatformStatistics) -> list[tuple[str, list[str], list[Sequence[Any]]]]:
    """(title, header, rows) of every table: the page, the exports and the report show the same numbers."""
    money = _("Revenue (CNY)")
    return [
        (
            _("By month"),
            [_("Month"), _("Orders paid"), money, _("SMEs served"), _("Refunds (CNY)")],
            [[m["month"].strftime("%Y-%m"), m["orders"], m["revenue"], m["smes"], m["refunds"]] for m in stats.months],
        ),
        (
            _("By center"),
            [_("Center"), _("Orders paid"), money],
            [[r.label, r.orders, r.revenue] for r in stats.by_provider],
        ),
        (
            _("By category"),
            [_("Category"), _("Orders paid"), money],
            [[r.label, r.orders, r.revenue] for r in stats.by_category],
        ),
        (
            _("By field"),
            [_("Field"), _("Orders paid"), money],
            [[r.label, r.orders, r.revenue] for r in stats.by_field],
        ),
        (
            _("By region"),
            [_("Province"), _("Orders paid"), money],
            [[r.label, r.orders, r.revenue] for r in stats.by_province],
        ),
        (_("Centers by level"), [_("Level"), _("Centers")], [list(r) for r in stats.providers_by_level]),
        (_("Centers by province"), [_("Province"), _("Centers")], [list(r) for r in stats.providers_by_province]),
        (_("Centers by field"), [_("Field"), _("Centers")], [list(r) for r in stats.providers_by_field]),
        (_("Services by category"), [_("Category"), _("Services")], [list(r) for r in stats.services_by_category]),
        (
            _("Equipment utilisation by center"),
            [_("Center"), _("Booked hours"), _("Open hours"), _("Utilisation (%)")],
            [_utilisation_row(u) for u in stats.utilisation_by_center],
        ),
        (
            _("Equipment utilisation by instrument"),
            [_("Instrument"), _("Booked hours"), _("Open hours"), _("Utilisation (%)")],
            [_utilisation_row(u) for u in stats.utilisation],
        ),
        (_("Top searches"), [_("Query"), _("Searches")], [list(r) for r in stats.top_queries]),
        (_("Searches without results"), [_("Query"), _("Searches")], [list(r) for r in stats.zero_result_queries]),
    ]


def _utilisation_row(u: Utilisation) -> list[Any]:
    return [u.label, round(u.booked_hours, 1), round(u.open_hours, 1), u.percent]


def _cell(value: Any) -> Any:
    return quote_formula(value) if isinstance(value, str) else value


def to_csv(stats: PlatformStatistics) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for title, header, rows in tables(stats):
        writer.writerow([_cell(title)])
        writer.writerow([_cell(h) for h in header])
        writer.writerows([[_cell(v) for v in row] for row in rows])
        writer.writerow([])
    return out.getvalue().encode("utf-8-sig")  # with a BOM, Excel opens the Chinese text correctly


def to_xlsx(stats: PlatformStatistics) -> bytes:
    workbook = Workbook()
    first = True
    for title, header, rows in tables(stats):
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        assert sheet is not None
        sheet.title = title[:31]
        sheet.append(header)
        for row in rows:
            sheet.append([float(v) if isinstance(v, Decimal) else _cell(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float


def bar_chart(points: Iterable[tuple[str, float]], *, width: int = 640, height: int = 220) -> dict[str, Any]:
    """Geometry of a simple SVG bar chart (the PDF cannot run the page's JavaScript charts)."""
    data = list(points)
    top = max((v for _, v in data), default=0) or 1
    slot = width / max(len(data), 1)
    bars = [
        Bar(
            label=label,
            value=value,
            x=i * slot + slot * 0.15,
            y=height - value / top * (height - 20),
            width=min(slot * 0.7, 48),
            height=value / top * (height - 20),
        )
        for i, (label, value) in enumerate(data)
    ]
    return {"bars": bars, "width": width, "height": height, "label_y": height + 14}


def render_monthly_report(stats: PlatformStatistics) -> bytes:
    """The month's report for the industry and information technology bureau: figures, tables and charts."""
    context = {
        "stats": stats,
        "tables": tables(stats),
        "category_chart": bar_chart((r.label[:6], float(r.orders)) for r in stats.by_category[:8]),
    }
    html = render_to_string("statistics/report_pdf.html", context)
    pdf = HTML(string=html, base_url=None, url_fetcher=DataOnlyURLFetcher()).write_pdf()
    assert pdf is not None
    return pdf
