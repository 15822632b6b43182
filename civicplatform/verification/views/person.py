"""Pages where a logged-in person verifies their residence themself."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from civicplatform.accounts.models import VerificationLevel
from civicplatform.verification.forms import CodeForm, IdentityForm, LetterRequestForm, add_service_errors
from civicplatform.verification.models import PostalLetter
from civicplatform.verification.selectors import verification_status_for
from civicplatform.verification.services.letters import letter_cancel, letter_code_check, letter_request
from civicplatform.verification.services.registers import MatchStatus, register_match

# Guessing someone else's identity needs many tries: five an hour stops it, and is plenty for typos.
REGISTER_RATE = "5/h"
CODE_RATE = "10/h"


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """The person's verification status and the ways to verify."""
    return render(request, "verification/start.html", {"status": verification_status_for(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Find oneself in the census or the electoral list."""
    status = verification_status_for(request.user)
    form = IdentityForm(request.POST or None)
    if request.method == "POST":
        if is_ratelimited(request, group="verification:register", key="user", rate=REGISTER_RATE, increment=True):
            form.is_valid()
            form.add_error(None, _("Too many attempts. Try again in an hour, or come to the town hall desk."))
            return render(request, "verification/register.html", {"form": form, "status": status}, status=429)
        if form.is_valid():
            result = register_match(user=request.user, **form.cleaned_data)
            if result.status == MatchStatus.VERIFIED:
                label = VerificationLevel(result.level).label
                messages.success(request, _("Thank you, you are now verified: %(level)s.") % {"level": label})
                return redirect("verification:start")
            if result.status == MatchStatus.ALREADY_VERIFIED:
                messages.info(request, _("Your account is already verified with this identity."))
                return redirect("verification:start")
            if result.status == MatchStatus.CONFLICT:
                messages.warning(
                    request,
                    _(
                        "This identity has already been used to verify another account. The town hall staff "
                        "will look into it and may contact you; you can also come to the desk with an "
                        "identity document."
                    ),
                )
                return redirect("verification:start")
            if result.status == MatchStatus.OTHER_IDENTITY:
                form.add_error(None, _("Your account is already verified with another identity."))
            else:
                form.add_error(
                    None,
                    _(
                        "We did not find this identity. Check the spelling, all your first names and the date; "
                        "or ask for a code by post."
                    ),
                )
        return render(request, "verification/register.html", {"form": form, "status": status}, status=400)
    return render(request, "verification/register.html", {"form": form, "status": status})


@login_required
@require_http_methods(["GET", "POST"])
def letter(request: HttpRequest) -> HttpResponse:
    """Ask for a code by post."""
    status = verification_status_for(request.user)
    form = LetterRequestForm(request.POST or None, initial={"postal_code": request.user.postal_code})
    if request.method == "POST":
        if form.is_valid():
            try:
                letter_request(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Your request is recorded. The town hall will post you a letter with a code within a few days."),
                )
                return redirect("verification:start")
        return render(request, "verification/letter.html", {"form": form, "status": status}, status=400)
    return render(request, "verification/letter.html", {"form": form, "status": status})


@login_required
@require_POST
def letter_cancel_view(request: HttpRequest) -> HttpResponse:
    pending = request.user.postal_letters.filter(
        status__in=[PostalLetter.Status.REQUESTED, PostalLetter.Status.SENT]
    ).first()
    if pending is None:
        messages.info(request, _("You have no letter to cancel."))
        return redirect("verification:start")
    letter_cancel(letter=pending, user=request.user)
    messages.success(request, _("The letter is cancelled and your address erased."))
    return redirect("verification:start")


@login_required
@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    """Type the code received by post."""
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if is_ratelimited(request, group="verification:code", key="user", rate=CODE_RATE, increment=True):
            form.is_valid()
            form.add_error(None, _("Too many attempts. Try again in an hour."))
            return render(request, "verification/code.html", {"form": form}, status=429)
        if form.is_valid():
            result = letter_code_check(user=request.user, code=form.cleaned_data["code"])
            if result.ok:
                messages.success(request, _("Thank you, your residence is verified."))
                return redirect("verification:start")
            form.add_error("code", result.message)
        return render(request, "verification/code.html", {"form": form}, status=400)
    return render(request, "verification/code.html", {"form": form})
