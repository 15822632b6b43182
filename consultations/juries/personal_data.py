"""What juries hold about a person. Volunteers register with a letter's code, not an account:
their registration is theirs when it carries the account's e-mail address."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import Registrant, RegistrantStatus


def export_registrations(user) -> list[dict[str, Any]]:
    if not user.email:
        return []
    return [
        {
            "jury": r.jury.title,
            "pseudonym": r.pseudonym,
            "first_name": r.first_name,
            "last_name": r.last_name,
            "email": r.email,
            "phone": r.phone,
            "answers": ", ".join(f"{k}={v}" for k, v in sorted(r.answers.items())),
            "consent_at": r.consent_at,
            "status": str(r.get_status_display()),
        }
        for r in Registrant.objects.filter(email__iexact=user.email).select_related("jury")
    ]


def erase_registrations(user) -> None:
    """Leaving the platform withdraws the person from any pool and wipes their contact details.
    The pseudonym stays in published draw files, which never held a name."""
    if not user.email:
        return
    Registrant.objects.filter(email__iexact=user.email).update(
        first_name="-", last_name="-", email="", phone="", status=RegistrantStatus.WITHDRAWN
    )


def export_seats(user) -> list[dict[str, Any]]:
    """The jury seats the account holds or held."""
    from .models import Seat

    return [
        {
            "jury": seat.jury.title,
            "seat": seat.registrant.pseudonym,
            "linked_at": seat.linked_at,
            "ended_at": seat.ended_at,
        }
        for seat in Seat.objects.filter(user=user).select_related("jury", "registrant")
    ]


def export_expert_questions(user) -> list[dict[str, Any]]:
    """The questions the account asked experts as a jury member, with their answers."""
    from .models import ExpertQuestion

    return [
        {
            "jury": q.jury.title,
            "addressed_to": q.addressed_to,
            "question": q.text,
            "asked_at": q.asked_at,
            "answer": q.answer,
            "answered_at": q.answered_at,
        }
        for q in ExpertQuestion.objects.filter(asked_by=user).select_related("jury")
    ]


def erase_workspace(user) -> None:
    """Questions stay (the jury's record, never signed) without their asker; the seats are unlinked."""
    from .models import ExpertQuestion, Seat

    ExpertQuestion.objects.filter(asked_by=user).update(asked_by=None)
    Seat.objects.filter(user=user).delete()
    user.__dict__.pop("_jury_seats", None)  # selectors.seat_for's memo


def export_recommendations(user) -> list[dict[str, Any]]:
    """Drafts proposed, wordings saved and minority views written or signed by the account. Never
    a ballot: votes are secret, the platform cannot tell which ballot is theirs."""
    from .models import MinorityView, RecommendationRevision

    rows: list[dict[str, Any]] = [
        {
            "jury": r.recommendation.jury.title,
            "kind": "recommendation version",
            "recommendation": f"R{r.recommendation.number}",
            "title": r.title,
            "text": r.text,
            "rationale": r.rationale,
            "proposed_by_you": r.recommendation.created_by_id == user.pk,
            "at": r.edited_at,
        }
        for r in RecommendationRevision.objects.filter(edited_by=user).select_related("recommendation__jury")
    ]
    views = MinorityView.objects.filter(models.Q(signatories=user) | models.Q(created_by=user)).distinct()
    for view in views.select_related("jury"):
        rows.append(
            {
                "jury": view.jury.title,
                "kind": "minority view",
                "title": view.title,
                "text": view.text,
                "written_by_you": view.created_by_id == user.pk,
                "signed_by_you": view.signatories.filter(pk=user.pk).exists(),
                "at": view.created_at,
            }
        )
    return rows


def erase_recommendations(user) -> None:
    """Drafts and minority views stay (the jury's work) without their authors; signatures go."""
    from .models import MinorityView, Recommendation, RecommendationRevision

    RecommendationRevision.objects.filter(edited_by=user).update(edited_by=None)
    Recommendation.objects.filter(created_by=user).update(created_by=None)
    MinorityView.objects.filter(created_by=user).update(created_by=None)
    MinorityView.signatories.through.objects.filter(user=user).delete()


def volunteers_purge(cutoff) -> int:
    """Retention: once a jury's last phase ended before `cutoff`, wipe its volunteers' names and
    contact details and the invited addresses. Pseudonyms, answers and draws stay (public record)."""
    from django.db.models import Max

    from .models import Invitation, Jury

    done = (
        Jury.objects.annotate(last_end=Max("phases__ends_at")).filter(last_end__lt=cutoff).values_list("pk", flat=True)
    )
    wiped = (
        Registrant.objects.filter(jury__in=done)
        .exclude(first_name="-", last_name="-", email="", phone="")
        .update(first_name="-", last_name="-", email="", phone="")
    )
    Invitation.objects.filter(jury__in=done).exclude(address_line="-").update(addressee="", address_line="-", city="")
    return wiped
