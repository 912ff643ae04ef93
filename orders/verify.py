"""Public report verification: anyone holding a report checks that the provider really issued it.

The page shows only what is printed on the report anyway (provider, report number, issue date) and
whether an uploaded file is byte-for-byte the issued one. Nothing about the order or the buyer.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from marketplace.storage import sha256_of

from .forms import VerifyCodeForm, VerifyFileForm
from .selectors import report_by_code

VERIFY_MAX_BYTES = 50 * 1024 * 1024


def verify_start(request: HttpRequest) -> HttpResponse:
    """A form for the code printed on the report."""
    form = VerifyCodeForm(request.GET or None)
    if form.is_valid():
        report = report_by_code(form.cleaned_data["code"])
        if report is not None:
            return redirect("verify:code", code=report.verification_code)
        form.add_error("code", _("No report has this code. Check the code printed on the report."))
        return render(request, "orders/verify_start.html", {"form": form}, status=404)
    return render(request, "orders/verify_start.html", {"form": form})


@require_http_methods(["GET", "POST"])
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """The report behind a code; drop the PDF on the form to compare its fingerprint with the issued one."""
    report = report_by_code(code)
    if report is None:
        raise Http404
    form = VerifyFileForm(request.POST or None, request.FILES or None)
    match: bool | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if (upload.size or 0) > VERIFY_MAX_BYTES:
            form.add_error("file", _("The file is larger than 50 MB."))
        else:
            match = sha256_of(upload) == report.sha256
    return render(request, "orders/verify_report.html", {"report": report, "form": form, "match": match})


app_name = "verify"
urlpatterns = [
    path("", verify_start, name="start"),
    path("<str:code>/", verify_code, name="code"),
]
