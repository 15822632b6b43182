"""Votes cast through the shared secret-ballot mechanism outside budgets (local consultations and
referendums, jury votes): counted on the dashboards from the ledger of who took part, never how.

Budget votes are counted by the budgets provider; this one reads only the core ballots app, so
any tool that uses civicplatform.ballots is counted without a provider of its own.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from opendata.registry import Contribution, register_activity, register_participation


def contributions():
    from django.contrib.contenttypes.models import ContentType

    from civicplatform.ballots.models import ParticipationLedger

    budget_types = [content_type.pk for content_type in ContentType.objects.filter(app_label="budgets", model="budget")]
    ledger = ParticipationLedger.objects.exclude(election_type_id__in=budget_types).values_list(
        "pk", "voter_id", "voted_on", "channel", "voter__district_id", "voter__birth_year"
    )
    for pk, voter_id, day, channel, district_id, birth_year in ledger.iterator(chunk_size=5000):
        # An erased account's vote stays counted, as one more participant.
        person = f"u{voter_id}" if voter_id else f"ledger{pk}"
        yield Contribution(person, day, "vote", channel, district_id, birth_year)


def register() -> None:
    register_participation("vote", _("Local votes"), order=30)
    register_activity("ballots", contributions)
