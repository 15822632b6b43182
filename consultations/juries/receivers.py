"""Who hears about a jury's outcome: the people who follow the jury and its seated members are
notified when the report is published, when the authority answers a recommendation and when
progress is reported, each with a link to the public page concerned.

Each event is notified once per person: the notification's target is the report, the response or
the progress report, and people who already have a notification of that kind for that target
are skipped (a signal sent twice, or a receiver run again, adds nothing). A correction of a
published response is shown on the public page with its date but is not notified again.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from civicplatform.notifications import kinds
from civicplatform.notifications.kinds import DeliveryMode
from civicplatform.notifications.models import Notification
from civicplatform.notifications.selectors import followers_of
from civicplatform.notifications.services import notify

from .models import (
    AuthorityResponse,
    Decision,
    Jury,
    JuryReport,
    ProgressReport,
    ProgressStatus,
    Recommendation,
    RecommendationStatus,
)
from .signals import progress_reported, report_published, response_published

REPORT_KIND = "juries.report"
RESPONSE_KIND = "juries.response"
PROGRESS_KIND = "juries.progress"


def register_notification_kinds() -> None:
    kinds.register_kind(
        REPORT_KIND,
        _("Reports of citizen juries"),
        DeliveryMode.IMMEDIATE,
        _("When a citizen jury you follow or sit on publishes its report."),
        order=60,
    )
    kinds.register_kind(
        RESPONSE_KIND,
        _("The authority's responses to citizen juries"),
        DeliveryMode.IMMEDIATE,
        _("When the authority answers a recommendation of a citizen jury you follow or sit on."),
        order=61,
    )
    kinds.register_kind(
        PROGRESS_KIND,
        _("Progress on citizen jury recommendations"),
        DeliveryMode.DIGEST,
        _("Progress reports on the recommendations of a citizen jury you follow or sit on."),
        order=62,
    )


def _fill(template: str, values: dict) -> str:
    return str(template) % {key: str(value) for key, value in values.items()}


# Stored in the site's language: notify() resolves lazy texts inside its language override.
fill = lazy(_fill, str)


def jury_audience(jury: Jury) -> list:
    """The jury's followers and its seated members (a seat that has not ended), each once."""
    User = get_user_model()
    seated = jury.seats.current().values("user_id")
    people = User.objects.filter(
        models.Q(pk__in=followers_of(target=jury).values("pk")) | models.Q(pk__in=seated),
        is_active=True,
        erased_at__isnull=True,
    )
    return list(people.order_by("pk"))


def notify_once(*, jury: Jury, kind: str, target: models.Model, actor, title, body, url: str) -> int:
    """Notify the jury's audience of one event, skipping whoever was already notified of it.

    The target row is locked so that two deliveries of the same signal are serialised: the
    second sees the first one's notifications and adds none. Returns how many were notified.
    """
    if not jury.published:
        return 0
    with transaction.atomic():
        type(target).objects.select_for_update().filter(pk=target.pk).first()
        already = set(
            Notification.objects.filter(
                kind=kind, target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
            ).values_list("recipient_id", flat=True)
        )
        recipients = [user for user in jury_audience(jury) if user.pk not in already]
        if not recipients:
            return 0
        return len(
            notify(recipients=recipients, kind=kind, target=target, actor=actor, title=title, body=body, url=url)
        )


@receiver(report_published, dispatch_uid="juries.notify_report_published")
def on_report_published(sender, *, jury: Jury, report: JuryReport, **kwargs) -> None:
    adopted = Recommendation.objects.filter(jury=jury, status=RecommendationStatus.ADOPTED).count()
    notify_once(
        jury=jury,
        kind=REPORT_KIND,
        target=report,
        actor=report.published_by,
        title=fill(_("“%(jury)s”: the jury's report is published"), {"jury": jury.title}),
        body=fill(
            _("Recommendations adopted by the jury: %(count)s. The authority will now answer each of them publicly."),
            {"count": adopted},
        ),
        url=reverse("juries:report", args=[jury.slug]),
    )


@receiver(response_published, dispatch_uid="juries.notify_response_published")
def on_response_published(sender, *, jury: Jury, response: AuthorityResponse, created: bool = True, **kwargs) -> None:
    if not created:
        return  # a correction is dated on the public page, not notified again
    recommendation = response.recommendation
    notify_once(
        jury=jury,
        kind=RESPONSE_KIND,
        target=response,
        actor=response.responded_by,
        title=fill(
            _("“%(jury)s”: the authority answered recommendation R%(number)s"),
            {"jury": jury.title, "number": recommendation.number},
        ),
        body=fill(
            _("R%(number)s. %(title)s: %(decision)s."),
            {
                "number": recommendation.number,
                "title": recommendation.title,
                "decision": Decision(response.decision).label,
            },
        ),
        url=recommendation.get_absolute_url(),
    )


@receiver(progress_reported, dispatch_uid="juries.notify_progress_reported")
def on_progress_reported(sender, *, jury: Jury, progress: ProgressReport, **kwargs) -> None:
    recommendation = progress.recommendation
    notify_once(
        jury=jury,
        kind=PROGRESS_KIND,
        target=progress,
        actor=progress.created_by,
        title=fill(
            _("“%(jury)s”: progress on recommendation R%(number)s"),
            {"jury": jury.title, "number": recommendation.number},
        ),
        body=fill(
            _("R%(number)s. %(title)s: %(status)s (%(date)s)."),
            {
                "number": recommendation.number,
                "title": recommendation.title,
                "status": ProgressStatus(progress.status).label,
                "date": lazy(lambda: date_format(progress.reported_on, "j F Y"), str)(),
            },
        ),
        url=recommendation.get_absolute_url() + "#progress-title",
    )
