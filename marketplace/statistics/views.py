"""The operators' statistics page, its CSV/XLSX exports and the monthly PDF report."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from marketplace.organizations.permissions import is_platform_operator

from . import reports
from .forms import PeriodForm
from .selectors import platform_statistics


def _stats(request: HttpRequest) -> tuple[PeriodForm, reports.PlatformStatistics]:
    if not is_platform_operator(request.user):
        raise Http404
    form = PeriodForm(request.GET or None)
    return form, platform_statistics(form.period())


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    form, stats = _stats(request)
    charts = {
        "months": [m["month"].strftime("%Y-%m") for m in stats.months],
        "orders": [m["orders"] for m in stats.months],
        "revenue": [float(m["revenue"]) for m in stats.months],
        "categories": [label for label, _n in stats.services_by_category[:12]],
        "category_services": [n for _label, n in stats.services_by_category[:12]],
        "levels": [label for label, _n in stats.providers_by_level],
        "level_counts": [n for _label, n in stats.providers_by_level],
        "search_days": [d.isoformat() for d, _n in stats.searches_per_day],
        "search_counts": [n for _d, n in stats.searches_per_day],
        "utilisation_centers": [u.label for u in stats.utilisation_by_center[:12]],
        "utilisation_percent": [u.percent for u in stats.utilisation_by_center[:12]],
    }
    context = {"form": form, "stats": stats, "tables": reports.tables(stats), "charts": charts, "section": "statistics"}
    return render(request, "statistics/overview.html", context)


@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    _form, stats = _stats(request)
    name = f"platform-statistics-{stats.period.start:%Y%m}-{stats.period.end:%Y%m}"
    if fmt == "csv":
        response = HttpResponse(reports.to_csv(stats), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            reports.to_xlsx(stats), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def monthly_report(request: HttpRequest) -> HttpResponse:
    _form, stats = _stats(request)
    response = HttpResponse(reports.render_monthly_report(stats), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="platform-report-{stats.period.start:%Y-%m}.pdf"'
    return response
