"""Back-office pages: register imports, letters to post, conflicts to decide."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civicplatform.accounts.decorators import staff_required
from civicplatform.verification.forms import ConflictDecisionForm, RegisterImportForm
from civicplatform.verification.models import PostalLetter, VerificationConflict
from civicplatform.verification.selectors import (
    conflicts_decided,
    conflicts_open,
    letters_sent_recently,
    letters_to_send,
    register_counts,
    register_imports_recent,
)
from civicplatform.verification.services.conflicts import conflict_reassign, conflict_reject
from civicplatform.verification.services.letters import letter_mark_sent
from civicplatform.verification.services.registers import register_import


def require_perm(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def get_letter_for_staff(request: HttpRequest, public_id: uuid.UUID) -> PostalLetter:
    """A letter, for staff who post letters (403 for others, 404 if unknown)."""
    require_perm(request, "verification.send_letters")
    letter = PostalLetter.objects.select_related("user").filter(public_id=public_id).first()
    if letter is None:
        raise Http404
    return letter


def get_conflict_for_staff(request: HttpRequest, public_id: uuid.UUID) -> VerificationConflict:
    """A conflict, for staff who decide them (403 for others, 404 if unknown)."""
    require_perm(request, "verification.resolve_conflicts")
    conflict = (
        VerificationConflict.objects.select_related("entry", "claimant", "holder", "claimant__district")
        .filter(public_id=public_id)
        .first()
    )
    if conflict is None:
        raise Http404
    return conflict


@staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    require_perm(request, "verification.work_at_desk")
    return render(
        request,
        "verification/staff/home.html",
        {
            "letters_count": letters_to_send().count(),
            "conflicts_count": conflicts_open().count(),
            "counts": register_counts(),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def registers(request: HttpRequest) -> HttpResponse:
    """Import a census or an electoral list (kept as keyed hashes only) and see past imports."""
    require_perm(request, "verification.manage_registers")
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = register_import(
                kind=form.cleaned_data["kind"],
                data=upload.read(),
                uploaded_by=request.user,
                source_name=upload.name,
                replace=form.cleaned_data["replace"],
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            messages.success(
                request,
                _(
                    "Import done. Entries added: %(added)d; already present: %(present)d; "
                    "invalid rows: %(invalid)d; removed: %(removed)d."
                )
                % {
                    "added": batch.rows_added,
                    "present": batch.rows_already_present,
                    "invalid": batch.rows_invalid,
                    "removed": batch.rows_removed,
                },
            )
            return redirect("verification:registers")
    context = {"form": form, "imports": register_imports_recent(), "counts": register_counts()}
    return render(request, "verification/staff/registers.html", context, status=400 if form.errors else 200)


@staff_required
def letters(request: HttpRequest) -> HttpResponse:
    require_perm(request, "verification.send_letters")
    return render(
        request,
        "verification/staff/letters.html",
        {"to_send": list(letters_to_send()), "sent": list(letters_sent_recently())},
    )


@staff_required
def letter_print(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A printable letter (print CSS, no PDF) with the code; printing does not mark it sent."""
    letter = get_letter_for_staff(request, public_id)
    if letter.status != PostalLetter.Status.REQUESTED:
        messages.info(request, _("This letter has already been sent: its address and code are erased."))
        return redirect("verification:letters")
    code_url = settings.SITE_URL + reverse("verification:code")
    return render(request, "verification/staff/letter_print.html", {"letter": letter, "code_url": code_url})


@staff_required
@require_POST
def letter_sent(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    letter = get_letter_for_staff(request, public_id)
    try:
        letter_mark_sent(letter=letter, staff=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Letter marked as sent: the address has been erased."))
    return redirect("verification:letters")


@staff_required
def conflicts(request: HttpRequest) -> HttpResponse:
    require_perm(request, "verification.resolve_conflicts")
    return render(
        request,
        "verification/staff/conflicts.html",
        {"open_conflicts": list(conflicts_open()), "decided": list(conflicts_decided())},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def conflict_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    conflict = get_conflict_for_staff(request, public_id)
    form = ConflictDecisionForm(request.POST or None)
    if request.method == "POST":
        if conflict.status != VerificationConflict.Status.OPEN:
            messages.info(request, _("This conflict has already been decided."))
            return redirect("verification:conflicts")
        if form.is_valid():
            service = conflict_reassign if form.cleaned_data["decision"] == form.REASSIGN else conflict_reject
            try:
                service(conflict=conflict, staff=request.user, note=form.cleaned_data["note"])
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("Decision recorded."))
                return redirect("verification:conflicts")
        return render(
            request, "verification/staff/conflict_detail.html", {"conflict": conflict, "form": form}, status=400
        )
    return render(request, "verification/staff/conflict_detail.html", {"conflict": conflict, "form": form})
