"""The members' drafting area, the secret vote with levels of support, minority views and the report.

Members (and facilitators, who are staff) draft under /jurys/<slug>/espace/recommandations/. Only
seated members vote and sign minority views; only staff open and close votes and publish the
report. The receipt of a vote is kept for 15 minutes in a signed cookie of the member's own browser
(limited to that vote's pages), so the confirmation page can be reloaded and "change my vote"
prefilled: the platform stores nothing that links a member to their ballot.
"""

from __future__ import annotations

import datetime
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicplatform.ballots import services as ballots

from .. import selectors_recommendations as selectors
from .. import services_recommendations as services
from ..forms_recommendations import MinorityViewForm, RecommendationForm, ReportForm, SupportBallotForm, VoteOpenForm
from ..models import Jury, MinorityView, Recommendation, RecommendationStatus, RecommendationVote, VoteStatus
from ..rules import takes_part
from ._helpers import form_errors_to_form, get_jury_for_user

RECEIPT_COOKIE = "jury_vote_receipt"
RECEIPT_SALT = "juries.recommendations.receipt"
RECEIPT_KEEP = datetime.timedelta(minutes=15)


# ---------------------------------------------------------------- access helpers


class OutsideWorkspace(PermissionDenied):
    """The user may see the jury but not do this here; `members_area` answers with the workspace's 403 page."""

    def __init__(self, jury: Jury, *, staff_only: bool = False) -> None:
        self.jury, self.staff_only = jury, staff_only
        super().__init__()


def members_area(view):
    """Log in first; a 403 page that tells a member how to link their seat when they are not (yet) seated."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except OutsideWorkspace as refusal:
            context = {"jury": refusal.jury, "staff_only": refusal.staff_only}
            return render(request, "juries/workspace/forbidden.html", context, status=403)

    return wrapper


def get_workspace_jury(request: HttpRequest, slug: str, *, manage: bool = False, take_part: bool = False) -> Jury:
    """The jury whose workspace the user enters: 404 if they may not see it, 403 if they are not a
    seated member or staff (or, with `manage`/`take_part`, not staff/not seated)."""
    jury = get_jury_for_user(request, slug)
    if not request.user.has_perm("juries.enter_workspace", jury):
        raise OutsideWorkspace(jury)
    if manage and not request.user.has_perm("juries.manage_jury"):
        raise OutsideWorkspace(jury, staff_only=True)
    if take_part and not takes_part(request.user, jury):
        raise PermissionDenied
    # A vote past its closing time is closed before anything is shown (see services_recommendations).
    services.recommendation_votes_close_due(jury=jury)
    return jury


def _recommendation(jury: Jury, number: int) -> Recommendation:
    recommendation = selectors.recommendation_for_edit(jury, number)
    if recommendation is None:
        raise Http404
    return recommendation


def _vote(jury: Jury, vote_id: int) -> RecommendationVote:
    vote = selectors.vote_for_jury(jury, vote_id)
    if vote is None:
        raise Http404
    return vote


def _refused(request: HttpRequest, jury: Jury, message: str, *, back: str, status: int = 403) -> HttpResponse:
    return render(
        request, "juries/recommendations/refused.html", {"jury": jury, "message": message, "back": back}, status=status
    )


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _published(jury: Jury) -> bool:
    report = selectors.report_get(jury)
    return bool(report and report.published_at)


def _refuse_if_published(request: HttpRequest, jury: Jury) -> HttpResponse | None:
    """Once the report is published, drafting is over: a clear 409 instead of a form that cannot be saved."""
    if not _published(jury):
        return None
    return _refused(
        request,
        jury,
        _("The report has been published: the jury's work is closed."),
        back=reverse("juries:recommendations", args=[jury.slug]),
        status=409,
    )


def _confirm_page(
    request: HttpRequest, jury: Jury, *, heading: str, warning: str, button: str, back: str
) -> HttpResponse:
    """Step one of an action that cannot be undone: say what will happen, the POST of this page does it."""
    context = {
        "jury": jury,
        "heading": heading,
        "warning": warning,
        "button": button,
        "action": request.path,
        "back": back,
    }
    return render(request, "juries/recommendations/confirm.html", context)


# ---------------------------------------------------------------- drafting


@members_area
@require_GET
def recommendation_list(request: HttpRequest, slug: str) -> HttpResponse:
    jury = get_workspace_jury(request, slug)
    recommendations = list(selectors.drafting_list(jury))
    by_status: dict[str, list[Recommendation]] = {value: [] for value in RecommendationStatus.values}
    for recommendation in recommendations:
        by_status[recommendation.status].append(recommendation)
    report = selectors.report_get(jury)
    return render(
        request,
        "juries/recommendations/list.html",
        {
            "jury": jury,
            "drafts": by_status[RecommendationStatus.DRAFT],
            "voting": by_status[RecommendationStatus.VOTING],
            "adopted": by_status[RecommendationStatus.ADOPTED],
            "not_adopted": by_status[RecommendationStatus.NOT_ADOPTED],
            "withdrawn": by_status[RecommendationStatus.WITHDRAWN],
            "votes": selectors.votes_with_my_participation(jury, request.user),
            "report": report,
            "published": bool(report and report.published_at),
            "can_manage": request.user.has_perm("juries.manage_jury"),
            "can_take_part": takes_part(request.user, jury),
            "seated": selectors.seated_count(jury),
        },
    )


@members_area
@require_http_methods(["GET", "POST"])
def recommendation_create(request: HttpRequest, slug: str) -> HttpResponse:
    jury = get_workspace_jury(request, slug)
    refusal = _refuse_if_published(request, jury)
    if refusal is not None:
        return refusal
    form = RecommendationForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                recommendation = services.recommendation_create(
                    jury=jury,
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"],
                    rationale=form.cleaned_data["rationale"],
                )
            except ValidationError as error:
                form_errors_to_form(form, error)
            else:
                messages.success(request, _("Draft R%(number)d saved.") % {"number": recommendation.number})
                return redirect("juries:recommendation_edit", slug=jury.slug, number=recommendation.number)
        return render(request, "juries/recommendations/create.html", {"jury": jury, "form": form}, status=400)
    return render(request, "juries/recommendations/create.html", {"jury": jury, "form": form})


def _edit_page(
    request: HttpRequest,
    jury: Jury,
    recommendation: Recommendation,
    *,
    form: RecommendationForm | None = None,
    conflict: Any = None,
    status: int = 200,
) -> HttpResponse:
    names = selectors.pseudonyms(jury)
    rows = selectors.history(recommendation, names)
    editable = recommendation.status == RecommendationStatus.DRAFT and not _published(jury)
    if form is None and editable:
        latest = rows[0].revision.pk if rows else None
        form = RecommendationForm(
            initial={
                "title": recommendation.title,
                "text": recommendation.text,
                "rationale": recommendation.rationale,
                "base_revision": latest,
            }
        )
    return render(
        request,
        "juries/recommendations/edit.html",
        {
            "jury": jury,
            "recommendation": recommendation,
            "form": form if editable else None,
            "history": rows,
            "last_change": selectors.last_change(rows),
            "conflict": conflict,
            "conflict_editor": selectors.author_name(conflict.edited_by_id, names) if conflict else "",
            "author": selectors.author_name(recommendation.created_by_id, names),
            "can_withdraw": editable and services.may_withdraw(request.user, recommendation),
        },
        status=status,
    )


@members_area
@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    jury = get_workspace_jury(request, slug)
    recommendation = _recommendation(jury, number)
    if request.method == "GET":
        return _edit_page(request, jury, recommendation)
    refusal = _refuse_if_published(request, jury)
    if refusal is not None:
        return refusal
    if recommendation.status != RecommendationStatus.DRAFT:
        return _refused(
            request,
            jury,
            _("Only a recommendation being drafted can be changed."),
            back=reverse("juries:recommendation_edit", args=[jury.slug, number]),
            status=409,
        )
    form = RecommendationForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, jury, recommendation, form=form, status=400)
    try:
        services.recommendation_update(
            recommendation=recommendation,
            actor=request.user,
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
            rationale=form.cleaned_data["rationale"],
            base_revision=form.cleaned_data["base_revision"],
        )
    except services.EditConflict as conflict:
        # Keep every word the member typed; base the next save on the version they can now read.
        data = request.POST.copy()
        data["base_revision"] = str(conflict.latest.pk) if conflict.latest else ""
        form = RecommendationForm(data)
        form.is_valid()
        form.add_error(None, conflict.messages[0])
        recommendation.refresh_from_db()
        return _edit_page(request, jury, recommendation, form=form, conflict=conflict.latest, status=409)
    except ValidationError as error:
        form_errors_to_form(form, error)
        return _edit_page(request, jury, recommendation, form=form, status=400)
    messages.success(request, _("Your changes to R%(number)d are saved.") % {"number": number})
    return redirect("juries:recommendation_edit", slug=jury.slug, number=number)


@members_area
@require_http_methods(["GET", "POST"])
def recommendation_withdraw(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """GET asks for confirmation, naming the draft; POST withdraws it. Only its author or staff."""
    jury = get_workspace_jury(request, slug)
    recommendation = _recommendation(jury, number)
    if not services.may_withdraw(request.user, recommendation):
        raise PermissionDenied
    refusal = _refuse_if_published(request, jury)
    if refusal is not None:
        return refusal
    back = reverse("juries:recommendation_edit", args=[jury.slug, number])
    if request.method == "GET":
        if recommendation.status != RecommendationStatus.DRAFT:
            return redirect(back)
        return _confirm_page(
            request,
            jury,
            heading=_("Withdraw R%(number)d. %(title)s?") % {"number": number, "title": recommendation.title},
            warning=_(
                "A withdrawn draft stays in the list, with its history, but can no longer be changed nor put to "
                "the vote. This cannot be undone."
            ),
            button=_("Withdraw this draft"),
            back=back,
        )
    try:
        services.recommendation_withdraw(recommendation=recommendation, actor=request.user)
    except ValidationError as error:
        return _refused(
            request,
            jury,
            _message(error),
            back=reverse("juries:recommendation_edit", args=[jury.slug, number]),
            status=409,
        )
    messages.success(request, _("R%(number)d has been withdrawn.") % {"number": number})
    return redirect("juries:recommendations", slug=jury.slug)


# ---------------------------------------------------------------- the vote: staff


@members_area
@require_http_methods(["GET", "POST"])
def vote_open(request: HttpRequest, slug: str) -> HttpResponse:
    jury = get_workspace_jury(request, slug, manage=True)
    refusal = _refuse_if_published(request, jury)
    if refusal is not None:
        return refusal
    form = VoteOpenForm(request.POST or None, jury=jury)
    if request.method == "POST":
        if form.is_valid():
            try:
                vote = services.recommendation_vote_open(
                    jury=jury,
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    recommendations=form.cleaned_data["recommendations"],
                    closes_at=form.cleaned_data["closes_at"],
                    threshold_percent=form.cleaned_data["threshold_percent"],
                )
            except ValidationError as error:
                form_errors_to_form(form, error)
            else:
                messages.success(request, _("The vote is open."))
                return redirect("juries:recommendation_vote", slug=jury.slug, vote_id=vote.pk)
        return render(request, "juries/recommendations/vote_open.html", {"jury": jury, "form": form}, status=400)
    return render(request, "juries/recommendations/vote_open.html", {"jury": jury, "form": form})


@members_area
@require_http_methods(["GET", "POST"])
def vote_close(request: HttpRequest, slug: str, vote_id: int) -> HttpResponse:
    """GET asks staff to confirm (closing cannot be undone); POST closes and counts."""
    jury = get_workspace_jury(request, slug, manage=True)
    vote = _vote(jury, vote_id)
    back = reverse("juries:recommendation_vote", args=[jury.slug, vote.pk])
    if request.method == "GET":
        if vote.status == VoteStatus.CLOSED:
            return redirect(back)
        return _confirm_page(
            request,
            jury,
            heading=_("Close “%(title)s” now?") % {"title": vote.title},
            warning=_(
                "Members who have not voted will no longer be able to, nobody can change their ballot, and the "
                "results are counted and shown. This cannot be undone."
            ),
            button=_("Close the vote now and count it"),
            back=back,
        )
    if vote.status == VoteStatus.CLOSED:
        messages.info(request, _("This vote was already closed."))
    else:
        services.recommendation_vote_close(vote=vote, actor=request.user)
        messages.success(request, _("The vote is closed and counted."))
    return redirect("juries:recommendation_vote", slug=jury.slug, vote_id=vote.pk)


# ---------------------------------------------------------------- the vote: members


def _remember_receipt(response: HttpResponse, request: HttpRequest, vote: RecommendationVote, receipt: str):
    response.set_signed_cookie(
        RECEIPT_COOKIE,
        f"{request.user.pk}:{receipt}",
        salt=RECEIPT_SALT,
        max_age=int(RECEIPT_KEEP.total_seconds()),
        path=reverse("juries:recommendation_vote", args=[vote.jury.slug, vote.pk]),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def _recalled_receipt(request: HttpRequest) -> str:
    value = request.get_signed_cookie(
        RECEIPT_COOKIE, default="", salt=RECEIPT_SALT, max_age=int(RECEIPT_KEEP.total_seconds())
    )
    owner, _sep, receipt = value.partition(":")
    return receipt if owner == str(request.user.pk) else ""


def _vote_page(
    request: HttpRequest, jury: Jury, vote: RecommendationVote, *, form=None, mode: str = "cast", status: int = 200
) -> HttpResponse:
    closed = vote.status == VoteStatus.CLOSED
    can_take_part = takes_part(request.user, jury)
    voted = can_take_part and ballots.has_voted(elections=[vote], person=request.user)
    if form is None and can_take_part and not closed and not voted:
        form = SupportBallotForm(recommendations=vote.recommendations.all())
    return render(
        request,
        "juries/recommendations/vote.html",
        {
            "jury": jury,
            "vote": vote,
            "form": form,
            "mode": mode,
            "closed": closed,
            "voted": voted,
            "can_take_part": can_take_part,
            "can_manage": request.user.has_perm("juries.manage_jury"),
            "turnout": selectors.turnout(vote),
            "seated": selectors.seated_count(jury),
            "results": selectors.vote_results(vote) if closed else [],
        },
        status=status,
    )


@members_area
@require_http_methods(["GET", "POST"])
def vote_detail(request: HttpRequest, slug: str, vote_id: int) -> HttpResponse:
    """The ballot for a member who has not voted, the turnout while open, the results once closed."""
    jury = get_workspace_jury(request, slug)
    vote = _vote(jury, vote_id)
    if request.method == "GET":
        return _vote_page(request, jury, vote)
    back = reverse("juries:recommendation_vote", args=[jury.slug, vote.pk])
    if not takes_part(request.user, jury):
        return _refused(request, jury, _("Only the seated members of the jury vote."), back=back)
    if not services.vote_is_open(vote):
        return _refused(request, jury, _("This vote is closed."), back=back)
    form = SupportBallotForm(request.POST, recommendations=vote.recommendations.all())
    if not form.is_valid():
        return _vote_page(request, jury, vote, form=form, status=400)
    try:
        receipt = services.recommendation_ballot_cast(vote=vote, person=request.user, levels=form.levels())
    except ballots.AlreadyVoted as error:
        messages.info(request, str(error.message))
        return redirect("juries:recommendation_vote_change", slug=jury.slug, vote_id=vote.pk)
    except ValidationError as error:
        return _refused(request, jury, _message(error), back=back, status=409)
    return _remember_receipt(
        redirect("juries:recommendation_vote_done", slug=jury.slug, vote_id=vote.pk), request, vote, receipt
    )


@members_area
@require_GET
def vote_done(request: HttpRequest, slug: str, vote_id: int) -> HttpResponse:
    jury = get_workspace_jury(request, slug, take_part=True)
    vote = _vote(jury, vote_id)
    return render(
        request,
        "juries/recommendations/vote_done.html",
        {"jury": jury, "vote": vote, "receipt": _recalled_receipt(request)},
    )


@members_area
@require_http_methods(["GET", "POST"])
def vote_change(request: HttpRequest, slug: str, vote_id: int) -> HttpResponse:
    """Change one's ballot with the receipt code until the vote closes ("show my ballot" first if wanted)."""
    jury = get_workspace_jury(request, slug, take_part=True)
    vote = _vote(jury, vote_id)
    back = reverse("juries:recommendation_vote", args=[jury.slug, vote.pk])
    if not services.vote_is_open(vote):
        if request.method == "GET":
            return redirect(back)  # the vote page shows the results
        return _refused(request, jury, _("This vote is closed."), back=back)
    if not ballots.has_voted(elections=[vote], person=request.user):
        return redirect(back)
    recommendations = vote.recommendations.all()

    def page(form, status=200):
        return _vote_page(request, jury, vote, form=form, mode="change", status=status)

    if request.method == "GET" or request.POST.get("action") == "load":
        receipt = _recalled_receipt(request) if request.method == "GET" else request.POST.get("receipt", "")
        initial: dict[str, str] = {}
        if receipt:
            try:
                stored = ballots.ballot_verify(election=vote, person=request.user, receipt=receipt)
            except ballots.ReceiptMismatch as error:
                if request.method == "POST":
                    form = SupportBallotForm(request.POST, recommendations=recommendations, with_receipt=True)
                    form.is_valid()
                    form.errors.clear()
                    form.add_error("receipt", str(error.message))
                    return page(form, 400)
            else:
                initial = {"receipt": receipt, **SupportBallotForm.initial_from(stored.choices)}
        return page(SupportBallotForm(recommendations=recommendations, with_receipt=True, initial=initial))

    form = SupportBallotForm(request.POST, recommendations=recommendations, with_receipt=True)
    if not form.is_valid():
        return page(form, 400)
    try:
        services.recommendation_ballot_change(
            vote=vote, person=request.user, receipt=form.cleaned_data["receipt"], levels=form.levels()
        )
    except ballots.ReceiptMismatch as error:
        form.add_error("receipt", str(error.message))
        return page(form, 400)
    except ValidationError as error:
        return _refused(request, jury, _message(error), back=back, status=409)
    messages.success(request, _("Your ballot has been changed. Your receipt code stays the same."))
    return _remember_receipt(
        redirect("juries:recommendation_vote_done", slug=jury.slug, vote_id=vote.pk),
        request,
        vote,
        form.cleaned_data["receipt"],
    )


# ---------------------------------------------------------------- minority views


@members_area
@require_http_methods(["GET", "POST"])
def minority_views(request: HttpRequest, slug: str) -> HttpResponse:
    jury = get_workspace_jury(request, slug)
    can_take_part = takes_part(request.user, jury)
    form = MinorityViewForm(request.POST or None, jury=jury) if can_take_part else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.minority_view_create(
                    jury=jury,
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"],
                    recommendation=form.cleaned_data["recommendation"],
                )
            except ValidationError as error:
                form_errors_to_form(form, error)
            else:
                messages.success(request, _("Your minority view is saved. You are its first signatory."))
                return redirect("juries:minority_views", slug=jury.slug)
        status = 400
    report = selectors.report_get(jury)
    return render(
        request,
        "juries/recommendations/minority_views.html",
        {
            "jury": jury,
            "views": selectors.minority_views(jury, request.user),
            "form": form,
            "can_take_part": can_take_part,
            "published": bool(report and report.published_at),
        },
        status=status,
    )


@members_area
@require_POST
def minority_view_sign(request: HttpRequest, slug: str, view_id: int) -> HttpResponse:
    jury = get_workspace_jury(request, slug, take_part=True)
    view = MinorityView.objects.filter(jury=jury, pk=view_id).first()
    if view is None:
        raise Http404
    try:
        signed = services.minority_view_toggle_signature(view=view, actor=request.user)
    except ValidationError as error:
        return _refused(request, jury, _message(error), back=reverse("juries:minority_views", args=[jury.slug]))
    if signed:
        messages.success(request, _("You now sign “%(title)s”.") % {"title": view.title})
    else:
        messages.success(request, _("You no longer sign “%(title)s”.") % {"title": view.title})
    return redirect(reverse("juries:minority_views", args=[jury.slug]) + f"#view-{view.pk}")


# ---------------------------------------------------------------- the report


@members_area
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, slug: str) -> HttpResponse:
    jury = get_workspace_jury(request, slug, manage=True)
    report = selectors.report_get(jury)
    initial = {"introduction": report.introduction, "method": report.method} if report else {}
    form = ReportForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_save(jury=jury, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_errors_to_form(form, error)
            else:
                messages.success(request, _("The report is saved. It is not public until you publish it."))
                return redirect("juries:report_edit", slug=jury.slug)
        status = 400
    return render(
        request,
        "juries/recommendations/report_edit.html",
        {
            "jury": jury,
            "report": report,
            "form": form,
            "open_votes": jury.votes.filter(status=VoteStatus.OPEN).exists(),
        },
        status=status,
    )


@members_area
@require_http_methods(["GET", "POST"])
def report_publish(request: HttpRequest, slug: str) -> HttpResponse:
    """GET asks staff to confirm (nothing can be changed afterwards); POST publishes."""
    jury = get_workspace_jury(request, slug, manage=True)
    if request.method == "GET":
        if _published(jury):
            return redirect("juries:report", slug=jury.slug)
        return _confirm_page(
            request,
            jury,
            heading=_("Publish the jury's report?"),
            warning=_(
                "Once published, the report is public, the jury's status becomes “Report delivered”, followers "
                "are told, and nothing can be changed any more."
            ),
            button=_("Publish the report"),
            back=reverse("juries:report_edit", args=[jury.slug]),
        )
    try:
        services.report_publish(jury=jury, actor=request.user)
    except ValidationError as error:
        return _refused(
            request, jury, _message(error), back=reverse("juries:report_edit", args=[jury.slug]), status=409
        )
    messages.success(request, _("The report is published."))
    return redirect("juries:report", slug=jury.slug)


@require_GET
def report(request: HttpRequest, slug: str) -> HttpResponse:
    """The public report, once published (staff may preview it before)."""
    jury = get_jury_for_user(request, slug)
    report = selectors.report_get(jury)
    preview = request.user.has_perm("juries.manage_jury")
    if report is None or (report.published_at is None and not preview):
        raise Http404
    if report.published_at is None:
        services.recommendation_votes_close_due(jury=jury)
    decided = selectors.decided_recommendations(jury)
    return render(
        request,
        "juries/recommendations/report.html",
        {
            "jury": jury,
            "report": report,
            "adopted": [row for row in decided if row[0].status == RecommendationStatus.ADOPTED],
            "not_adopted": [row for row in decided if row[0].status == RecommendationStatus.NOT_ADOPTED],
            "views": selectors.report_minority_views(jury),
        },
    )
