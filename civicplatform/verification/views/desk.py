"""The town-hall desk (guichet): find or create a person, verify them, act for them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civicplatform.accounts.decorators import staff_required
from civicplatform.accounts.models import User
from civicplatform.verification.desk import (
    acting_for,
    desk_start,
    desk_stop,
    may_act_at_desk,
    person_from_ref,
    person_ref,
)
from civicplatform.verification.forms import DeskAccountForm, DeskSearchForm, DeskVerifyForm, add_service_errors
from civicplatform.verification.selectors import desk_people_search, person_history
from civicplatform.verification.services.desk import desk_account_create, desk_verify


def require_desk(request: HttpRequest) -> None:
    if not may_act_at_desk(request.user):
        raise PermissionDenied


def get_person_for_desk(request: HttpRequest, ref: str) -> User:
    """The person behind a signed desk reference (403 for non-staff, 404 if unknown or closed)."""
    require_desk(request)
    person = person_from_ref(ref)
    if person is None:
        raise Http404
    return person


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    require_desk(request)
    form = DeskSearchForm(request.GET or None)
    results = None
    if form.is_valid():
        results = [(person, person_ref(person)) for person in desk_people_search(form.cleaned_data["q"])]
    status = 400 if form.errors else 200
    return render(
        request,
        "verification/staff/desk_home.html",
        {"form": form, "results": results, "acting_for": acting_for(request)},
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    require_desk(request)
    form = DeskAccountForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                person = desk_account_create(staff=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Account created for %(name)s.") % {"name": person.public_name})
                return redirect("verification:desk_person", ref=person_ref(person))
        return render(request, "verification/staff/desk_create.html", {"form": form}, status=400)
    return render(request, "verification/staff/desk_create.html", {"form": form})


@staff_required
def person(request: HttpRequest, ref: str) -> HttpResponse:
    person = get_person_for_desk(request, ref)
    form = DeskVerifyForm(initial={"district": person.district_id})
    return _person_page(request, person, ref, form)


@staff_required
@require_POST
def verify(request: HttpRequest, ref: str) -> HttpResponse:
    person = get_person_for_desk(request, ref)
    form = DeskVerifyForm(request.POST)
    if form.is_valid():
        try:
            desk_verify(staff=request.user, person=person, **form.cleaned_data_for_service())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is verified.") % {"name": person.public_name})
            return redirect("verification:desk_person", ref=ref)
    return _person_page(request, person, ref, form, status=400)


@staff_required
@require_POST
def act_start(request: HttpRequest, ref: str) -> HttpResponse:
    person = get_person_for_desk(request, ref)
    if person.pk == request.user.pk:
        messages.error(request, _("You cannot act for yourself."))
        return redirect("verification:desk_person", ref=ref)
    desk_start(request, person)
    messages.success(
        request,
        _("You are now acting for %(name)s. Their votes and signatures are recorded as made at the desk.")
        % {"name": person.public_name},
    )
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return redirect(next_url)
    return redirect("/")


@staff_required
@require_POST
def act_stop(request: HttpRequest) -> HttpResponse:
    person = desk_stop(request, reason="staff")
    if person is not None:
        messages.success(request, _("You no longer act for %(name)s.") % {"name": person.public_name})
    return redirect("verification:desk" if may_act_at_desk(request.user) else "/")


def _person_page(request: HttpRequest, person: User, ref: str, form, status: int = 200) -> HttpResponse:
    return render(
        request,
        "verification/staff/desk_person.html",
        {
            "person": person,
            "ref": ref,
            "form": form,
            "history": person_history(person),
            "acting_for": acting_for(request),
        },
        status=status,
    )
