"""Reading ballots and participation: published counts only, never a person's choices."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from civicplatform.ballots.models import Channel, ParticipationLedger, SecretBallot
from civicplatform.ballots.services import election_key

# Published counts below this are shown as "fewer than 5": a cell of 1 or 2 voters in a
# district and age band can point at a person (statistical secrecy, as INSEE does).
MIN_PUBLISHED_COUNT = 5

# Age bands, by the age reached during the year of the vote (we only know birth years).
AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 17, _("under 18")),
    (18, 29, _("18 to 29")),
    (30, 44, _("30 to 44")),
    (45, 59, _("45 to 59")),
    (60, 74, _("60 to 74")),
    (75, None, _("75 and over")),
)


@dataclass(frozen=True)
class StatRow:
    label: str
    count: int | None  # None: suppressed

    @property
    def suppressed(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class ParticipationStatistics:
    total: int
    by_channel: list[StatRow]
    by_district: list[StatRow]
    by_age: list[StatRow]

    @property
    def has_suppressed(self) -> bool:
        return any(row.suppressed for row in (*self.by_channel, *self.by_district, *self.by_age))


def _election_condition(elections: Iterable[models.Model]) -> models.Q:
    condition = models.Q(pk__in=[])
    for election in elections:
        type_id, object_id = election_key(election)
        condition |= models.Q(election_type_id=type_id, election_id=object_id)
    return condition


def suppress_small(rows: Sequence[tuple[str, int]], minimum: int = MIN_PUBLISHED_COUNT) -> list[StatRow]:
    """Hide counts from 1 to minimum-1; if exactly one is hidden, hide the next smallest too,
    so that the hidden count cannot be found by subtracting the others from the total."""
    hidden = {index for index, (_label, count) in enumerate(rows) if 0 < count < minimum}
    if len(hidden) == 1:
        others = [(count, index) for index, (_label, count) in enumerate(rows) if index not in hidden and count > 0]
        if others:
            hidden.add(min(others)[1])
    return [
        StatRow(label=str(label), count=None if index in hidden else count) for index, (label, count) in enumerate(rows)
    ]


def participation_statistics(elections: Sequence[models.Model], *, year: int) -> ParticipationStatistics:
    """Participation in `elections` by channel, district and age band, small counts suppressed.

    Channel counts come from the ballots (they include paper ballots counted without a
    named voter); districts and ages from the ledger joined to the voters' accounts
    (aggregates only). Three queries whatever the number of voters.
    """
    condition = _election_condition(elections)
    channels = Counter(
        dict(SecretBallot.objects.filter(condition).values_list("channel").annotate(n=Count("pk")).order_by())
    )
    total = sum(channels.values())
    channel_rows = [(label, channels.get(value, 0)) for value, label in Channel.choices if value != Channel.DESK]
    ledger = ParticipationLedger.objects.filter(condition)
    districts = list(
        ledger.values_list("voter__district__name").annotate(n=Count("pk")).order_by("voter__district__name")
    )
    district_rows = [(name or _("district unknown"), count) for name, count in districts]
    anonymous = total - sum(count for _name, count in districts)
    if anonymous > 0:
        district_rows.append((_("no named voter (paper or imported ballots)"), anonymous))
    ages = Counter()
    for birth_year, count in ledger.values_list("voter__birth_year").annotate(n=Count("pk")).order_by():
        ages[_age_band(year, birth_year)] += count
    age_rows = [(label, ages.get(label, 0)) for _low, _high, label in AGE_BANDS]
    unknown_age = ages.get(None, 0) + max(anonymous, 0)
    if unknown_age:
        age_rows.append((_("age unknown"), unknown_age))
    return ParticipationStatistics(
        total=total,
        by_channel=suppress_small(channel_rows),
        by_district=suppress_small(district_rows),
        by_age=suppress_small([row for row in age_rows if row[1] or row[0] not in _EMPTY_BANDS]),
    )


# Bands shown only when someone is in them (no "under 18: 0" line for an adults-only vote).
_EMPTY_BANDS = {AGE_BANDS[0][2]}


def _age_band(year: int, birth_year: int | None):
    if not birth_year:
        return None
    age = year - birth_year
    for low, high, label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    return None


def voted_in(*, elections: Iterable[models.Model], person: models.Model) -> set[tuple[int, int]]:
    """The (content type id, pk) of the elections among `elections` where `person` voted."""
    condition = _election_condition(elections)
    return set(
        ParticipationLedger.objects.filter(condition, voter=person).values_list("election_type_id", "election_id")
    )
