"""Notification kinds and who hears about what."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from civicplatform.notifications import kinds
from civicplatform.notifications.kinds import DeliveryMode
from civicplatform.notifications.services import notify, notify_followers

from ..models import Petition

STATUS_KIND = "petitions.status"
RESPONSE_KIND = "petitions.response"
TRENDING_KIND = "petitions.trending"


def _fill(template: str, values: dict) -> str:
    return str(template) % values


# Notification texts are stored in the site's language (notify() translates inside an
# override), so they are built lazily: `fill(gettext_lazy("… %(title)s"), {"title": …})`.
fill = lazy(_fill, str)


def register_notification_kinds() -> None:
    kinds.register_kind(
        STATUS_KIND,
        _("Your petitions"),
        DeliveryMode.IMMEDIATE,
        _("Each step of a petition you started: co-sponsors, moderation, thresholds, closing, response."),
        order=50,
    )
    kinds.register_kind(
        RESPONSE_KIND,
        _("Responses to petitions you signed"),
        DeliveryMode.IMMEDIATE,
        _("The official response to a petition you signed, if you asked for it."),
        order=51,
    )
    kinds.register_kind(
        TRENDING_KIND,
        _("Unusual signing activity (moderators)"),
        DeliveryMode.IMMEDIATE,
        _("A connection or an e-mail domain signing a petition unusually often."),
        order=52,
    )


def notify_author(petition: Petition, *, title: str, body: str = "") -> None:
    """Every step of a petition is told to its author (the actor is named in the audit log,
    so the author hears about their own steps too)."""
    if petition.author_id is None:
        return
    notify(
        recipients=[petition.author],
        kind=STATUS_KIND,
        target=petition,
        title=title,
        body=body,
        url=petition.get_absolute_url(),
    )


def notify_petition_followers(petition: Petition, *, title: str, body: str = "") -> None:
    exclude = [petition.author] if petition.author_id else []
    notify_followers(target=petition, title=title, body=body, url=petition.get_absolute_url(), exclude=exclude)


def petition_moderators():
    """Staff and site-wide moderators: the people who see the petition queues."""
    from civicplatform.moderation.models import ModeratorAssignment

    site_wide = ModeratorAssignment.objects.filter(content_type__isnull=True).values("user_id")
    return get_user_model().objects.filter(
        Q(is_staff=True) | Q(pk__in=site_wide), is_active=True, erased_at__isnull=True
    )
