"""Petitions: one row per published petition, and validated signatures by day and by district.

Only counted (validated) signatures are published, as counts; small counts of a
district or a day are suppressed (a signer of a small district could otherwise be
guessed). Names of signers are never published, even those shown on the petition.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Max
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opendata.registry import ColumnType as T
from opendata.registry import (
    Dataset,
    Link,
    Rows,
    columns,
    register_activity,
    register_dataset,
    register_feeds,
    register_outcomes,
    register_participation,
    register_widgets,
)


def _public_petitions():
    from petitions.models import Petition

    return (
        Petition.objects.publicly_visible()
        .filter(published_at__isnull=False)
        .select_related("theme", "district", "official_response")
        .prefetch_related("phases")
        .order_by("published_at", "pk")
    )


def _validated_counts() -> dict[int, int]:
    from petitions.models import Signature, SignatureState

    return dict(
        Signature.objects.filter(state=SignatureState.VALIDATED)
        .values_list("petition_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def petition_rows() -> Rows:
    counts = _validated_counts()
    rows: Rows = []
    for petition in _public_petitions():
        response = getattr(petition, "official_response", None)
        rows.append(
            {
                "petition": petition.slug,
                "title": petition.title,
                "kind": petition.kind,
                "status": petition.status,
                "theme": petition.theme.name if petition.theme_id else "",
                "district": petition.district.name if petition.district_id else "",
                "signatures": counts.get(petition.pk, 0),
                "response_threshold": petition.response_threshold,
                "debate_threshold": petition.debate_threshold,
                "published_at": petition.published_at,
                "closes_at": petition.closes_at,
                "response_threshold_reached_at": petition.response_threshold_reached_at,
                "debate_threshold_reached_at": petition.debate_threshold_reached_at,
                "answered_on": response.responded_on if response else None,
                "council_decision": response.council_decision if response else "",
                "url": petition.get_absolute_url(),
            }
        )
    return rows


def by_day_rows() -> Rows:
    from petitions.models import Signature, SignatureState

    petitions = {petition.pk: petition.slug for petition in _public_petitions()}
    days = (
        Signature.objects.filter(state=SignatureState.VALIDATED, petition_id__in=list(petitions))
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values_list("petition_id", "day")
        .annotate(n=Count("pk"))
        .order_by("petition_id", "day")
    )
    return [{"petition": petitions[pk], "day": day, "signatures": n} for pk, day, n in days]


def by_district_rows() -> Rows:
    from civicplatform.territory.models import District
    from petitions.models import Signature, SignatureState

    petitions = {petition.pk: petition.slug for petition in _public_petitions()}
    names = dict(District.objects.values_list("pk", "name"))
    counts = (
        Signature.objects.filter(state=SignatureState.VALIDATED, petition_id__in=list(petitions))
        .values_list("petition_id", "district_id")
        .annotate(n=Count("pk"))
        .order_by("petition_id", "district_id")
    )
    return [
        {"petition": petitions[pk], "district": names.get(district_id, "") if district_id else "", "signatures": n}
        for pk, district_id, n in counts
    ]


def last_change() -> datetime.datetime | None:
    from petitions.models import Petition

    return Petition.objects.publicly_visible().aggregate(last=Max("published_at"))["last"]


def feed_links() -> list[Link]:
    # Petitions publish their own feeds (petitions.views.feeds): link them.
    return [
        Link("petition", str(_("New petitions")), reverse("petitions:feed_new_atom")),
        Link("petition", str(_("Answered petitions")), reverse("petitions:feed_answered_atom")),
    ]


def widget_links() -> list[Link]:
    # The counter widget is the petitions app's own page (petitions:widget).
    from petitions.models import SIGNABLE_STATUSES

    return [
        Link("petition", petition.title, reverse("petitions:widget", kwargs={"slug": petition.slug}))
        for petition in _public_petitions().filter(status__in=SIGNABLE_STATUSES)
    ]


def register() -> None:
    register_feeds("petitions", feed_links)
    register_widgets("petitions", widget_links)
    register_activity("petitions", contributions)
    register_outcomes("petition_outcomes", outcomes)
    register_participation("petition", _("Petitions"), order=20)
    register_dataset(
        Dataset(
            key="petitions",
            participation="petition",
            title=_("Petitions"),
            description=_(
                "Every published petition and formal request (article L1112-16 CGCT): status, counted "
                "signatures, thresholds, dates and the council's decision. No signer is named."
            ),
            columns=columns(
                ("petition", T.STRING, _("Petition identifier")),
                ("title", T.STRING, _("Title")),
                ("kind", T.STRING, _("Kind: civic or formal")),
                ("status", T.STRING, _("Status")),
                ("theme", T.STRING, _("Theme")),
                ("district", T.STRING, _("District concerned")),
                ("signatures", T.INTEGER, _("Counted signatures")),
                ("response_threshold", T.INTEGER, _("Signatures needed for an official response")),
                ("debate_threshold", T.INTEGER, _("Signatures needed for the council")),
                ("published_at", T.DATETIME, _("Published on")),
                ("closes_at", T.DATETIME, _("Signature deadline")),
                ("response_threshold_reached_at", T.DATETIME, _("Response threshold reached on")),
                ("debate_threshold_reached_at", T.DATETIME, _("Council threshold reached on")),
                ("answered_on", T.DATE, _("Official response on")),
                ("council_decision", T.STRING, _("Council decision")),
                ("url", T.STRING, _("Page of the petition")),
            ),
            rows=petition_rows,
            keywords=("pétitions", "droit de pétition"),
            modified=last_change,
            order=10,
        )
    )
    register_dataset(
        Dataset(
            key="petitions-signatures-by-day",
            participation="petition",
            title=_("Petition signatures by day"),
            description=_(
                "Counted signatures of each published petition per day of signature (Europe/Paris). "
                "Counts from 1 to the publication threshold are left empty."
            ),
            columns=columns(
                ("petition", T.STRING, _("Petition identifier")),
                ("day", T.DATE, _("Day")),
                ("signatures", T.INTEGER, _("Counted signatures (empty: fewer than the threshold)")),
            ),
            rows=by_day_rows,
            suppressed=("signatures",),
            suppression_groups=("petition",),
            keywords=("pétitions", "signatures"),
            modified=last_change,
            order=20,
        )
    )
    register_dataset(
        Dataset(
            key="petitions-signatures-by-district",
            participation="petition",
            title=_("Petition signatures by district"),
            description=_(
                "Counted signatures of each published petition per district of the signer (empty district: "
                "outside the municipality or not given). Counts from 1 to the publication threshold are left empty."
            ),
            columns=columns(
                ("petition", T.STRING, _("Petition identifier")),
                ("district", T.STRING, _("District")),
                ("signatures", T.INTEGER, _("Counted signatures (empty: fewer than the threshold)")),
            ),
            rows=by_district_rows,
            suppressed=("signatures",),
            suppression_groups=("petition",),
            keywords=("pétitions", "signatures", "quartiers"),
            modified=last_change,
            order=30,
        )
    )


def contributions():
    """Counted signatures (a signer without an account is told apart by their e-mail, inside this
    computation only) and petitions launched."""
    from opendata.registry import Contribution
    from petitions.models import Petition, Signature, SignatureState

    signatures = Signature.objects.filter(state=SignatureState.VALIDATED).values_list(
        "pk", "user_id", "email_canonical", "created_at", "district_id", "user__birth_year"
    )
    for pk, user_id, email, created_at, district_id, birth_year in signatures.iterator(chunk_size=5000):
        person = f"u{user_id}" if user_id else (f"e{email}" if email else f"s{pk}")
        day = timezone.localtime(created_at).date()
        yield Contribution(person, day, "petition", "online", district_id, birth_year)
    launched = Petition.objects.filter(author__isnull=False, published_at__isnull=False).values_list(
        "author_id", "published_at", "author__district_id", "author__birth_year"
    )
    for author_id, published_at, district_id, birth_year in launched.iterator(chunk_size=5000):
        yield Contribution(
            f"u{author_id}", timezone.localtime(published_at).date(), "petition", "online", district_id, birth_year
        )


def outcomes() -> list[tuple[str, int, int | None]]:
    """(status label, petitions, None) for published petitions, then thresholds reached."""
    from petitions.models import PUBLISHED_STATUSES, Petition, PetitionStatus

    labels = dict(PetitionStatus.choices)
    visible = Petition.objects.publicly_visible().filter(published_at__isnull=False)
    counts = dict(visible.values_list("status").annotate(n=Count("pk")).order_by())
    rows = [(str(labels[status]), counts[status], None) for status in PUBLISHED_STATUSES if counts.get(status)]
    rows.append(
        (
            str(_("Response threshold reached")),
            visible.filter(response_threshold_reached_at__isnull=False).count(),
            None,
        )
    )
    rows.append(
        (str(_("Council threshold reached")), visible.filter(debate_threshold_reached_at__isnull=False).count(), None)
    )
    return rows
