"""Local consultations (CGCT L1112-15, advisory) and local referendums (LO1112-1, binding).

One yes/no question put to the electors of the commune (or of part of it, for a
consultation), decided by a council deliberation. Ballots are secret: they go through
civicplatform.ballots (a ledger of who voted, kept apart from anonymous ballots), the
election being the `LocalVote` row. A paper ballot recorded at the staff desk goes into
the same ledger under the person's name, so it blocks a second vote online.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from civicplatform.accounts.models import VerificationLevel
from civicplatform.core.eligibility import EligibilityPolicy, policy_for
from civicplatform.core.phases import DatedPhase


class VoteKind(models.TextChoices):
    CONSULTATION = "consultation", _("Local consultation (advisory)")
    REFERENDUM = "referendum", _("Local referendum (binding)")


class VoteChoice(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    BLANK = "blank", _("Blank vote")


class VotePhaseKind(models.TextChoices):
    VOTE = "vote", _("Vote")


class LocalVote(ClusterableModel):
    kind = models.CharField(_("kind"), max_length=16, choices=VoteKind.choices, default=VoteKind.CONSULTATION)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    question = models.CharField(_("question put to the electors"), max_length=400)
    description = models.TextField(_("presentation"), blank=True)
    deliberation_reference = models.CharField(
        _("council deliberation"), max_length=200, help_text=_("For example: Délibération n° 2026-045.")
    )
    deliberation_date = models.DateField(_("date of the deliberation"))
    deliberation_url = models.URLField(_("link to the deliberation"), blank=True)
    registered_electors = models.PositiveIntegerField(
        _("registered electors"),
        help_text=_("The size of the register for this vote (the electors of the commune, or of the part consulted)."),
    )
    restricted_districts = ParentalManyToManyField(
        "territory.District",
        verbose_name=_("restricted to districts"),
        blank=True,
        related_name="+",
        help_text=_("A consultation may concern only part of the territory. Leave empty for the whole commune."),
    )
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("local consultation or referendum")
        verbose_name_plural = _("local consultations and referendums")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:vote", args=[self.slug])

    @property
    def is_referendum(self) -> bool:
        return self.kind == VoteKind.REFERENDUM

    def eligibility_policy(self) -> EligibilityPolicy:
        # The register is the electoral list: registered electors (level 3) only.
        districts = list(self.restricted_districts.all()) if self.pk else []
        return policy_for(min_level=VerificationLevel.ELECTOR, districts=districts)

    def get_phases(self) -> list[VotePhase]:
        return list(self.phases.all())

    def vote_phase(self) -> VotePhase | None:
        phases = self.get_phases()
        return phases[0] if phases else None

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        phase = self.vote_phase()
        return phase is not None and phase.is_active_at(now or timezone.now())

    def is_closed(self, now: datetime.datetime | None = None) -> bool:
        phase = self.vote_phase()
        return phase is not None and phase.is_finished_at(now or timezone.now())


class VotePhase(DatedPhase):
    vote = ParentalKey(LocalVote, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=32, choices=VotePhaseKind.choices, default=VotePhaseKind.VOTE)

    class Meta(DatedPhase.Meta):
        verbose_name = _("polling period")
        verbose_name_plural = _("polling periods")
