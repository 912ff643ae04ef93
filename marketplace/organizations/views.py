from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import JoinForm, OrganizationForm
from .permissions import can_administer
from .selectors import memberships_of, organizations_for
from .services import JoinRefused, organization_create, organization_join, organization_rotate_invite_code


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """After login: the user's organizations, or the invitation to create or join one."""
    orgs = list(organizations_for(request.user))  # type: ignore[arg-type]
    if not orgs:
        return redirect("organizations:start")
    return render(request, "organizations/organization_list.html", {"organizations": orgs})


@login_required
def start(request: HttpRequest) -> HttpResponse:
    create_form = OrganizationForm(prefix="create")
    join_form = JoinForm(prefix="join")
    if request.method == "POST" and "create-name" in request.POST:
        create_form = OrganizationForm(request.POST, prefix="create")
        if create_form.is_valid():
            try:
                org = organization_create(actor=request.user, **create_form.cleaned_data)  # type: ignore[arg-type]
            except ValidationError as exc:
                create_form.add_error(None, exc)
            else:
                messages.success(request, _("%(name)s was created. You are its owner.") % {"name": org.name})
                return redirect("organizations:detail", pk=org.pk)
    elif request.method == "POST":
        join_form = JoinForm(request.POST, prefix="join")
        if join_form.is_valid():
            try:
                membership = organization_join(
                    actor=request.user,  # type: ignore[arg-type]
                    invite_code=join_form.cleaned_data["invite_code"],
                )
            except JoinRefused as exc:
                join_form.add_error("invite_code", str(exc))
            else:
                messages.success(request, _("You joined %(name)s.") % {"name": membership.organization.name})
                return redirect("organizations:detail", pk=membership.organization_id)
    return render(
        request, "organizations/organization_start.html", {"create_form": create_form, "join_form": join_form}
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(organizations_for(request.user), pk=pk)  # type: ignore[arg-type]
    return render(
        request,
        "organizations/organization_detail.html",
        {
            "organization": org,
            "memberships": memberships_of(org),
            "is_owner": can_administer(request.user, org),
        },
    )


@require_POST
@login_required
def rotate_invite(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(organizations_for(request.user), pk=pk)  # type: ignore[arg-type]
    if not can_administer(request.user, org):
        messages.error(request, _("Only owners can issue a new invite code."))
    else:
        organization_rotate_invite_code(actor=request.user, organization_id=org.pk)  # type: ignore[arg-type]
        messages.success(request, _("A new invite code was issued; the old one no longer works."))
    return redirect("organizations:detail", pk=org.pk)
