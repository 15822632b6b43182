"""Staff pages: recruitment, registration by phone, quotas, starting the selection and the draw."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicplatform.core.services import audit_record

from .. import selectors, services
from ..forms import DrawForm, InvitationBatchForm, RegistrationForm, SelectionForm
from ..letters import letters_pdf
from ..models import Channel, InvitationBatch, JuryReport, JuryStatus, Registrant, RegistrantStatus, RunStatus
from ._helpers import form_errors_to_form, get_jury_for_user, get_run_for_user

SEATED_STATUSES = (JuryStatus.DELIBERATING, JuryStatus.REPORTED, JuryStatus.RESPONDED)


def _dashboard(request: HttpRequest, jury, *, status: int = 200, **forms) -> HttpResponse:
    # Once the panel sits, whether a panel *could* be drawn from the remaining volunteers no longer matters.
    panel_seated = jury.status in SEATED_STATUSES
    report = JuryReport.objects.filter(jury=jury).only("published_at").first()
    context = {
        "jury": jury,
        "counts": selectors.jury_counts(jury),
        "batches": jury.batches.all(),
        "quotas": selectors.quota_table(jury),
        "panel_seated": panel_seated,
        "report_published": bool(report and report.published_at),
        "feasibility": None if panel_seated else services.jury_feasibility(jury),
        "runs": jury.runs.all(),
        "batch_form": forms.get("batch_form") or InvitationBatchForm(),
        "selection_form": forms.get("selection_form") or SelectionForm(),
        "draw_form": forms.get("draw_form") or DrawForm(),
        "replacement_form": forms.get("replacement_form") or SelectionForm(prefix="replacement"),
        "members": selectors.members(jury),
        "shortfall": services.replacement_quotas(jury)[1],
        "RunStatus": RunStatus,
    }
    return render(request, "juries/staff/manage.html", context, status=status)


@login_required
@require_GET
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    jury = get_jury_for_user(request, slug, manage=True)
    return _dashboard(request, jury)


@login_required
@require_POST
def batch_create(request: HttpRequest, slug: str) -> HttpResponse:
    jury = get_jury_for_user(request, slug, manage=True)
    form = InvitationBatchForm(request.POST, request.FILES)
    if form.is_valid():
        content = form.cleaned_data["addresses"].read()
        try:
            rows = services.parse_address_list(content)
            batch = services.invitation_batch_draw(
                jury=jury,
                rows=rows,
                size=form.cleaned_data["size"],
                source_name=form.cleaned_data["addresses"].name,
                source_sha256=hashlib.sha256(content).hexdigest(),
                actor=request.user,
            )
        except ValidationError as error:
            form_errors_to_form(form, error)
        else:
            messages.success(request, _("%(count)d households drawn. Print the letters.") % {"count": batch.size})
            return redirect("juries:manage", slug=jury.slug)
    return _dashboard(request, jury, status=400, batch_form=form)


@login_required
@require_GET
def batch_letters(request: HttpRequest, slug: str, batch_id: int) -> HttpResponse:
    jury = get_jury_for_user(request, slug, manage=True)
    batch = get_object_or_404(InvitationBatch, jury=jury, pk=batch_id)
    from cms.models import SiteBranding

    municipality = SiteBranding.load(request_or_site=request).municipality_name or _("The municipality")
    url = request.build_absolute_uri(reverse("juries:register", args=[jury.slug]))
    pdf = letters_pdf(batch=batch, register_url=url, municipality=municipality)
    audit_record(action="juries.letters_printed", actor=request.user, target=jury, data={"batch": batch.pk})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="lettres-{jury.slug}-{batch.pk}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def register_by_phone(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff enter a registration taken on the phone: same form, same rules, the desk is audited."""
    jury = get_jury_for_user(request, slug, manage=True)
    form = RegistrationForm(request.POST or None, jury=jury)
    if request.method == "POST":
        if form.is_valid():
            try:
                registrant = services.registrant_register(
                    jury=jury,
                    code=form.cleaned_data["code"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    email=form.cleaned_data["email"],
                    phone=form.cleaned_data["phone"],
                    answers=form.answers(),
                    consent=form.cleaned_data["consent"],
                    channel=Channel.PHONE,
                    actor=request.user,
                )
            except ValidationError as error:
                form_errors_to_form(form, error)
            else:
                messages.success(request, _("Registered as %(pseudonym)s.") % {"pseudonym": registrant.pseudonym})
                return redirect("juries:register_by_phone", slug=jury.slug)
        return render(request, "juries/staff/register_phone.html", {"jury": jury, "form": form}, status=400)
    return render(request, "juries/staff/register_phone.html", {"jury": jury, "form": form})


@login_required
@require_POST
def quotas_census(request: HttpRequest, slug: str) -> HttpResponse:
    jury = get_jury_for_user(request, slug, manage=True)
    count = services.quotas_from_census(jury=jury, actor=request.user)
    messages.success(request, _("Quotas derived from census shares for %(count)d answers.") % {"count": count})
    return redirect(reverse("juries:manage", args=[jury.slug]) + "#quotas")


@login_required
@require_POST
def quotas_relax(request: HttpRequest, slug: str) -> HttpResponse:
    jury = get_jury_for_user(request, slug, manage=True)
    feasibility = services.jury_feasibility(jury)
    if not feasibility.relaxations:
        messages.error(request, _("There is no suggested relaxation to apply."))
    else:
        services.quotas_apply_relaxation(jury=jury, relaxations=feasibility.relaxations, actor=request.user)
        messages.success(request, _("The suggested quotas have been applied."))
    return redirect(reverse("juries:manage", args=[jury.slug]) + "#quotas")


@login_required
@require_POST
def selection_start(request: HttpRequest, slug: str) -> HttpResponse:
    jury = get_jury_for_user(request, slug, manage=True)
    form = SelectionForm(request.POST)
    if form.is_valid():
        try:
            run = services.selection_commit(
                jury=jury,
                algorithm=form.cleaned_data["algorithm"],
                lottery_size=form.cleaned_data["lottery_size"],
                seed_commitments=form.commitments(),
                actor=request.user,
            )
        except ValidationError as error:
            form_errors_to_form(form, error)
        else:
            messages.success(request, _("The inputs are published; the panels are being computed."))
            return redirect("juries:run", slug=jury.slug, run_id=run.public_id)
    return _dashboard(request, jury, status=400, selection_form=form)


@login_required
@require_POST
def selection_draw(request: HttpRequest, slug: str, run_id: str) -> HttpResponse:
    jury = get_jury_for_user(request, slug, manage=True)
    run = get_run_for_user(request, jury, run_id)
    form = DrawForm(request.POST)
    if form.is_valid():
        try:
            services.selection_draw(
                run=run,
                dice=form.cleaned_data["dice"],
                seeds=form.seed_list(),
                witnesses=form.cleaned_data["witnesses"],
                actor=request.user,
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except ValidationError as error:
            form_errors_to_form(form, error)
        else:
            messages.success(request, _("The panel has been drawn."))
            return redirect("juries:run", slug=jury.slug, run_id=run.public_id)
    return _dashboard(request, jury, status=400, draw_form=form)


@login_required
@require_POST
def member_status(request: HttpRequest, slug: str, pseudonym: str) -> HttpResponse:
    """Staff record a selected person's answer given on the phone, or a member's withdrawal."""
    jury = get_jury_for_user(request, slug, manage=True)
    person = get_object_or_404(Registrant, jury=jury, pseudonym=pseudonym)
    status = request.POST.get("status", "")
    if status not in (RegistrantStatus.CONFIRMED, RegistrantStatus.DECLINED, RegistrantStatus.WITHDRAWN):
        messages.error(request, _("Unknown answer."))
        return redirect(reverse("juries:manage", args=[jury.slug]) + "#members")
    try:
        services.registrant_respond(registrant=person, status=status, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(pseudonym)s: %(status)s.") % {"pseudonym": person.pseudonym, "status": RegistrantStatus(status).label},
        )
    return redirect(reverse("juries:manage", args=[jury.slug]) + "#members")


@login_required
@require_POST
def replacement_start(request: HttpRequest, slug: str) -> HttpResponse:
    jury = get_jury_for_user(request, slug, manage=True)
    form = SelectionForm(request.POST, prefix="replacement")
    if form.is_valid():
        try:
            run = services.replacement_commit(
                jury=jury,
                algorithm=form.cleaned_data["algorithm"],
                lottery_size=form.cleaned_data["lottery_size"],
                seed_commitments=form.commitments(),
                actor=request.user,
            )
        except ValidationError as error:
            form_errors_to_form(form, error)
        else:
            messages.success(
                request, _("The inputs of the replacement draw are published; the panels are being computed.")
            )
            return redirect("juries:run", slug=jury.slug, run_id=run.public_id)
    return _dashboard(request, jury, status=400, replacement_form=form)
