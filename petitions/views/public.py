"""Public pages: the list, a petition's page, starting and editing a petition, the widget and open data."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods

from civicplatform.verification.desk import participant_for

from .. import selectors
from ..emails import absolute_url
from ..forms import IdentityForm, PetitionFilterForm, PetitionForm, SignOptionsForm
from ..models import PetitionKind, PetitionStatus
from ..predicates import start_policy
from ..services import lifecycle
from ..services.signing import sign_refusal
from ._helpers import add_errors, refused


@require_GET
def petition_index(request: HttpRequest) -> HttpResponse:
    form = PetitionFilterForm(request.GET or None)
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    data = getattr(form, "cleaned_data", {})
    filters = selectors.PetitionFilters(
        q=data.get("q") or "",
        status=data.get("status") or "",
        theme=data.get("theme"),
        district=data.get("district"),
        kind=data.get("kind") or "",
    )
    page = selectors.petition_list(filters, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "petitions/index.html",
        {
            "form": form,
            "page_obj": page,
            "petitions": list(page.object_list),
            "query": query.urlencode(),
            "filtered": any((filters.q, filters.status, filters.theme, filters.district, filters.kind)),
        },
        status=status,
    )


def _petition_context(request: HttpRequest, petition) -> dict:
    count = selectors.signature_count(petition)
    person = participant_for(request).person if request.user.is_authenticated else request.user
    my_signature = selectors.signature_of(person, petition)
    rows, district_map = selectors.by_district(petition, count)
    url = absolute_url(petition.get_absolute_url())
    return {
        "petition": petition,
        "count": count,
        "progress": selectors.progress(petition, count),
        "timeline": selectors.timeline(petition) if petition.published_at else None,
        "district_rows": rows,
        "district_map": district_map,
        "public_signers": selectors.public_signers(petition),
        "my_signature": my_signature,
        "sign_decision": sign_refusal(person, petition) if my_signature is None else None,
        "may_sign_anonymously": request.user.has_perm("petitions.sign_petition_anonymously", petition),
        "may_withdraw": my_signature is not None
        and my_signature.user_id != petition.author_id
        and request.user.has_perm("petitions.withdraw_signature", petition),
        "cosponsors": selectors.cosponsor_count(petition) if petition.status == PetitionStatus.GATHERING else 0,
        "absolute_url": url,
        "widget_url": absolute_url(reverse("petitions:widget", args=[petition.slug])),
        "response": getattr(petition, "official_response", None),
        "documents": list(petition.official_response.documents.all()) if hasattr(petition, "official_response") else [],
        "may_moderate": request.user.has_perm("petitions.moderate_petition", petition),
        "may_respond": request.user.has_perm("petitions.respond_petition", petition),
        "may_archive": request.user.has_perm("petitions.archive_petition", petition),
        "may_export": request.user.has_perm("petitions.export_signatories", petition),
        "may_edit": request.user.has_perm("petitions.change_petition", petition),
        "is_signature_open": petition.is_signature_open(),
    }


@require_GET
def petition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    petition = selectors.get_petition_for_user(request, slug)
    return render(request, "petitions/detail.html", _petition_context(request, petition))


def _allowed_kinds(user) -> list[str]:
    kinds = []
    if user.has_perm("petitions.add_petition"):
        kinds.append(PetitionKind.CIVIC)
    if user.has_perm("petitions.add_formal_request"):
        kinds.append(PetitionKind.FORMAL)
    return kinds


@login_required
@require_http_methods(["GET", "POST"])
def petition_create(request: HttpRequest) -> HttpResponse:
    participation = participant_for(request)
    person = participation.person
    kinds = _allowed_kinds(person)
    if not kinds:
        decision = start_policy(PetitionKind.CIVIC).check(person, today=timezone.localdate())
        if decision.allowed:
            decision = _("Your account is blocked: you cannot start a petition.")
        return refused(request, decision, back=reverse("petitions:index"))
    form = PetitionForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            petition = lifecycle.petition_create(
                author=person,
                kind=form.chosen_kind(),
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                details=form.cleaned_data["details"],
                theme=form.cleaned_data["theme"],
                district=form.cleaned_data["district"],
                actor=participation.actor,
                on_behalf_of=participation.on_behalf_of,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your draft is saved. Read it again, then submit it to gather co-sponsors."))
            return redirect(petition)
    status = 400 if request.method == "POST" else 200
    return render(request, "petitions/form.html", {"form": form, "petition": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def petition_edit(request: HttpRequest, slug: str) -> HttpResponse:
    petition = selectors.get_petition_for_user(request, slug, perm="petitions.change_petition")
    form = PetitionForm(request.POST or None, instance=petition)
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.petition_update(
                petition=petition, actor=request.user, **{name: form.cleaned_data[name] for name in form.Meta.fields}
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your draft is saved."))
            return redirect(petition)
    status = 400 if request.method == "POST" else 200
    return render(request, "petitions/form.html", {"form": form, "petition": petition}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def petition_submit(request: HttpRequest, slug: str) -> HttpResponse:
    """The author confirms the text and signs it; an L1112-16 request needs their name and address."""
    petition = selectors.get_petition_for_user(request, slug, perm="petitions.submit_petition")
    form_class = IdentityForm if petition.is_formal else SignOptionsForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.petition_submit(
                petition=petition,
                actor=request.user,
                identity=form.identity() if petition.is_formal else None,
            )
        except ValidationError as error:
            add_errors(form, error)
        except PermissionDenied as error:
            return refused(
                request, str(error) or _("You may not submit this petition."), back=petition.get_absolute_url()
            )
        else:
            petition.refresh_from_db()
            if petition.status == PetitionStatus.GATHERING:
                messages.success(request, _("Submitted. Share the address of the petition to gather its co-sponsors."))
            else:
                messages.success(request, _("Submitted. The moderators will review it."))
            return redirect(petition)
    status = 400 if request.method == "POST" else 200
    return render(request, "petitions/submit.html", {"form": form, "petition": petition}, status=status)


@login_required
@require_GET
def my_petitions(request: HttpRequest) -> HttpResponse:
    return render(request, "petitions/mine.html", {"petitions": list(selectors.petitions_of(request.user))})


# ---------------------------------------------------------------------------- widget and open data


@xframe_options_exempt
@require_GET
@cache_control(max_age=30, public=True)
def petition_widget(request: HttpRequest, slug: str) -> HttpResponse:
    """The counter other sites embed in an iframe: the only page that may be framed."""
    petition = selectors.get_petition_for_user(request, slug)
    count = selectors.signature_count(petition)
    return render(
        request,
        "petitions/widget.html",
        {
            "petition": petition,
            "count": count,
            "progress": selectors.progress(petition, count),
            "absolute_url": absolute_url(petition.get_absolute_url()),
        },
    )


@require_GET
@cache_control(max_age=5, public=True)
def petition_count(request: HttpRequest, slug: str) -> JsonResponse:
    """The light counter the page polls (no personal data)."""
    petition = selectors.get_petition_for_user(request, slug)
    count = selectors.signature_count(petition)
    progress = selectors.progress(petition, count)
    return JsonResponse(
        {"count": count, "goal": progress.goal, "goal_label": progress.goal_label, "percent": progress.percent}
    )


@require_GET
@cache_control(max_age=60, public=True)
def petition_data(request: HttpRequest, slug: str) -> JsonResponse:
    """Open data of one petition: aggregates only, never a name."""
    petition = selectors.get_petition_for_user(request, slug)
    count = selectors.signature_count(petition)
    rows, _map = selectors.by_district(petition, count)
    timeline = selectors.timeline(petition) if petition.published_at else None
    response = getattr(petition, "official_response", None)
    return JsonResponse(
        {
            "title": petition.title,
            "kind": petition.kind,
            "status": petition.status,
            "url": absolute_url(petition.get_absolute_url()),
            "signature_count": count,
            "published_at": petition.published_at,
            "closes_at": petition.closes_at,
            "thresholds": [{"label": label, "signatures": number} for label, number, _at in petition.thresholds()],
            "response_threshold_reached_at": petition.response_threshold_reached_at,
            "debate_threshold_reached_at": petition.debate_threshold_reached_at,
            "signatures_by_district": [{"district": row.name, "signatures": row.count} for row in rows],
            "signatures_by_day": [
                {"day": point.day, "signatures": point.daily} for point in (timeline.points if timeline else [])
            ],
            "official_response": {
                "responded_on": response.responded_on,
                "text": response.text,
                "council_decision": response.council_decision,
                "council_meeting_on": response.council_meeting_on,
            }
            if response
            else None,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def petitions_export_csv(request: HttpRequest) -> HttpResponse:
    """Every public petition with its count, as CSV (aggregates only)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="petitions.csv"'
    writer = csv.writer(response)
    writer.writerow(["title", "url", "kind", "status", "signatures", "published_at", "answered_at"])
    for petition in selectors.newest_published(limit=10_000):
        writer.writerow(
            [
                _csv_safe(petition.title),
                absolute_url(petition.get_absolute_url()),
                petition.kind,
                petition.status,
                petition.signature_count,
                petition.published_at.isoformat() if petition.published_at else "",
                petition.answered_at.isoformat() if petition.answered_at else "",
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value
