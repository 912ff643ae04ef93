"""Provider dashboard: members of a provider organization manage its services, equipment and profile.

Every object is fetched through a permission-scoped selector, so another center's object is a 404.
A form edits a copy of the object: when the input is invalid the page still shows (and links with)
the stored values, never the rejected ones (an empty slug cannot build the public URL).
"""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.organizations.permissions import can_administer

from . import importing, services
from .forms import EquipmentForm, ImportForm, ProviderProfileForm, ServiceForm, apply_service_errors
from .models import Provider, Service
from .selectors import (
    equipment_managed_by,
    providers_managed_by,
    service_import_progress,
    service_imports_managed_by,
    services_managed_by,
)

DASHBOARD_PAGE_SIZE = 50


def _provider(request: HttpRequest, slug: str) -> Provider:
    return get_object_or_404(providers_managed_by(request.user), slug=slug)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    providers = list(providers_managed_by(request.user))
    if len(providers) == 1:
        return redirect("catalog:dashboard-provider", provider=providers[0].slug)
    return render(request, "catalog/dashboard/home.html", {"providers": providers})


@login_required
def provider_overview(request: HttpRequest, provider: str) -> HttpResponse:
    obj = _provider(request, provider)
    status = request.GET.get("status", "")
    service_list = services_managed_by(request.user).filter(provider=obj)
    if status in Service.Status.values:
        service_list = service_list.filter(status=status)
    page = Paginator(service_list, DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalog/dashboard/provider.html",
        {
            "provider": obj,
            "page": page,
            "query_string": query.urlencode(),
            "status": status,
            "statuses": Service.Status.choices,
            "equipment": equipment_managed_by(request.user).filter(provider=obj),
            "imports": service_imports_managed_by(request.user).filter(provider=obj)[:5],
            "is_owner": can_administer(request.user, obj.organization),
        },
    )


@login_required
def service_create(request: HttpRequest, provider: str) -> HttpResponse:
    obj = _provider(request, provider)
    form = ServiceForm(request.POST or None, provider=obj, instance=Service(provider=obj))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        equipment = data.pop("equipment")
        try:
            service = services.service_create(actor=request.user, provider=obj, equipment=equipment, **data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The draft “%(title)s” was saved.") % {"title": service.title})
            return redirect("catalog:dashboard-provider", provider=obj.slug)
    return render(request, "catalog/dashboard/service_form.html", {"provider": obj, "form": form, "service": None})


@login_required
def service_edit(request: HttpRequest, provider: str, pk: int) -> HttpResponse:
    service = get_object_or_404(services_managed_by(request.user), provider__slug=provider, pk=pk)
    form = ServiceForm(request.POST or None, provider=service.provider, instance=copy.copy(service))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        equipment = data.pop("equipment")
        try:
            services.service_update(actor=request.user, service=service, data=data, equipment=equipment)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("catalog:dashboard-provider", provider=service.provider.slug)
    return render(
        request, "catalog/dashboard/service_form.html", {"provider": service.provider, "form": form, "service": service}
    )


def _transition(request: HttpRequest, provider: str, pk: int, action: str) -> HttpResponse:
    service = get_object_or_404(services_managed_by(request.user), provider__slug=provider, pk=pk)
    try:
        if action == "publish":
            services.service_publish(actor=request.user, service=service)  # type: ignore[arg-type]
            messages.success(request, _("“%(title)s” is now public.") % {"title": service.title})
        else:
            services.service_archive(actor=request.user, service=service)  # type: ignore[arg-type]
            messages.success(request, _("“%(title)s” was archived.") % {"title": service.title})
    except services.TransitionNotAllowed as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        problems = "; ".join(m for ms in exc.message_dict.values() for m in ms)
        messages.error(request, _("Not published yet: %(problems)s") % {"problems": problems})
        return redirect("catalog:dashboard-service-edit", provider=provider, pk=pk)
    return redirect("catalog:dashboard-provider", provider=provider)


@require_POST
@login_required
def service_publish(request: HttpRequest, provider: str, pk: int) -> HttpResponse:
    return _transition(request, provider, pk, "publish")


@login_required
def service_archive(request: HttpRequest, provider: str, pk: int) -> HttpResponse:
    """Archiving takes a service out of the catalog and search: GET asks for confirmation, POST does it."""
    if request.method == "POST":
        return _transition(request, provider, pk, "archive")
    service = get_object_or_404(services_managed_by(request.user), provider__slug=provider, pk=pk)
    return render(request, "catalog/dashboard/service_archive.html", {"provider": service.provider, "service": service})


@login_required
def equipment_create(request: HttpRequest, provider: str) -> HttpResponse:
    obj = _provider(request, provider)
    form = EquipmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.equipment_create(actor=request.user, provider=obj, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The equipment was added."))
            return redirect("catalog:dashboard-provider", provider=obj.slug)
    return render(request, "catalog/dashboard/equipment_form.html", {"provider": obj, "form": form, "equipment": None})


@login_required
def equipment_edit(request: HttpRequest, provider: str, pk: int) -> HttpResponse:
    equipment = get_object_or_404(equipment_managed_by(request.user), provider__slug=provider, pk=pk)
    form = EquipmentForm(request.POST or None, instance=copy.copy(equipment))
    if request.method == "POST" and form.is_valid():
        try:
            services.equipment_update(actor=request.user, equipment=equipment, data=form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("catalog:dashboard-provider", provider=equipment.provider.slug)
    return render(
        request,
        "catalog/dashboard/equipment_form.html",
        {"provider": equipment.provider, "form": form, "equipment": equipment},
    )


@login_required
def profile_edit(request: HttpRequest, provider: str) -> HttpResponse:
    obj = _provider(request, provider)
    if not can_administer(request.user, obj.organization):
        raise PermissionDenied
    form = ProviderProfileForm(request.POST or None, request.FILES or None, instance=copy.copy(obj))
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_update_profile(actor=request.user, provider=obj, data=form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect("catalog:dashboard-provider", provider=obj.slug)
    return render(request, "catalog/dashboard/profile_form.html", {"provider": obj, "form": form})


@login_required
def service_export(request: HttpRequest, provider: str, fmt: str) -> HttpResponse:
    obj = _provider(request, provider)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    rows = services_managed_by(request.user).filter(provider=obj).order_by("slug")
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(importing.export_services(rows, fmt), content_type=content_type)
    filename = f"{obj.slug}-services-{timezone.localdate():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def import_upload(request: HttpRequest, provider: str) -> HttpResponse:
    obj = _provider(request, provider)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.service_import_start(actor=request.user, provider=obj, upload=form.cleaned_data["file"])  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("catalog:dashboard-import", provider=obj.slug, pk=job.pk)
    return render(
        request,
        "catalog/dashboard/import_upload.html",
        {"provider": obj, "form": form, "columns": importing.COLUMNS, "required": importing.REQUIRED_COLUMNS},
    )


@login_required
def import_detail(request: HttpRequest, provider: str, pk: int) -> HttpResponse:
    job = get_object_or_404(service_imports_managed_by(request.user), provider__slug=provider, pk=pk)
    template = "catalog/dashboard/_import_status.html" if request.htmx else "catalog/dashboard/import_detail.html"  # type: ignore[attr-defined]
    return render(request, template, {"provider": job.provider, "job": job, "progress": service_import_progress(job)})


def import_file(request: HttpRequest, provider: str, pk: int) -> FileResponse:
    """The uploaded file, to members of its provider only; anyone else (anonymous too) gets a 404."""
    job = get_object_or_404(service_imports_managed_by(request.user), provider__slug=provider, pk=pk)
    if not job.file:
        raise Http404
    try:
        fh = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(fh, as_attachment=True, filename=job.original_name)


@require_POST
@login_required
def import_commit(request: HttpRequest, provider: str, pk: int) -> HttpResponse:
    job = get_object_or_404(service_imports_managed_by(request.user), provider__slug=provider, pk=pk)
    try:
        services.service_import_commit(actor=request.user, service_import=job)  # type: ignore[arg-type]
    except services.TransitionNotAllowed as exc:
        messages.error(request, str(exc))
    return redirect("catalog:dashboard-import", provider=provider, pk=pk)
