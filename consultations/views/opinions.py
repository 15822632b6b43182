"""Opinion maps: one statement at a time to vote on (a phone works without JavaScript),
writing statements, the opinion groups once computed, and the CSV exports (participants
appear as numbers, in the order they first voted, as in Pol.is exports)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import is_ratelimited

from civicplatform.core.eligibility import eligibility_summary
from civicplatform.moderation.models import ModerationState

from .. import opinion_selectors as selectors
from ..forms import StatementForm
from ..models import Statement, StatementVote, VoteValue
from ..services.opinions import ParticipationRefused, statement_submit, statement_vote
from ._helpers import add_errors, refused

STATEMENT_RATE = "20/d"


def _page(request: HttpRequest, conversation, *, form: StatementForm | None = None, status: int = 200) -> HttpResponse:
    person = request.user if request.user.is_authenticated else None
    decision = selectors.conversation_decision(conversation, request.user)
    context = {
        "conversation": conversation,
        "decision": decision,
        "who": eligibility_summary(conversation.eligibility_policy()),
        "groups": selectors.groups_view(conversation, person),
        "form": form or StatementForm(max_length=conversation.max_statement_length),
        "vote_choices": [
            (VoteValue.AGREE, VoteValue.AGREE.label),
            (VoteValue.DISAGREE, VoteValue.DISAGREE.label),
            (VoteValue.PASS, VoteValue.PASS.label),
        ],
    }
    if person is not None and decision.allowed:
        context["statement"] = selectors.next_statement(conversation, person)
        context["progress"] = selectors.progress_of(conversation, person)
    return render(request, "consultations/conversation.html", context, status=status)


@require_GET
def conversation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, selectors.get_conversation_for_user(request, slug))


@require_POST
def statement_vote_view(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    conversation = selectors.get_conversation_for_user(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(conversation.get_absolute_url())
    statement = get_object_or_404(Statement, conversation=conversation, public_id=public_id)
    try:
        value = int(request.POST.get("value", ""))
    except ValueError:
        value = None
    try:
        statement_vote(statement=statement, participant=request.user, value=value)
    except ParticipationRefused as error:
        return refused(request, error.decision, back=conversation.get_absolute_url())
    except ValidationError as error:
        return refused(request, error.messages[0], back=conversation.get_absolute_url(), status=400)
    return redirect(f"{conversation.get_absolute_url()}#statement-heading")


@require_POST
def statement_submit_view(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = selectors.get_conversation_for_user(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(conversation.get_absolute_url())
    form = StatementForm(request.POST, max_length=conversation.max_statement_length)
    if is_ratelimited(
        request, group="consultations.statement", key="user", rate=STATEMENT_RATE, method="POST", increment=True
    ):
        return refused(
            request,
            _("You have written many statements today. Try again tomorrow."),
            status=429,
            back=conversation.get_absolute_url(),
        )
    if form.is_valid():
        try:
            statement_submit(conversation=conversation, author=request.user, text=form.cleaned_data["text"])
        except ParticipationRefused as error:
            return refused(request, error.decision, back=conversation.get_absolute_url())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your statement is published. Others can now vote on it."))
            return redirect(conversation.get_absolute_url())
    return _page(request, conversation, form=form, status=400)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv(name: str, rows) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse((writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _participant_numbers(conversation) -> dict[int, int]:
    first_votes = (
        StatementVote.objects.filter(conversation=conversation, participant__isnull=False)
        .order_by("pk")
        .values_list("participant_id", flat=True)
    )
    numbers: dict[int, int] = {}
    for participant in first_votes.iterator(chunk_size=5000):
        numbers.setdefault(participant, len(numbers) + 1)
    return numbers


@require_GET
def conversation_export(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    """statements.csv, votes.csv, participants-votes.csv (columns as in Pol.is exports)."""
    conversation = selectors.get_conversation_for_user(request, slug)
    statements = list(Statement.objects.filter(conversation=conversation).order_by("pk"))
    numbers = _participant_numbers(conversation)
    if name == "statements":
        counts: dict[int, list[int]] = {s.pk: [0, 0, 0] for s in statements}
        for statement_id, value in (
            StatementVote.objects.filter(conversation=conversation)
            .values_list("statement_id", "value")
            .iterator(chunk_size=5000)
        ):
            counts[statement_id][{1: 0, -1: 1, 0: 2}[value]] += 1
        rows = [["statement-id", "date", "agrees", "disagrees", "passes", "moderated", "is-seed", "text"]]
        rows += [
            [
                s.pk,
                timezone.localtime(s.created_at).date().isoformat(),
                *counts[s.pk],
                "out" if s.moderation_state != ModerationState.VISIBLE else "in",
                int(s.is_seed),
                s.text if s.moderation_state == ModerationState.VISIBLE else "",
            ]
            for s in statements
        ]
        return _csv(f"{conversation.slug}-statements", rows)
    if name == "votes":
        votes = StatementVote.objects.filter(conversation=conversation, participant__isnull=False).order_by("pk")

        def vote_rows():
            yield ["date", "statement-id", "participant", "vote"]
            for created, statement_id, participant, value in votes.values_list(
                "created_at", "statement_id", "participant_id", "value"
            ).iterator(chunk_size=5000):
                yield [timezone.localtime(created).date().isoformat(), statement_id, numbers[participant], value]

        return _csv(f"{conversation.slug}-votes", vote_rows())
    if name == "participants-votes":
        grouping = selectors.groups_view(conversation)
        group_of = {}
        if grouping is not None:
            for participant, point in zip(grouping.grouping.data["participants"], grouping.points, strict=True):
                group_of[participant] = selectors.GROUP_NAMES[point.group]
        matrix: dict[int, dict[int, int]] = {}
        for participant, statement_id, value in (
            StatementVote.objects.filter(conversation=conversation, participant__isnull=False)
            .values_list("participant_id", "statement_id", "value")
            .iterator(chunk_size=5000)
        ):
            matrix.setdefault(participant, {})[statement_id] = value

        def matrix_rows():
            yield ["participant", "group-id", "n-votes", "n-agree", "n-disagree", *(s.pk for s in statements)]
            for participant, number in sorted(numbers.items(), key=lambda item: item[1]):
                row = matrix.get(participant, {})
                values = list(row.values())
                yield [
                    number,
                    group_of.get(participant, ""),
                    len(values),
                    values.count(1),
                    values.count(-1),
                    *(row.get(s.pk, "") for s in statements),
                ]

        return _csv(f"{conversation.slug}-participants-votes", matrix_rows())
    return refused(request, _("Unknown export."), status=404, back=conversation.get_absolute_url())
