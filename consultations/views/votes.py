"""Local consultations and referendums: the page, the secret vote, paper ballots at the desk,
and the results with turnout and, for a referendum, whether the quorum was met.

Casting takes two steps, with no JavaScript: the first POST checks the choice and shows it back
with a signed token ("You are about to vote: Yes"); the second POST, with that token, casts the
vote. The token names the vote, the person and the choice, and lasts CONFIRM_KEEP.

The receipt is kept for 15 minutes in a signed cookie of the voter's own browser (the
platform stores nothing that links the person to their ballot), so that the confirmation
page can be reloaded.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civicplatform.ballots.models import Channel
from civicplatform.ballots.services import AlreadyVoted
from civicplatform.core.eligibility import eligibility_summary
from civicplatform.verification.desk import participant_for

from ..forms import VoteForm
from ..models import VoteChoice
from ..votes import VoteRefused, get_vote_for_user, local_vote_cast, local_vote_results, vote_decision
from ._helpers import back_office, refused

RECEIPT_COOKIE = "consultations_receipt"
RECEIPT_SALT = "consultations.votes.receipt"
RECEIPT_KEEP = datetime.timedelta(minutes=15)
CONFIRM_SALT = "consultations.votes.confirm"
CONFIRM_KEEP = datetime.timedelta(minutes=10)


@require_GET
def vote_detail(request: HttpRequest, slug: str) -> HttpResponse:
    vote = get_vote_for_user(request, slug)
    decision = None
    if request.user.is_authenticated:
        decision = vote_decision(vote, participant_for(request).person)
    return render(
        request,
        "consultations/vote_detail.html",
        {
            "vote": vote,
            "phase": vote.vote_phase(),
            "decision": decision,
            "who": eligibility_summary(vote.eligibility_policy()),
            "can_see_results": request.user.has_perm("consultations.view_vote_results", vote),
            "can_record_paper": request.user.has_perm("consultations.record_paper_vote", vote),
        },
    )


def confirm_token(*, vote, person, choice: str) -> str:
    """What the confirmation page sends back to cast the vote."""
    return signing.dumps({"vote": vote.pk, "person": person.pk, "choice": choice}, salt=CONFIRM_SALT)


def _confirmed_choice(request: HttpRequest, vote, person) -> str | None:
    """The choice the confirmation page showed, if its token is genuine, recent, and for this
    vote, this person and the choice posted with it; None otherwise."""
    try:
        data = signing.loads(
            request.POST.get("token", ""), salt=CONFIRM_SALT, max_age=int(CONFIRM_KEEP.total_seconds())
        )
    except signing.BadSignature:  # SignatureExpired included
        return None
    if not isinstance(data, dict):
        return None
    if (data.get("vote"), data.get("person"), data.get("choice")) != (vote.pk, person.pk, request.POST.get("choice")):
        return None
    return data["choice"]


def _kept_choice(request: HttpRequest) -> VoteForm:
    """An unbound form with the posted choice already selected, so nobody has to choose twice."""
    choice = request.POST.get("choice", "")
    return VoteForm(initial={"choice": choice} if choice in VoteChoice.values else None)


def _vote_page(request: HttpRequest, slug: str, *, paper: bool) -> HttpResponse:
    vote = get_vote_for_user(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    participation = participant_for(request)
    if paper and not (participation.is_desk and request.user.has_perm("consultations.record_paper_vote", vote)):
        return refused(
            request,
            _("Paper ballots are recorded at the desk, by staff acting for the person who hands it in."),
            back=vote.get_absolute_url(),
        )
    decision = vote_decision(vote, participation.person)
    if not decision.allowed:
        return refused(request, decision, back=vote.get_absolute_url())
    action = request.POST.get("action", "") if request.method == "POST" else ""
    context = {"vote": vote, "paper": paper, "participation": participation}
    if action == "change":
        return render(request, "consultations/vote_form.html", {**context, "form": _kept_choice(request)})
    if action == "confirm":
        choice = _confirmed_choice(request, vote, participation.person)
        if choice is None:
            context["confirm_error"] = _(
                "Your vote was not recorded: this confirmation is out of date or not valid (it lasts"
                " 10 minutes). Your choice is still selected below: cast it again."
            )
            return render(
                request, "consultations/vote_form.html", {**context, "form": _kept_choice(request)}, status=400
            )
        return _cast(request, vote, participation, choice=choice, paper=paper)
    form = VoteForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            choice = form.cleaned_data["choice"]
            token = confirm_token(vote=vote, person=participation.person, choice=choice)
            return render(
                request,
                "consultations/vote_confirm.html",
                {**context, "choice": choice, "choice_label": VoteChoice(choice).label, "token": token},
            )
        status = 400
    return render(request, "consultations/vote_form.html", {**context, "form": form}, status=status)


def _cast(request: HttpRequest, vote, participation, *, choice: str, paper: bool) -> HttpResponse:
    try:
        receipt = local_vote_cast(
            vote=vote,
            person=participation.person,
            choice=choice,
            channel=Channel.PAPER if paper else (Channel.DESK if participation.is_desk else Channel.ONLINE),
            **participation.audit_kwargs,
        )
    except VoteRefused as error:
        return refused(request, error.decision, back=vote.get_absolute_url())
    except AlreadyVoted as error:
        return refused(request, str(error.message), back=vote.get_absolute_url())
    if paper:
        messages.success(request, _("The paper ballot is recorded. The person can no longer vote online."))
        return redirect(vote.get_absolute_url())
    reply = redirect("consultations:vote_done", slug=vote.slug)
    reply.set_signed_cookie(
        RECEIPT_COOKIE,
        f"{participation.person.pk}:{receipt}",
        salt=RECEIPT_SALT,
        max_age=int(RECEIPT_KEEP.total_seconds()),
        path=reverse("consultations:vote_done", args=[vote.slug]),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return reply


@require_http_methods(["GET", "POST"])
def vote_cast(request: HttpRequest, slug: str) -> HttpResponse:
    return _vote_page(request, slug, paper=False)


@back_office
@require_http_methods(["GET", "POST"])
def vote_paper(request: HttpRequest, slug: str) -> HttpResponse:
    return _vote_page(request, slug, paper=True)


@require_GET
def vote_done(request: HttpRequest, slug: str) -> HttpResponse:
    vote = get_vote_for_user(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    value = request.get_signed_cookie(
        RECEIPT_COOKIE, default="", salt=RECEIPT_SALT, max_age=int(RECEIPT_KEEP.total_seconds())
    )
    owner, _sep, receipt = value.partition(":")
    person = participant_for(request).person
    return render(
        request,
        "consultations/vote_done.html",
        {"vote": vote, "receipt": receipt if owner == str(person.pk) else ""},
    )


@require_GET
def vote_results(request: HttpRequest, slug: str) -> HttpResponse:
    vote = get_vote_for_user(request, slug)
    if not request.user.has_perm("consultations.view_vote_results", vote):
        return refused(request, _("The results are published when the poll closes."), back=vote.get_absolute_url())
    return render(
        request,
        "consultations/vote_results.html",
        {"vote": vote, "results": local_vote_results(vote), "now": timezone.now()},
    )
