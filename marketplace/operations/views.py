"""The applicant's pages (/apply/) and the operator console (/operations/). Thin: services decide."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.models import Provider
from catalog.services import provider_reinstate, provider_suspend
from marketplace.audit.selectors import audit_entries_for
from marketplace.exceptions import TransitionNotAllowed
from marketplace.organizations.permissions import is_platform_operator

from . import selectors, services
from .forms import ApplicationForm, DecisionForm, DocumentForm, ProviderFilterForm, QueueFilterForm, ReasonForm
from .models import ProviderApplication
from .notifications import action_label

PAGE_SIZE = 25


def _user(request: HttpRequest) -> Any:
    return request.user


def _run(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """Run a service; refusals become messages on the page, never error pages."""
    try:
        action()
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
        return False
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def _operator(request: HttpRequest) -> None:
    if not is_platform_operator(request.user):
        raise Http404


def _page(request: HttpRequest, qs: QuerySet[Any]) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _history(application: ProviderApplication) -> list[tuple[Any, str]]:
    return [(entry, action_label(entry.action)) for entry in audit_entries_for(application)[:50]]


# --- applicants --------------------------------------------------------------------------------------


@login_required
def application(request: HttpRequest) -> HttpResponse:
    """Start an application, or see and complete the current one."""
    user = _user(request)
    organizations = list(selectors.provider_organizations_of(user))
    current = selectors.applications_of(user).first()
    if current is None or (current.status == ProviderApplication.Status.REJECTED and request.GET.get("new")):
        return _application_start(request, organizations, previous=current)
    form = ApplicationForm(request.POST or None, instance=current) if current.is_editable else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = {**form.cleaned_data}
        if _run(
            request,
            lambda: services.application_update(actor=user, application_id=current.pk, data=data),
            _("Application saved."),
        ):
            return redirect("apply:application")
    context = {
        "application": current,
        "form": form,
        "document_form": DocumentForm(),
        "documents": current.documents.all(),
        "history": _history(current),
    }
    return render(request, "operations/application.html", context)


def _application_start(
    request: HttpRequest, organizations: list[Any], previous: ProviderApplication | None
) -> HttpResponse:
    if not organizations:
        return render(request, "operations/application_needs_org.html", status=403)
    organization = organizations[0]
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data}
        if _run(
            request,
            lambda: services.application_start(actor=_user(request), organization=organization, data=data),
            _("Application started: add your documents, then submit it."),
        ):
            return redirect("apply:application")
    return render(
        request,
        "operations/application_start.html",
        {"form": form, "organization": organization, "previous": previous},
    )


@login_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    current = get_object_or_404(selectors.applications_of(request.user), pk=pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.as_data().items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                text = " ".join(error.messages)
                messages.error(request, f"{label}: {text}" if label else text)
        return redirect("apply:application")
    data = form.cleaned_data
    _run(
        request,
        lambda: services.application_add_document(
            actor=_user(request),
            application_id=current.pk,
            kind=data["kind"],
            upload=data["file"],
            scheme=data.get("scheme") or "",
            number=data.get("number") or "",
            valid_until=data.get("valid_until"),
        ),
        _("Document added."),
    )
    return redirect("apply:application")


@login_required
@require_POST
def document_remove(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_for(request.user, pk)
    if document is None or not selectors.applications_of(request.user).filter(pk=document.application_id).exists():
        raise Http404
    _run(
        request,
        lambda: services.application_remove_document(actor=_user(request), document_id=document.pk),
        _("Document removed."),
    )
    return redirect("apply:application")


@login_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    current = get_object_or_404(selectors.applications_of(request.user), pk=pk)
    _run(
        request,
        lambda: services.application_submit(actor=_user(request), application_id=current.pk),
        _("Application submitted. The platform reviews it, usually within five working days."),
    )
    return redirect("apply:application")


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """The document for the applicant's members and operators only; a 404 for everyone else."""
    document = selectors.document_for(request.user, pk)
    if document is None:
        raise Http404
    inline = document.content_type in {"application/pdf", "image/png", "image/jpeg"}
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=not inline,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    if document.content_type != "application/pdf":  # a sandboxed frame would keep the browser's PDF viewer out
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    else:  # shown beside the application in the operator's review page
        response["Content-Security-Policy"] = "frame-ancestors 'self'"
    response["Cache-Control"] = "private, no-store"
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


# --- operator console --------------------------------------------------------------------------------


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _operator(request)
    form = QueueFilterForm(request.GET)
    filters = form.filters()
    page = _page(request, selectors.applications_queue(**filters))
    now = timezone.now()
    for item in page:
        item.age_days = (now - item.submitted_at).days if item.submitted_at else None
    query = request.GET.copy()
    query.pop("page", None)
    counts = selectors.queue_counts()
    context = {
        "form": form,
        "page": page,
        "status_counts": [(label, counts.get(value, 0)) for value, label in ProviderApplication.Status.choices],
        "query_string": query.urlencode(),
        "attention": selectors.accreditations_needing_attention()[:20],
    }
    return render(request, "operations/queue.html", context)


@login_required
def application_review(request: HttpRequest, pk: int) -> HttpResponse:
    current = selectors.application_for_operator(request.user, pk)
    if current is None:
        raise Http404
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        user = _user(request)
        actions: dict[str, tuple[Callable[[], object], str]] = {
            "approve": (
                lambda: services.application_approve(actor=user, application_id=current.pk, reason=reason),
                _("Approved: the provider is listed and its published services are public."),
            ),
            "request_changes": (
                lambda: services.application_request_changes(actor=user, application_id=current.pk, reason=reason),
                _("Sent back to the applicant with your reason."),
            ),
            "reject": (
                lambda: services.application_reject(actor=user, application_id=current.pk, reason=reason),
                _("Rejected. The applicant has been told why."),
            ),
        }
        action, success = actions[decision]
        if _run(request, action, success):
            return redirect("operations:queue")
    context = {
        "application": current,
        "documents": current.documents.all(),
        "form": form,
        "history": _history(current),
        "fields": current.fields.all(),
    }
    return render(request, "operations/application_review.html", context)


@login_required
def provider_list(request: HttpRequest) -> HttpResponse:
    _operator(request)
    form = ProviderFilterForm(request.GET)
    page = _page(request, selectors.providers_for_console(**form.filters()))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "operations/provider_list.html",
        {"form": form, "page": page, "query_string": query.urlencode(), "reason_form": ReasonForm()},
    )


@login_required
@require_POST
def provider_status(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _operator(request)
    provider = get_object_or_404(Provider, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason: it is recorded and sent to the provider."))
        return redirect("operations:providers")
    reason, user = form.cleaned_data["reason"], _user(request)
    if action == "suspend":
        _run(
            request,
            lambda: provider_suspend(actor=user, provider=provider, reason=reason),
            _("%(provider)s is suspended: its services left the public pages and search.")
            % {"provider": provider.name},
        )
    elif action == "reinstate":
        _run(
            request,
            lambda: provider_reinstate(actor=user, provider=provider, reason=reason),
            _("%(provider)s is reinstated.") % {"provider": provider.name},
        )
    else:
        raise Http404
    return redirect("operations:providers")
