"""Computing the impact dashboards into the summary tables."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicplatform.ballots.selectors import AGE_BANDS

from . import registry
from .models import DailyVisits, ImpactFigure, ImpactRun, Metric
from .visits import fold_visits

# Runs kept (the latest is shown; older ones let staff compare).
KEEP_RUNS = 3


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _age_band(year: int, birth_year: int | None) -> str | None:
    if not birth_year:
        return None
    age = year - birth_year
    for low, high, label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return str(label)
    return None


def impact_compute(*, now: datetime.datetime | None = None) -> ImpactRun:
    """See _compute: labels are stored in English, the source language, and translated when shown."""
    with translation.override("en"):
        return _compute(now=now)


def _compute(*, now: datetime.datetime | None = None) -> ImpactRun:
    """Read every contribution from the registered activity sources once and write the dashboard figures.

    Safe to run twice: each run writes a new ImpactRun with its figures in one transaction,
    and the dashboards read the latest complete one."""
    from django.contrib.auth import get_user_model

    from civicplatform.accounts.models import VerificationLevel
    from civicplatform.territory.models import District

    now = now or timezone.now()
    year = timezone.localtime(now).year
    monthly_people: dict[tuple[str, datetime.date], set[str]] = defaultdict(set)
    monthly_count: Counter[tuple[str, datetime.date]] = Counter()
    first_month: dict[str, datetime.date] = {}
    person_months: dict[str, set[datetime.date]] = defaultdict(set)
    person_district: dict[str, int | None] = {}
    person_birth: dict[str, int | None] = {}
    participations_of: dict[str, set[str]] = defaultdict(set)
    channels: Counter[str] = Counter()
    total = 0
    for source in registry.activity_sources().values():
        for item in source():
            total += 1
            month = _month(item.day)
            for key in (item.participation, ""):
                monthly_people[(key, month)].add(item.person)
                monthly_count[(key, month)] += 1
            if item.person not in first_month or month < first_month[item.person]:
                first_month[item.person] = month
            person_months[item.person].add(month)
            if item.district_id is not None or item.person not in person_district:
                person_district[item.person] = item.district_id
            if item.birth_year or item.person not in person_birth:
                person_birth[item.person] = item.birth_year
            participations_of[item.person].add(item.participation)
            channels[item.channel] += 1

    run = ImpactRun(computed_at=now, contributions=total, participants=len(first_month))
    figures: list[ImpactFigure] = []

    def add(metric: str, value: int, *, participation: str = "", period=None, label: str = "", reference=None):
        figures.append(
            ImpactFigure(
                run=run,
                metric=metric,
                participation=participation,
                period=period,
                label=label,
                position=len(figures),
                value=value,
                reference=reference,
            )
        )

    for (participation, month), people in sorted(monthly_people.items()):
        add(Metric.MONTHLY_PARTICIPANTS, len(people), participation=participation, period=month)
        add(
            Metric.MONTHLY_CONTRIBUTIONS,
            monthly_count[(participation, month)],
            participation=participation,
            period=month,
        )
    newcomers: Counter[datetime.date] = Counter(first_month.values())
    for month in sorted({month for _p, month in monthly_people}):
        people = len(monthly_people[("", month)])
        add(Metric.NEWCOMERS, newcomers[month], period=month, label="first_time", reference=people)
        add(Metric.NEWCOMERS, people - newcomers[month], period=month, label="returning", reference=people)

    by_district = Counter(person_district.values())
    for district in District.objects.order_by("name"):
        add(
            Metric.DISTRICT, by_district.get(district.pk, 0), label=district.name, reference=district.population or None
        )
    unknown = sum(count for key, count in by_district.items() if key is None)
    if unknown:
        add(Metric.DISTRICT, unknown, label=_("District unknown or outside the municipality"))

    ages = Counter(_age_band(year, birth) for birth in person_birth.values())
    for _low, _high, label in AGE_BANDS:
        if ages.get(str(label)) or _low >= 18:
            add(Metric.AGE, ages.get(str(label), 0), label=str(label))
    if ages.get(None):
        add(Metric.AGE, ages[None], label=_("Age unknown"))

    channel_labels = {"online": _("Online"), "desk": _("At the desk"), "paper": _("On paper")}
    for channel, label in channel_labels.items():
        add(Metric.CHANNEL, channels.get(channel, 0), label=str(label))

    # Visits (opendata.visits): per month and participation, and the funnel's first step.
    fold_visits(today=timezone.localdate(now))
    visits_by_month: Counter[tuple[str, datetime.date]] = Counter()
    for day, participation, visits in DailyVisits.objects.values_list("day", "participation", "visits"):
        visits_by_month[(participation, _month(day))] += visits
    for (participation, month), visits in sorted(visits_by_month.items()):
        add(Metric.VISITS, visits, participation=participation, period=month)

    users = get_user_model().objects.filter(is_active=True, is_staff=False)
    account_holders = {key for key in first_month if key.startswith("u")}
    add(Metric.FUNNEL, sum(visits_by_month.values()), label=_("Visits to participation pages"))
    add(Metric.FUNNEL, users.count(), label=_("Accounts"))
    add(
        Metric.FUNNEL,
        users.filter(verification_level__gte=VerificationLevel.EMAIL).count(),
        label=_("E-mail confirmed"),
    )
    add(
        Metric.FUNNEL,
        users.filter(verification_level__gte=VerificationLevel.RESIDENT).count(),
        label=_("Verified residents"),
    )
    add(Metric.FUNNEL, len(account_holders), label=_("Took part at least once (with an account)"))
    add(
        Metric.FUNNEL,
        sum(1 for key in account_holders if len(person_months[key]) > 1),
        label=_("Took part in more than one month"),
    )
    add(
        Metric.FUNNEL,
        sum(1 for key in account_holders if len(participations_of[key]) > 1),
        label=_("Took part in more than one kind of participation"),
    )

    for metric, source in registry.outcome_sources().items():
        for label, count, amount in source():
            add(metric, count, label=label, reference=amount)

    with transaction.atomic():
        run.save()
        ImpactFigure.objects.bulk_create(figures)
        old = ImpactRun.objects.order_by("-computed_at", "-pk").values_list("pk", flat=True)[KEEP_RUNS:]
        ImpactRun.objects.filter(pk__in=list(old)).delete()
    return run
