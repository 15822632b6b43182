"""Signing: one action when logged in, a form and an e-mailed link without an account."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from civicplatform.core.eligibility import Decision
from civicplatform.verification.desk import participant_for

from .. import altcha, selectors
from ..forms import AnonymousSignForm, FormalSignForm, SignOptionsForm
from ..models import PetitionStatus
from ..services import signing
from ._helpers import add_errors, client_ip, refused


def _sign_rate(group: str, request: HttpRequest) -> str:
    return settings.PETITIONS_SIGN_RATE


@require_http_methods(["GET", "POST"])
def petition_sign(request: HttpRequest, slug: str) -> HttpResponse:
    if request.method == "POST" and not request.user.is_authenticated:
        # The hot path of a signing peak: no query for the petition itself.
        petition = selectors.get_petition_for_signing(request, slug)
    else:
        petition = selectors.get_petition_for_user(request, slug)
    if request.user.is_authenticated:
        return _sign_logged_in(request, petition)
    if not request.user.has_perm("petitions.sign_petition_anonymously", petition):
        if petition.is_formal and petition.is_signature_open():
            decision = Decision(
                allowed=False,
                reason=_(
                    "Only registered electors of the municipality may sign this request, after logging in: "
                    "the law counts electors, not e-mail addresses."
                ),
                link_url=f"{reverse('account_login')}?next={petition.get_absolute_url()}",
                link_label=_("Log in"),
            )
            return refused(request, decision, back=petition.get_absolute_url())
        return refused(request, _("This petition is not open for signatures."), back=petition.get_absolute_url())
    return _sign_anonymous(request, petition)


def _sign_logged_in(request: HttpRequest, petition) -> HttpResponse:
    participation = participant_for(request)
    person = participation.person
    existing = selectors.signature_of(person, petition)
    if existing is not None:
        messages.info(request, _("You have already signed this petition. Your signature counts once."))
        return redirect(petition)
    decision = signing.sign_refusal(person, petition)
    if not decision.allowed:
        return refused(request, decision, back=petition.get_absolute_url())
    form_class = FormalSignForm if petition.is_formal else SignOptionsForm
    if request.method == "GET":
        initial = {"notify_response": True}
        if petition.is_formal:
            initial["postal_code"] = person.postal_code
        return render(request, "petitions/sign.html", {"petition": petition, "form": form_class(initial=initial)})
    form = form_class(request.POST)
    if form.is_valid():
        try:
            _signature, created = signing.signature_sign(
                petition=petition,
                participation=participation,
                public_name=form.cleaned_data["public_name"],
                notify_response=form.cleaned_data["notify_response"],
                identity=form.identity() if petition.is_formal else None,
            )
        except PermissionDenied as error:
            return refused(request, str(error), back=petition.get_absolute_url())
        except ValidationError as error:
            add_errors(form, error)
        else:
            if not created:
                messages.info(request, _("You have already signed this petition. Your signature counts once."))
            elif petition.status == PetitionStatus.GATHERING:
                messages.success(request, _("Thank you: you are now a co-sponsor of this petition."))
            else:
                messages.success(request, _("Thank you: your signature is recorded and counts."))
            return redirect(petition)
    return render(request, "petitions/sign.html", {"petition": petition, "form": form}, status=400)


def _sign_anonymous(request: HttpRequest, petition) -> HttpResponse:
    context = {"petition": petition, "altcha_enabled": altcha.enabled()}
    if request.method == "GET":
        context["form"] = AnonymousSignForm(initial={"notify_response": True})
        return render(request, "petitions/sign.html", context)
    form = context["form"] = AnonymousSignForm(request.POST)
    if is_ratelimited(request, group="petitions.sign", key="ip", rate=_sign_rate, method="POST", increment=True):
        messages.error(request, _("Too many signatures from your connection. Please try again in a minute."))
        return render(request, "petitions/sign.html", context, status=429)
    if form.is_bot:
        # Looks like success to the robot; nothing is recorded.
        return redirect("petitions:thanks", slug=petition.slug)
    if not form.is_valid():
        return render(request, "petitions/sign.html", context, status=400)
    proof_ok = altcha.solution_verify(request.POST.get("altcha", "")) if altcha.enabled() else None
    try:
        signing.signature_sign_anonymous(
            petition=petition,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            postal_code=form.cleaned_data["postal_code"],
            ip=client_ip(request),
            proof_ok=proof_ok,
            notify_response=form.cleaned_data["notify_response"],
            public_name=form.cleaned_data["public_name"],
        )
    except PermissionDenied as error:
        return refused(request, str(error), back=petition.get_absolute_url())
    return redirect("petitions:thanks", slug=petition.slug)


@require_GET
def signature_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    petition = selectors.get_petition_for_user(request, slug)
    return render(request, "petitions/thanks.html", {"petition": petition})


@never_cache
@require_http_methods(["GET", "POST"])
def signature_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the e-mail shows a button: mail scanners that open links do not confirm anything."""
    try:
        signature = signing.signature_for_confirmation(token)
    except ValidationError as error:
        return render(request, "petitions/link_error.html", {"message": error.messages[0]}, status=400)
    petition = signature.petition
    if request.method == "GET":
        return render(request, "petitions/confirm.html", {"petition": petition, "signature": signature})
    try:
        signing.signature_confirm(signature=signature)
    except ValidationError as error:
        return render(
            request, "petitions/link_error.html", {"message": error.messages[0], "petition": petition}, status=400
        )
    messages.success(request, _("Thank you: your signature is confirmed."))
    return redirect(petition)


@never_cache
@require_http_methods(["GET", "POST"])
def signature_withdraw_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        signature = signing.signature_for_withdrawal(token)
    except ValidationError as error:
        return render(request, "petitions/link_error.html", {"message": error.messages[0]}, status=400)
    petition = signature.petition
    if request.method == "GET":
        return render(request, "petitions/withdraw.html", {"petition": petition, "signature": signature})
    try:
        signing.signature_withdraw(signature=signature, actor=request.user if request.user.is_authenticated else None)
    except ValidationError as error:
        return render(
            request, "petitions/link_error.html", {"message": error.messages[0], "petition": petition}, status=400
        )
    messages.success(request, _("Your signature is withdrawn."))
    return redirect(petition)


@login_required
@require_POST
def signature_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    petition = selectors.get_petition_for_user(request, slug)
    participation = participant_for(request)
    signature = selectors.signature_of(participation.person, petition)
    if signature is None:
        messages.info(request, _("You have not signed this petition."))
        return redirect(petition)
    if not request.user.has_perm("petitions.withdraw_signature", petition):
        return refused(
            request, _("Signatures can only be withdrawn while the petition is open."), back=petition.get_absolute_url()
        )
    try:
        signing.signature_withdraw(signature=signature, **participation.audit_kwargs)
    except ValidationError as error:
        return refused(request, error.messages[0], back=petition.get_absolute_url())
    messages.success(request, _("Your signature is withdrawn."))
    return redirect(petition)


@never_cache
@require_GET
def altcha_challenge(request: HttpRequest) -> JsonResponse:
    if not altcha.enabled():
        return JsonResponse({"error": "disabled"}, status=404)
    return JsonResponse(altcha.challenge_create())
