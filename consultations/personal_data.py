"""What consultations keep about a person, for "download my data" and account erasure.

Questionnaire answers are exported as given (they are the person's own). Referendum and
consultation ballots are secret: civicplatform.ballots exports that the person voted,
never how. On erasure, responses are unlinked from the account (the counts of a closed
questionnaire must not change) and free text is deleted, since it may identify them;
statements of opinion maps stay, signed "Deleted participant", and the votes on them go.
"""

from __future__ import annotations

from typing import Any

from .models import Response, Statement, StatementVote, TextAnswer


def export_responses(user: Any) -> list[dict[str, Any]]:
    responses = (
        Response.objects.filter(respondent=user)
        .select_related("questionnaire")
        .prefetch_related("answers__question", "answers__option", "answers__row", "texts__question")
        .order_by("created_at", "pk")
    )
    rows = []
    for response in responses:
        for answer in response.answers.all():
            rows.append(
                {
                    "questionnaire": response.questionnaire.title,
                    "wave": response.wave,
                    "answered_on": response.created_at,
                    "question": answer.question.text,
                    "row": answer.row.text if answer.row else "",
                    "answer": answer.option.text if answer.option else "",
                    "value": answer.value,
                }
            )
        for text in response.texts.all():
            rows.append(
                {
                    "questionnaire": response.questionnaire.title,
                    "wave": response.wave,
                    "answered_on": response.created_at,
                    "question": text.question.text,
                    "row": "",
                    "answer": text.text,
                    "value": None,
                }
            )
    return rows


def export_statements(user: Any) -> list[dict[str, Any]]:
    statements = Statement.objects.filter(author=user).select_related("conversation").order_by("created_at", "pk")
    votes = StatementVote.objects.filter(participant=user).select_related("statement", "conversation")
    return [
        {"opinion_map": s.conversation.title, "kind": "statement", "text": s.text, "date": s.created_at, "vote": None}
        for s in statements
    ] + [
        {
            "opinion_map": v.conversation.title,
            "kind": "vote",
            "text": v.statement.text,
            "date": v.created_at,
            "vote": v.value,
        }
        for v in votes.order_by("created_at", "pk")
    ]


def erase(user: Any) -> None:
    TextAnswer.objects.filter(response__respondent=user).delete()
    Response.objects.filter(respondent=user).update(respondent=None)
    StatementVote.objects.filter(participant=user).delete()
