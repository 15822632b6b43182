"""The authority's response to the jury's recommendations, and what becomes of them.

Staff answer each adopted recommendation of a jury whose report is published (accepted, partly
accepted or rejected, always with reasons); a correction of a published answer is allowed but
audited, and the public page says when it was updated. Once every adopted recommendation has an
answer the jury is marked as responded. Accepted and partly accepted recommendations then get
dated progress reports. Each publication is announced after commit by the signals of
`signals.py`, which `receivers.py` turns into notifications.
"""

from __future__ import annotations

import datetime
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from civicplatform.core.services import audit_record

from . import signals
from .models import (
    AuthorityResponse,
    Decision,
    Jury,
    JuryReport,
    JuryStatus,
    ProgressReport,
    ProgressStatus,
    Recommendation,
    RecommendationStatus,
)
from .selectors_recommendations import supports_by_number

# Only what the authority committed to, at least in part, is followed up.
FOLLOWED_UP = (Decision.ACCEPTED, Decision.PARTLY)


def published_report(jury: Jury) -> JuryReport | None:
    """The jury's report if it is published (the response starts from it), else None."""
    return JuryReport.objects.filter(jury=jury, published_at__isnull=False).first()


def _send_response_published(jury: Jury, response: AuthorityResponse, created: bool) -> None:
    signals.response_published.send(sender=AuthorityResponse, jury=jury, response=response, created=created)


def _send_progress_reported(jury: Jury, progress: ProgressReport) -> None:
    signals.progress_reported.send(sender=ProgressReport, jury=jury, progress=progress)


def response_publish(
    *,
    recommendation: Recommendation,
    decision: str,
    reasons: str,
    commitments: str = "",
    actor: Any,
) -> AuthorityResponse:
    """Publish (or correct) the authority's answer to one adopted recommendation.

    A correction that changes nothing is not recorded. A real correction keeps the first
    publication date, moves `updated_at` and is audited with the previous wording, so the public
    page can say "updated on". When the last adopted recommendation gets its answer, the jury's
    status becomes RESPONDED. `response_published` is sent after commit.
    """
    reasons = (reasons or "").strip()
    commitments = (commitments or "").strip()
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose accepted, partly accepted or rejected.")})
    if not reasons:
        raise ValidationError({"reasons": _("Give the reasons for the decision: the jury and the public read them.")})
    jury = recommendation.jury
    if published_report(jury) is None:
        raise ValidationError(_("The authority responds once the jury's report is published."))
    with transaction.atomic():
        # Lock the recommendation: two staff answering at once are serialised, not duplicated.
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if locked.status != RecommendationStatus.ADOPTED:
            raise ValidationError(_("Only the recommendations adopted by the jury get a response."))
        response = AuthorityResponse.objects.filter(recommendation=locked).first()
        created = response is None
        if created:
            try:
                with transaction.atomic():
                    response = AuthorityResponse.objects.create(
                        recommendation=locked,
                        decision=decision,
                        reasons=reasons,
                        commitments=commitments,
                        responded_by=actor if getattr(actor, "pk", None) else None,
                    )
            except IntegrityError:
                raise ValidationError(_("This recommendation has just been answered: reload the page.")) from None
            # "Updated on" is shown only after a real correction: a new answer has one date.
            AuthorityResponse.objects.filter(pk=response.pk).update(updated_at=response.responded_at)
            response.updated_at = response.responded_at
            audit_record(
                action="juries.response_published",
                actor=actor,
                target=response,
                data={"jury": jury.slug, "number": locked.number, "decision": decision},
            )
        else:
            previous = {"decision": response.decision, "reasons": response.reasons, "commitments": response.commitments}
            if previous == {"decision": decision, "reasons": reasons, "commitments": commitments}:
                return response
            response.decision, response.reasons, response.commitments = decision, reasons, commitments
            response.full_clean(exclude=["recommendation"])
            response.save(update_fields=["decision", "reasons", "commitments", "updated_at"])
            audit_record(
                action="juries.response_updated",
                actor=actor,
                target=response,
                data={"jury": jury.slug, "number": locked.number, "decision": decision, "previous": previous},
            )
        _mark_responded_if_complete(jury, actor=actor)
        transaction.on_commit(partial(_send_response_published, jury, response, created))
    return response


def _mark_responded_if_complete(jury: Jury, *, actor: Any) -> None:
    adopted = Recommendation.objects.filter(jury=jury, status=RecommendationStatus.ADOPTED)
    if not adopted.exists() or adopted.filter(response__isnull=True).exists():
        return
    updated = Jury.objects.filter(pk=jury.pk).exclude(status=JuryStatus.RESPONDED).update(status=JuryStatus.RESPONDED)
    if updated:
        jury.status = JuryStatus.RESPONDED
        audit_record(action="juries.responded", actor=actor, target=jury, data={"recommendations": adopted.count()})


def progress_report_add(
    *,
    recommendation: Recommendation,
    status: str,
    text: str,
    reported_on: datetime.date,
    actor: Any,
) -> ProgressReport:
    """Add a dated progress report to an accepted or partly accepted recommendation.

    The date is when things stood as described: it cannot be in the future. Audited;
    `progress_reported` is sent after commit.
    """
    text = (text or "").strip()
    if status not in ProgressStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    if not text:
        raise ValidationError({"text": _("Say what happened.")})
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("A progress report describes the past: the date cannot be later.")})
    response = AuthorityResponse.objects.filter(recommendation=recommendation).first()
    if response is None or response.decision not in FOLLOWED_UP:
        raise ValidationError(_("Progress is reported on accepted or partly accepted recommendations only."))
    jury = recommendation.jury
    with transaction.atomic():
        progress = ProgressReport(
            recommendation=recommendation,
            status=status,
            text=text,
            reported_on=reported_on,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        progress.full_clean()
        progress.save()
        audit_record(
            action="juries.progress_reported",
            actor=actor,
            target=progress,
            data={"jury": jury.slug, "number": recommendation.number, "status": status, "on": reported_on.isoformat()},
        )
        transaction.on_commit(partial(_send_progress_reported, jury, progress))
    return progress


# ------------------------------------------------------------------------------
# Reads for the public pages, the staff page and open data (constant query counts)
# ------------------------------------------------------------------------------
# Recommendations that went to the vote are in the report, adopted or not; drafts and withdrawn ones are not.
IN_REPORT = (RecommendationStatus.ADOPTED, RecommendationStatus.NOT_ADOPTED)


def report_recommendations(jury: Jury) -> list[Recommendation]:
    """Every recommendation in the published report, with its response and, as attributes,
    `latest_progress` (newest progress report or None) and `support` (Support or None)."""
    latest = ProgressReport.objects.filter(recommendation=OuterRef("pk")).order_by("-reported_on", "-id")
    recommendations = list(
        Recommendation.objects.filter(jury=jury, status__in=IN_REPORT)
        .select_related("response")
        .annotate(latest_progress_id=Subquery(latest.values("pk")[:1]))
        .order_by("number")
    )
    progress = ProgressReport.objects.in_bulk([r.latest_progress_id for r in recommendations if r.latest_progress_id])
    supports = supports_by_number([jury])
    for recommendation in recommendations:
        recommendation.latest_progress = progress.get(recommendation.latest_progress_id)
        recommendation.support = supports.get((jury.pk, recommendation.number))
    return recommendations


def response_of(recommendation: Recommendation) -> AuthorityResponse | None:
    try:
        return recommendation.response
    except AuthorityResponse.DoesNotExist:
        return None
