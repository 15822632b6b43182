"""Moderators' pages: the petition queue, held signatures, unusual activity, invalidations, disposable domains.

Reports about published petitions go through the site-wide moderation queue
(civicplatform.moderation); these pages are the petition-specific decisions.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import selectors
from ..forms import DisposableDomainForm, InvalidationForm, RejectForm
from ..models import DisposableDomain, HoldReason, Invalidation, Petition, Signature, SignatureState, TrendingFlag
from ..services import abuse, lifecycle
from ._helpers import add_errors, moderator_required


@moderator_required("petitions.view_moderation_queue")
@require_GET
def moderation_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "petitions/moderation/queue.html",
        {
            "items": selectors.moderation_queue(),
            "awaiting_response": list(selectors.awaiting_response()),
            "held_total": Signature.objects.filter(state=SignatureState.HELD).count(),
            "trending_total": TrendingFlag.objects.filter(reviewed_at__isnull=True).count(),
        },
    )


@moderator_required("petitions.view_moderation_queue")
@require_http_methods(["GET", "POST"])
def petition_moderate(request: HttpRequest, slug: str) -> HttpResponse:
    petition = selectors.get_petition_for_user(request, slug, perm="petitions.moderate_petition")
    reject_form = RejectForm(request.POST if request.POST.get("action") == "reject" else None)
    context = {"petition": petition, "reject_form": reject_form, "cosponsors": selectors.cosponsor_count(petition)}
    if request.method == "GET":
        return render(request, "petitions/moderation/moderate.html", context)
    action = request.POST.get("action")
    try:
        if action == "publish":
            lifecycle.petition_publish(petition=petition, actor=request.user)
            messages.success(request, _("The petition is published and open for signatures."))
            return redirect("petitions:moderation_queue")
        if action == "reject" and reject_form.is_valid():
            lifecycle.petition_reject(
                petition=petition,
                actor=request.user,
                reason=reject_form.cleaned_data["reason"],
                details=reject_form.cleaned_data["details"],
            )
            messages.success(request, _("The petition is rejected; its author is told why."))
            return redirect("petitions:moderation_queue")
        if action not in ("publish", "reject"):
            messages.error(request, _("Choose to publish or to reject the petition."))
    except ValidationError as error:
        if action == "reject":
            add_errors(reject_form, error)
        else:
            context["publish_error"] = " ".join(error.messages)
    return render(request, "petitions/moderation/moderate.html", context, status=400)


@moderator_required("petitions.review_signatures")
@require_GET
def signature_review(request: HttpRequest) -> HttpResponse:
    petition = None
    if request.GET.get("petition"):
        petition = get_object_or_404(Petition, slug=request.GET["petition"])
    page = Paginator(selectors.held_signatures(petition), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "petitions/moderation/signatures.html",
        {
            "summary": selectors.held_summary(),
            "page_obj": page,
            "held": list(page.object_list),
            "petition": petition,
            "flags": list(selectors.trending_flags()[:100]),
            "hold_reasons": dict(HoldReason.choices),
        },
    )


@moderator_required("petitions.review_signatures")
@require_POST
def signatures_release(request: HttpRequest) -> HttpResponse:
    """Count held signatures after all: the ones ticked, or all those of a petition held for one reason."""
    ids = request.POST.getlist("signature")
    if ids:
        query = Signature.objects.filter(public_id__in=_valid_uuids(ids))
    elif request.POST.get("petition"):
        query = Signature.objects.filter(petition__slug=request.POST["petition"])
        if request.POST.get("reason"):
            query = query.filter(hold_reason=request.POST["reason"])
    else:
        messages.error(request, _("Tick the signatures to release."))
        return redirect("petitions:signature_review")
    released = abuse.signatures_release(signatures=query, actor=request.user)
    messages.success(
        request,
        ngettext("%(count)d signature released.", "%(count)d signatures released.", released) % {"count": released},
    )
    return redirect("petitions:signature_review")


def _valid_uuids(values: list[str]) -> list[str]:
    from uuid import UUID

    valid = []
    for value in values:
        try:
            valid.append(str(UUID(value)))
        except ValueError:
            continue
    return valid


@moderator_required("petitions.review_signatures")
@require_POST
def trending_reviewed(request: HttpRequest, flag_id: int) -> HttpResponse:
    flag = get_object_or_404(TrendingFlag, pk=flag_id, reviewed_at__isnull=True)
    abuse.trending_review(flag=flag, actor=request.user)
    messages.success(request, _("Marked as reviewed."))
    return redirect("petitions:signature_review")


@moderator_required("petitions.review_signatures")
@require_http_methods(["GET", "POST"])
def invalidations(request: HttpRequest) -> HttpResponse:
    """Bulk invalidation: the first submission shows how many signatures match, the second applies it."""
    form = InvalidationForm(request.POST or None, initial={"petition": request.GET.get("petition")})
    context = {"form": form, "invalidations": list(Invalidation.objects.select_related("petition")[:50])}
    if request.method == "GET":
        return render(request, "petitions/moderation/invalidations.html", context)
    if not form.is_valid():
        return render(request, "petitions/moderation/invalidations.html", context, status=400)
    data = form.cleaned_data
    criteria = abuse.Criteria(
        petition=data["petition"],
        ip_hash=data["ip_hash"],
        email_domain=data["email_domain"],
        postal_code=data["postal_code"],
        name_contains=data["name_contains"],
        created_after=data["created_after"],
        created_before=data["created_before"],
        held_only=data["held_only"],
    )
    if not data["confirmed"]:
        context["preview_count"] = abuse.signatures_matching(criteria).count()
        return render(request, "petitions/moderation/invalidations.html", context)
    try:
        invalidation = abuse.signatures_invalidate(criteria=criteria, summary=data["summary"], actor=request.user)
    except ValidationError as error:
        add_errors(form, error)
        return render(request, "petitions/moderation/invalidations.html", context, status=400)
    messages.success(
        request,
        ngettext("%(count)d signature invalidated.", "%(count)d signatures invalidated.", invalidation.matched_count)
        % {"count": invalidation.matched_count},
    )
    return redirect("petitions:invalidations")


@moderator_required("petitions.review_signatures")
@require_http_methods(["GET", "POST"])
def disposable_domains(request: HttpRequest) -> HttpResponse:
    form = DisposableDomainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            abuse.disposable_domain_add(domain=form.cleaned_data["domain"], actor=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Domain added: new signatures from it are held for review."))
            return redirect("petitions:disposable_domains")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "petitions/moderation/disposable_domains.html",
        {"form": form, "domains": list(DisposableDomain.objects.all())},
        status=status,
    )


@moderator_required("petitions.review_signatures")
@require_POST
def disposable_domain_delete(request: HttpRequest, domain_id: int) -> HttpResponse:
    entry = get_object_or_404(DisposableDomain, pk=domain_id)
    abuse.disposable_domain_remove(entry=entry, actor=request.user)
    messages.success(request, _("Domain removed from the list."))
    return redirect("petitions:disposable_domains")
