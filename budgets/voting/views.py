"""Voting in a budget process: choose a budget, fill the ballot, get a receipt, change it.

Every page works without JavaScript. "Check my ballot" re-renders the ballot with the
remaining budget computed by the server; ballot.js only updates the same meter live.
Whose vote it is comes from participant_for(): a staff member acting for a person at
the desk votes for them (channel "desk", audited with on_behalf_of).

The receipt is kept for 15 minutes after a vote in a signed cookie of the voter's
browser (not in the server-side session), so that the confirmation page can be reloaded
and "change my vote" prefilled; the platform itself never stores anything that links
the person to their ballot.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from budgets import selectors as budget_selectors
from budgets.models import Budget, BudgetProcess
from budgets.views._helpers import back_office_guard, refused
from budgets.voting import selectors, services
from budgets.voting.forms import BallotForm, PaperBallotsImportForm, ReceiptForm, ballot_form_class
from civicplatform.ballots import services as ballots
from civicplatform.ballots.models import Channel
from civicplatform.ballots.receipts import voter_code
from civicplatform.core.eligibility import Decision
from civicplatform.verification.desk import Participation, acting_for, participant_for

RECEIPT_COOKIE = "ballot_receipt"
RECEIPT_SALT = "budgets.voting.receipt"
RECEIPT_KEEP = datetime.timedelta(minutes=15)
FIND_RATE = "20/m"


# ---------------------------------------------------------------- helpers


def _process(request: HttpRequest, slug: str) -> BudgetProcess:
    return budget_selectors.get_process_for_user(request, slug)


def _remember_receipt(
    response: HttpResponse, request: HttpRequest, budget: Budget, person: Any, receipt: str
) -> HttpResponse:
    """Keep the receipt for a quarter of an hour in a signed cookie of the voter's own browser,
    limited to this budget's voting pages (the server stores nothing that links them)."""
    response.set_signed_cookie(
        RECEIPT_COOKIE,
        f"{person.pk}:{receipt}",
        salt=RECEIPT_SALT,
        max_age=int(RECEIPT_KEEP.total_seconds()),
        path=reverse("budgets:ballot", args=[budget.process.slug, budget.slug]),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def _recalled_receipt(request: HttpRequest, budget: Budget, person: Any) -> str:
    value = request.get_signed_cookie(
        RECEIPT_COOKIE, default="", salt=RECEIPT_SALT, max_age=int(RECEIPT_KEEP.total_seconds())
    )
    owner, _sep, receipt = value.partition(":")
    # At the desk one browser serves several people: only the person's own receipt is shown.
    return receipt if owner == str(person.pk) else ""


def _channel(participation: Participation) -> str:
    return Channel.DESK if participation.is_desk else Channel.ONLINE


def _ballot_page(
    request: HttpRequest,
    *,
    process: BudgetProcess,
    budget: Budget,
    form: BallotForm,
    participation: Participation,
    mode: str,
    status: int = 200,
    checked: bool = False,
) -> HttpResponse:
    """The ballot (mode "cast", "change" or "paper"), with its meter and its buttons."""
    actions = {
        "cast": reverse("budgets:ballot", args=[process.slug, budget.slug]),
        "change": reverse("budgets:vote_change", args=[process.slug, budget.slug]),
        "paper": reverse("budgets:paper_ballot", args=[process.slug, budget.slug]),
    }
    return render(
        request,
        "budgets/voting/ballot.html",
        {
            "process": process,
            "budget": budget,
            "form": form,
            "meter": form.meter(),
            "mode": mode,
            "action": actions[mode],
            "participation": participation,
            "checked": checked and not form.errors,
        },
        status=status,
    )


def _guard(request: HttpRequest, slug: str, budget_slug: str | None, *, loaded: tuple | None = None):
    """Process, budget, participation and the refusal (an HttpResponse) if any.

    `loaded`: the (process, budget) already read for this budget_slug.
    """
    if budget_slug:
        process, budget = loaded or selectors.ballot_get(slug, budget_slug)
        if not request.user.has_perm("budgets.view_process", process):
            raise PermissionDenied
    else:
        process, budget = _process(request, slug), None
    if not request.user.is_authenticated:
        return process, budget, None, redirect_to_login(request.get_full_path())
    participation = participant_for(request)
    decision = selectors.vote_decision(process, budget, participation.person)
    if not decision.allowed:
        return process, budget, participation, refused(request, decision, back=process.get_absolute_url())
    return process, budget, participation, None


# ---------------------------------------------------------------- pages


@require_GET
def vote_index(request: HttpRequest, slug: str) -> HttpResponse:
    """The budgets the person may vote in, each with "vote" or "change my vote"."""
    process, _budget, participation, refusal = _guard(request, slug, None)
    if refusal is not None:
        return refusal
    entries = selectors.voter_budgets(process, participation.person)
    if not entries:
        decision = Decision(
            allowed=False, code="scope", reason=_("There is no budget of this process you may vote in.")
        )
        return refused(request, decision, back=process.get_absolute_url())
    exclusive = bool(selectors.exclusive_budgets(process))
    voted_any = any(voted for _budget, voted in entries)
    if len(entries) == 1 and not voted_any:
        return redirect("budgets:ballot", process.slug, entries[0][0].slug)
    return render(
        request,
        "budgets/voting/vote_index.html",
        {
            "process": process,
            "entries": entries,
            "exclusive": exclusive,
            "voted_any": voted_any,
            "participation": participation,
        },
    )


@require_http_methods(["GET", "POST"])
def ballot(request: HttpRequest, slug: str, budget_slug: str) -> HttpResponse:
    """Fill and cast the ballot of one budget."""
    process, budget, projects = selectors.ballot_context(slug, budget_slug)
    process, budget, participation, refusal = _guard(request, slug, budget_slug, loaded=(process, budget))
    if refusal is not None:
        return refusal
    form_class = ballot_form_class(process)
    if request.method == "GET":
        if ballots.has_voted(elections=[budget], person=participation.person):
            messages.info(request, _("You have already voted in this budget. You can change your ballot below."))
            return redirect("budgets:vote_change", process.slug, budget.slug)
        form = form_class(process=process, budget=budget, projects=projects)
        return _ballot_page(
            request, process=process, budget=budget, form=form, participation=participation, mode="cast"
        )
    form = form_class(request.POST, process=process, budget=budget, projects=projects)
    page = {"process": process, "budget": budget, "form": form, "participation": participation, "mode": "cast"}
    if not form.is_valid():
        return _ballot_page(request, **page, status=400)
    if request.POST.get("action") == "check":
        return _ballot_page(request, **page, checked=True)
    try:
        receipt = services.budget_vote_cast(
            process=process,
            budget=budget,
            person=participation.person,
            choices=form.ballot_choices(),
            channel=_channel(participation),
            **participation.audit_kwargs,
        )
    except services.VoteRefused as error:
        return refused(request, error.decision, back=process.get_absolute_url())
    except ballots.AlreadyVoted as error:
        # Keep what was just chosen: the change form takes it with the receipt.
        change = form_class(request.POST, process=process, budget=budget, projects=projects, with_receipt=True)
        change.is_valid()
        change.errors.pop("receipt", None)
        change.add_error(None, error.message)
        return _ballot_page(
            request, process=process, budget=budget, form=change, participation=participation, mode="change", status=409
        )
    return _remember_receipt(
        redirect("budgets:vote_done", process.slug, budget.slug), request, budget, participation.person, receipt
    )


@require_GET
def vote_done(request: HttpRequest, slug: str, budget_slug: str) -> HttpResponse:
    """The confirmation, with the receipt code to write down."""
    process = _process(request, slug)
    budget = selectors.budget_get(process, budget_slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    participation = participant_for(request)
    if not ballots.has_voted(elections=[budget], person=participation.person):
        return redirect("budgets:ballot", process.slug, budget.slug)
    others = [
        entry
        for entry in selectors.voter_budgets(process, participation.person)
        if entry[0].pk != budget.pk and not entry[1]
    ]
    return render(
        request,
        "budgets/voting/vote_done.html",
        {
            "process": process,
            "budget": budget,
            "receipt": _recalled_receipt(request, budget, participation.person),
            "participation": participation,
            "others": [] if selectors.exclusive_budgets(process) else others,
        },
    )


@require_http_methods(["GET", "POST"])
def vote_change(request: HttpRequest, slug: str, budget_slug: str) -> HttpResponse:
    """Change one's ballot with the receipt code, until the vote closes."""
    process, budget, participation, refusal = _guard(request, slug, budget_slug)
    if refusal is not None:
        return refusal
    person = participation.person
    if not ballots.has_voted(elections=[budget], person=person):
        return redirect("budgets:ballot", process.slug, budget.slug)
    form_class = ballot_form_class(process)
    projects = selectors.ballot_projects(budget)
    page = {"process": process, "budget": budget, "participation": participation, "mode": "change"}
    action = request.POST.get("action", "change")

    if request.method == "POST" and action == "load":
        # "Show my current ballot": only the receipt is checked; what is on screen is kept on error.
        form = form_class(
            request.POST, process=process, budget=budget, projects=projects, with_receipt=True, validate_ballot=False
        )
        if not form.is_valid():
            return _ballot_page(request, **page, form=form, status=400)
        receipt = form.cleaned_data["receipt"]
        try:
            stored = ballots.ballot_verify(election=budget, person=person, receipt=receipt)
        except ballots.ReceiptMismatch as error:
            form.add_error("receipt", error.message)
            return _ballot_page(request, **page, form=form, status=400)
        initial = {"receipt": receipt, **form_class.initial_from(stored.choices, projects)}
        form = form_class(process=process, budget=budget, projects=projects, with_receipt=True, initial=initial)
        return _ballot_page(request, **page, form=form)

    if request.method == "GET":
        initial: dict[str, Any] = {}
        receipt = _recalled_receipt(request, budget, person)
        if receipt:
            try:
                stored = ballots.ballot_verify(election=budget, person=person, receipt=receipt)
            except ballots.ReceiptMismatch:
                stored = None
            if stored is not None:
                initial = {"receipt": receipt, **form_class.initial_from(stored.choices, projects)}
        form = form_class(process=process, budget=budget, projects=projects, with_receipt=True, initial=initial)
        return _ballot_page(request, **page, form=form)

    form = form_class(request.POST, process=process, budget=budget, projects=projects, with_receipt=True)
    if not form.is_valid():
        return _ballot_page(request, **page, form=form, status=400)
    if action == "check":
        return _ballot_page(request, **page, form=form, checked=True)
    try:
        services.budget_vote_change(
            process=process,
            budget=budget,
            person=person,
            receipt=form.cleaned_data["receipt"],
            choices=form.ballot_choices(),
            **participation.audit_kwargs,
        )
    except services.VoteRefused as error:
        return refused(request, error.decision, back=process.get_absolute_url())
    except ballots.ReceiptMismatch as error:
        form.add_error("receipt", error.message)
        return _ballot_page(request, **page, form=form, status=400)
    messages.success(request, _("Your ballot has been changed. Your receipt code stays the same."))
    done = redirect("budgets:vote_done", process.slug, budget.slug)
    return _remember_receipt(done, request, budget, person, form.cleaned_data["receipt"])


@require_http_methods(["GET", "POST"])
def ballot_find(request: HttpRequest, slug: str) -> HttpResponse:
    """Find one's own anonymous ballot with the receipt code (POST: the code stays out of URLs and logs)."""
    process = _process(request, slug)
    budgets = list(process.budgets.all())
    context: dict[str, Any] = {"process": process, "results_visible": _results_visible(request, process)}
    if request.method == "GET":
        return render(request, "budgets/voting/ballot_find.html", {**context, "form": ReceiptForm()})
    form = ReceiptForm(request.POST)
    context["form"] = form
    if is_ratelimited(request, group="budgets:ballot_find", key="ip", rate=FIND_RATE, increment=True):
        form.add_error(None, _("Too many attempts from this connection. Wait a minute and try again."))
        return render(request, "budgets/voting/ballot_find.html", context, status=429)
    if not form.is_valid():
        return render(request, "budgets/voting/ballot_find.html", context, status=400)
    found = ballots.ballot_find(form.cleaned_data["receipt"])
    budget = next((b for b in budgets if found is not None and found.election_id == b.pk), None)
    if found is None or budget is None or found.election_type.model_class() is not Budget:
        form.add_error("receipt", _("No ballot of this process has this receipt code. Check the code you wrote down."))
        return render(request, "budgets/voting/ballot_find.html", context, status=404)
    projects = {project.pk: project for project in budget.projects.all()}
    points = found.choices.get("points") or []
    lines = [
        {"project": projects.get(pk), "points": points[index] if index < len(points) else None, "rank": index + 1}
        for index, pk in enumerate(found.choices.get("projects", []))
    ]
    return render(
        request,
        "budgets/voting/ballot_find.html",
        {
            **context,
            "form": ReceiptForm(),
            "found": found,
            "budget": budget,
            "lines": lines,
            "voter_code": voter_code(found.receipt_hash),
            "ranked": process.ballot_type == "ranked",
        },
    )


def _results_visible(request: HttpRequest, process: BudgetProcess) -> bool:
    from budgets.results.selectors import results_visible

    return results_visible(process, request.user)


# ---------------------------------------------------------------- staff: paper ballots


def _staff_guard(request: HttpRequest, perm: str = "") -> HttpResponse | None:
    """Staff only (with two-factor authentication when required), and `perm` when given."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (request.user.is_active and request.user.is_staff) or (perm and not request.user.has_perm(perm)):
        raise PermissionDenied
    return back_office_guard(request)


@require_http_methods(["GET", "POST"])
def paper_ballot(request: HttpRequest, slug: str, budget_slug: str) -> HttpResponse:
    """Staff type in the paper ballot of a verified person present at the desk.

    The person is the one the staff member is acting for (a desk session): the ledger
    then blocks a second vote online, and the audit log names both.
    """
    blocked = _staff_guard(request, "verification.work_at_desk")
    if blocked:
        return blocked
    process = _process(request, slug)
    budget = selectors.budget_get(process, budget_slug)
    person = acting_for(request)
    if person is None:
        decision = Decision(
            allowed=False,
            code="desk",
            reason=_("Find the person at the desk and act for them first: a paper ballot is recorded in their name."),
            link_url=reverse("verification:desk"),
            link_label=_("Open the desk"),
        )
        return refused(request, decision, back=process.get_absolute_url())
    participation = participant_for(request)
    decision = selectors.vote_decision(process, budget, person)
    if not decision.allowed:
        return refused(request, decision, back=process.get_absolute_url())
    form_class = ballot_form_class(process)
    projects = selectors.ballot_projects(budget)
    page = {"process": process, "budget": budget, "participation": participation, "mode": "paper"}
    if request.method == "GET":
        if ballots.has_voted(elections=[budget], person=person):
            return refused(
                request,
                Decision(allowed=False, code="voted", reason=_("This person has already voted in this budget.")),
                back=process.get_absolute_url(),
                status=409,
            )
        return _ballot_page(request, **page, form=form_class(process=process, budget=budget, projects=projects))
    form = form_class(request.POST, process=process, budget=budget, projects=projects)
    if not form.is_valid():
        return _ballot_page(request, **page, form=form, status=400)
    if request.POST.get("action") == "check":
        return _ballot_page(request, **page, form=form, checked=True)
    try:
        receipt = services.budget_vote_cast(
            process=process,
            budget=budget,
            person=person,
            choices=form.ballot_choices(),
            channel=Channel.PAPER,
            **participation.audit_kwargs,
        )
    except services.VoteRefused as error:
        return refused(request, error.decision, back=process.get_absolute_url())
    except ballots.AlreadyVoted:
        form.add_error(None, _("This person has already voted in this budget."))
        return _ballot_page(request, **page, form=form, status=409)
    messages.success(request, _("The paper ballot has been recorded. Give the person their receipt code."))
    done = redirect("budgets:vote_done", process.slug, budget.slug)
    return _remember_receipt(done, request, budget, person, receipt)


@require_http_methods(["GET", "POST"])
def paper_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff import the anonymous paper ballots counted at polling stations (CSV)."""
    blocked = _staff_guard(request)
    if blocked:
        return blocked
    process = _process(request, slug)
    budgets = list(process.budgets.all())
    projects = list(process.projects.on_ballot().select_related("budget").order_by("budget__name", "title"))
    codes = selectors.project_codes(projects)
    context: dict[str, Any] = {
        "process": process,
        "budgets": budgets,
        "rows": [(project, codes[project.pk]) for project in projects],
        "example": _paper_example(budgets, projects, codes, process),
    }
    if request.method == "GET":
        return render(request, "budgets/voting/paper_import.html", {**context, "form": PaperBallotsImportForm()})
    form = PaperBallotsImportForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return render(request, "budgets/voting/paper_import.html", context, status=400)
    try:
        report = services.paper_ballots_import(
            process=process, data=form.cleaned_data["file"].read(), actor=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            form.add_error("file", message)
        return render(request, "budgets/voting/paper_import.html", context, status=400)
    if report.errors:
        context["line_errors"] = report.errors
        form.add_error("file", _("Nothing was imported: correct the lines below and send the file again."))
        return render(request, "budgets/voting/paper_import.html", context, status=400)
    names = {budget.slug: budget.name for budget in budgets}
    for budget_slug, count in report.counts.items():
        messages.success(
            request,
            ngettext(
                "%(count)d paper ballot added to “%(budget)s”.", "%(count)d paper ballots added to “%(budget)s”.", count
            )
            % {"count": count, "budget": names[budget_slug]},
        )
    return HttpResponseRedirect(reverse("budgets:paper_import", args=[process.slug]))


def _paper_example(budgets: list[Budget], projects: list, codes: dict[int, str], process: BudgetProcess) -> str:
    if not budgets:
        return ""
    budget = budgets[0]
    mine = [codes[project.pk] for project in projects if project.budget_id == budget.pk][:2]
    if process.ballot_type == "cumulative":
        mine = [f"{code}:{points}" for code, points in zip(mine, (3, 2), strict=False)]
    return f"{budget.slug};{','.join(mine)}"
