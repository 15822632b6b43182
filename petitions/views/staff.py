"""Municipal staff: settings, official responses, archiving, and the L1112-16 signatory list."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicplatform.accounts.decorators import staff_required
from civicplatform.core.services import audit_record

from .. import selectors
from ..forms import PetitionConfigForm, ResponseForm
from ..models import CouncilDecision
from ..services import lifecycle
from ._helpers import add_errors, refused


@staff_required
@require_http_methods(["GET", "POST"])
def petition_settings(request: HttpRequest) -> HttpResponse:
    try:
        config = lifecycle.config_for(lifecycle.municipality_current())
    except ValidationError as error:
        return refused(request, error.messages[0], status=400)
    form = PetitionConfigForm(request.POST or None, instance=config)
    if request.method == "POST" and form.is_valid():
        lifecycle.config_update(
            config=config, actor=request.user, values={name: form.cleaned_data[name] for name in form.Meta.fields}
        )
        messages.success(request, _("Settings saved. They apply to petitions started from now on."))
        return redirect("petitions:settings")
    status = 400 if request.method == "POST" else 200
    return render(request, "petitions/staff/settings.html", {"form": form}, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def petition_respond(request: HttpRequest, slug: str) -> HttpResponse:
    petition = selectors.get_petition_for_user(request, slug, perm="petitions.respond_petition")
    response = getattr(petition, "official_response", None)
    initial = {"responded_on": timezone.localdate(), "council_decision": CouncilDecision.NONE}
    if response is not None:
        initial = {
            "text": response.text,
            "responded_on": response.responded_on,
            "council_decision": response.council_decision,
            "council_meeting_on": response.council_meeting_on,
            "council_details": response.council_details,
        }
    form = ResponseForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        documents = [(data["document_title"], data["document"])] if data.get("document") else []
        try:
            lifecycle.response_publish(
                petition=petition,
                actor=request.user,
                text=data["text"],
                responded_on=data["responded_on"],
                council_decision=data["council_decision"],
                council_meeting_on=data["council_meeting_on"],
                council_details=data["council_details"],
                documents=documents,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The official response is published."))
            return redirect(petition)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "petitions/staff/respond.html",
        {"form": form, "petition": petition, "response": response},
        status=status,
    )


@staff_required
@require_POST
def petition_archive(request: HttpRequest, slug: str) -> HttpResponse:
    petition = selectors.get_petition_for_user(request, slug, perm="petitions.archive_petition")
    lifecycle.petition_archive(petition=petition, actor=request.user)
    messages.success(request, _("The petition is archived."))
    return redirect(petition)


@staff_required
@never_cache
@require_GET
def signatories_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The list the mayor needs for an L1112-16 request: names, addresses, dates. Every export is audited."""
    petition = selectors.get_petition_for_user(request, slug, perm="petitions.export_signatories")
    rows = selectors.formal_signatories(petition)
    audit_record(action="petitions.export_signatories", actor=request.user, target=petition, data={"rows": len(rows)})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="signataires-{petition.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Name"), _("Address"), _("Postal code"), _("Town"), _("Signed on")])
    for row in rows:
        writer.writerow(
            [
                _csv_safe(row["name"]),
                _csv_safe(row["address"]),
                row["postal_code"],
                _csv_safe(row["city"]),
                timezone.localtime(row["signed_at"]).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value
