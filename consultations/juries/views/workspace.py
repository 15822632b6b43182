"""The seated jury's workspace (/jurys/<slug>/espace/): sessions and agenda, briefing materials,
expert hearings, written questions to experts, links to the members' forum and to the drafting
area; linking a seat to an account; and the staff actions that open the workspace and link seats.

Only seated members and staff enter (`juries.enter_workspace`); others get a 403 page that shows a
logged-in person how to link their seat.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from .. import selectors, selectors_workspace, services_workspace
from ..forms_workspace import AnswerForm, QuestionForm, SeatClaimForm, SeatLinkForm
from ..models import Jury, Registrant, RegistrantStatus
from ..rules import takes_part
from ._helpers import form_errors_to_form, get_jury_for_user

CLAIM_RATE = "10/h"

WorkspaceView = Callable[..., HttpResponse]


def workspace_page(view: WorkspaceView) -> WorkspaceView:
    """Log in first; then the jury (404 if unseen), and a 403 page for those who do not sit on it."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        jury = get_jury_for_user(request, slug)
        if not request.user.has_perm("juries.enter_workspace", jury):
            return render(request, "juries/workspace/forbidden.html", {"jury": jury}, status=403)
        return view(request, jury, *args, **kwargs)

    return wrapper


def _context(request: HttpRequest, jury: Jury, here: str, **extra) -> dict:
    return {
        "jury": jury,
        "here": here,
        "seat": selectors.seat_for(user=request.user, jury=jury),
        "can_manage": request.user.has_perm("juries.manage_jury"),
        "can_take_part": takes_part(request.user, jury),
        **extra,
    }


# ---------------------------------------------------------------- members' pages


@require_GET
@workspace_page
def home(request: HttpRequest, jury: Jury) -> HttpResponse:
    context = _context(
        request,
        jury,
        "home",
        next_session=selectors_workspace.next_session(jury),
        unanswered=selectors_workspace.questions_for_members(jury).filter(answered_at__isnull=True).count(),
    )
    return render(request, "juries/workspace/home.html", context)


@require_GET
@workspace_page
def sessions(request: HttpRequest, jury: Jury) -> HttpResponse:
    context = _context(request, jury, "sessions", sessions=selectors_workspace.sessions_for_jury(jury))
    return render(request, "juries/workspace/sessions.html", context)


@require_GET
@workspace_page
def materials(request: HttpRequest, jury: Jury) -> HttpResponse:
    context = _context(request, jury, "materials", materials=selectors_workspace.materials_for_jury(jury))
    return render(request, "juries/workspace/materials.html", context)


@require_GET
@workspace_page
def hearings(request: HttpRequest, jury: Jury) -> HttpResponse:
    context = _context(request, jury, "hearings", hearings=selectors_workspace.hearings_for_jury(jury))
    return render(request, "juries/workspace/hearings.html", context)


@require_http_methods(["GET", "POST"])
@workspace_page
def questions(request: HttpRequest, jury: Jury) -> HttpResponse:
    """Every question and answer; members ask theirs here (staff answer from each question's page)."""
    form = QuestionForm(request.POST or None, jury=jury)
    status = 200
    if request.method == "POST":
        if not takes_part(request.user, jury):
            messages.error(request, _("Only the members of the jury can ask the experts questions."))
            return redirect("juries:workspace_questions", slug=jury.slug)
        if form.is_valid():
            try:
                services_workspace.question_ask(
                    jury=jury,
                    user=request.user,
                    addressed_to=form.cleaned_data["addressed_to"],
                    text=form.cleaned_data["text"],
                    hearing=form.cleaned_data["hearing"],
                )
            except ValidationError as error:
                form_errors_to_form(form, error)
            else:
                messages.success(request, _("Your question has been sent. You will be told when the answer arrives."))
                return redirect("juries:workspace_questions", slug=jury.slug)
        status = 400
    context = _context(request, jury, "questions", questions=selectors_workspace.questions_for_members(jury), form=form)
    return render(request, "juries/workspace/questions.html", context, status=status)


@require_http_methods(["GET", "POST"])
@workspace_page
def question_answer(request: HttpRequest, jury: Jury, question_id: int) -> HttpResponse:
    """Staff type in the expert's written answer."""
    if not request.user.has_perm("juries.manage_jury"):
        return render(request, "juries/workspace/forbidden.html", {"jury": jury, "staff_only": True}, status=403)
    question = selectors_workspace.question_for_staff(jury, question_id)
    if question is None:
        raise Http404
    initial = {"answer": question.answer, "answered_by_name": question.answered_by_name or question.addressed_to}
    form = AnswerForm(request.POST or None, initial=initial | {"is_public": question.is_public})
    if request.method == "POST":
        if form.is_valid():
            try:
                services_workspace.question_answer(
                    question=question,
                    answer=form.cleaned_data["answer"],
                    answered_by_name=form.cleaned_data["answered_by_name"],
                    is_public=form.cleaned_data["is_public"],
                    actor=request.user,
                )
            except ValidationError as error:
                form_errors_to_form(form, error)
            else:
                messages.success(request, _("The answer is published to the members."))
                return redirect(reverse("juries:workspace_questions", args=[jury.slug]) + f"#question-{question.pk}")
        context = _context(request, jury, "questions", question=question, form=form)
        return render(request, "juries/workspace/answer.html", context, status=400)
    return render(
        request, "juries/workspace/answer.html", _context(request, jury, "questions", question=question, form=form)
    )


@require_GET
def material_file(request: HttpRequest, slug: str, material_id: int) -> HttpResponse:
    """A briefing material's file: public ones for anyone who sees the jury, the others for the
    workspace only (their files are not published under a guessable media address)."""
    jury = get_jury_for_user(request, slug)
    material = selectors_workspace.material_for_user(request.user, jury, material_id)
    if material is None or not material.file:
        raise Http404
    try:
        handle = material.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=material.file.name.rsplit("/", 1)[-1])


# ---------------------------------------------------------------- linking a seat


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the "join your jury's workspace" e-mail: log in or create an account, then link."""
    person = services_workspace.registrant_for_seat_token(token)
    if person is None:
        return render(request, "juries/workspace/join_invalid.html", status=404)
    jury = person.jury
    here = reverse("juries:workspace_join", args=[token])
    context = {"jury": jury, "person": person, "next": here}
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect(reverse("account_login") + "?next=" + here)
        return render(request, "juries/workspace/join.html", context)
    seat = getattr(person, "seat", None)
    if seat is not None and seat.user_id == request.user.pk and seat.ended_at is None:
        return redirect("juries:workspace", slug=jury.slug)
    if request.method == "POST":
        try:
            services_workspace.seat_claim(registrant=person, user=request.user)
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
            return render(request, "juries/workspace/join.html", context, status=400)
        messages.success(request, _("Your seat is linked to your account. Welcome to the jury's workspace."))
        return redirect("juries:workspace", slug=jury.slug)
    return render(request, "juries/workspace/join.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def entrance(request: HttpRequest, slug: str) -> HttpResponse:
    """A logged-in member links their seat with the code of their letter and their last name."""
    jury = get_jury_for_user(request, slug)
    if takes_part(request.user, jury):
        return redirect("juries:workspace", slug=jury.slug)
    form = SeatClaimForm(request.POST or None)
    status = 200
    if request.method == "POST":
        limited = is_ratelimited(
            request, group="juries.seat_claim", key="user", rate=CLAIM_RATE, method="POST", increment=True
        )
        if limited:
            form.add_error(None, _("Too many attempts. Please try again in an hour, or ask the jury's staff."))
            status = 429
        elif form.is_valid():
            try:
                services_workspace.seat_claim_by_code(
                    jury=jury,
                    user=request.user,
                    code=form.cleaned_data["code"],
                    last_name=form.cleaned_data["last_name"],
                )
            except ValidationError as error:
                form_errors_to_form(form, error)
            else:
                messages.success(request, _("Your seat is linked to your account. Welcome to the jury's workspace."))
                return redirect("juries:workspace", slug=jury.slug)
            status = 400
        else:
            status = 400
    return render(request, "juries/workspace/entrance.html", {"jury": jury, "form": form}, status=status)


# ---------------------------------------------------------------- staff


@login_required
@require_POST
def workspace_open(request: HttpRequest, slug: str) -> HttpResponse:
    jury = get_jury_for_user(request, slug, manage=True)
    already = jury.forum_id is not None
    jury = services_workspace.workspace_open(
        jury=jury, actor=request.user, base_url=request.build_absolute_uri("/").rstrip("/")
    )
    if already:
        messages.info(request, _("The workspace is already open."))
    else:
        messages.success(
            request, _("The workspace is open: the confirmed members with an e-mail have been sent their link.")
        )
    return redirect(reverse("juries:manage", args=[jury.slug]) + "#workspace")


@login_required
@require_http_methods(["GET", "POST"])
def seat_link(request: HttpRequest, slug: str, pseudonym: str) -> HttpResponse:
    """Staff link a confirmed member's seat to an existing account (e.g. one created at the desk)."""
    jury = get_jury_for_user(request, slug, manage=True)
    person = get_object_or_404(Registrant, jury=jury, pseudonym=pseudonym, status=RegistrantStatus.CONFIRMED)
    form = SeatLinkForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services_workspace.seat_link_by_staff(
                    registrant=person, account=form.cleaned_data["account"], actor=request.user
                )
            except ValidationError as error:
                form_errors_to_form(form, error)
            else:
                messages.success(request, _("%(pseudonym)s: seat linked.") % {"pseudonym": person.pseudonym})
                return redirect(reverse("juries:manage", args=[jury.slug]) + "#workspace")
        return render(
            request, "juries/workspace/seat_link.html", {"jury": jury, "person": person, "form": form}, status=400
        )
    return render(request, "juries/workspace/seat_link.html", {"jury": jury, "person": person, "form": form})
