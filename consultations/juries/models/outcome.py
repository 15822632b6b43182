"""What the jury produces and what becomes of it: recommendations drafted by the members, voted
on in secret with levels of support, the report with minority views, the authority's response to
each recommendation and the progress reports that follow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .recruitment import Jury


class RecommendationStatus(models.TextChoices):
    DRAFT = "draft", _("Being drafted")
    VOTING = "voting", _("Put to the vote")
    ADOPTED = "adopted", _("Adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Recommendation(models.Model):
    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="recommendations")
    # Numbered in the jury (R1, R2...) when first saved; the number never changes or repeats.
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("recommendation"))
    rationale = models.TextField(_("why the jury recommends it"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RecommendationStatus.choices, default=RecommendationStatus.DRAFT
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["jury", "number"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [models.UniqueConstraint(fields=["jury", "number"], name="jury_recommendation_unique_number")]

    def __str__(self) -> str:
        return f"R{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("juries:recommendation", args=[self.jury.slug, self.number])


class RecommendationRevision(models.Model):
    """Every saved wording of a draft, so members see who changed what while drafting together."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=200)
    text = models.TextField()
    rationale = models.TextField(blank=True)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    edited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-edited_at", "-id"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self) -> str:
        return f"{self.recommendation_id} @ {self.edited_at:%Y-%m-%d %H:%M}"


class SupportLevel(models.IntegerChoices):
    """The levels of support a member gives each recommendation in the secret vote."""

    STRONGLY_SUPPORT = 5, _("I strongly support it")
    SUPPORT = 4, _("I support it")
    ACCEPT = 3, _("I can live with it")
    RESERVATIONS = 2, _("I have serious reservations")
    OPPOSE = 1, _("I oppose it")
    ABSTAIN = 0, _("I abstain")


# Declared strongest first, abstention last: `list(SupportLevel)` is the order of the ballot, tables and charts.
# The adoption rule (RecommendationVote) counts these levels as support.
SUPPORTING_LEVELS = (SupportLevel.STRONGLY_SUPPORT, SupportLevel.SUPPORT)


class VoteStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class RecommendationVote(models.Model):
    """One secret vote of the jury on a set of recommendations (a `civicplatform.ballots` election).

    A ballot's choices are {"<recommendation number>": <support level>}. A recommendation is adopted
    when the share of votes at "support" or "strongly support", among votes that do not abstain,
    reaches `threshold_percent`.
    """

    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="votes")
    title = models.CharField(_("title"), max_length=200)
    recommendations = models.ManyToManyField(Recommendation, related_name="votes", verbose_name=_("recommendations"))
    threshold_percent = models.PositiveSmallIntegerField(_("support needed to adopt (%)"), default=50)
    status = models.CharField(_("status"), max_length=8, choices=VoteStatus.choices, default=VoteStatus.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    closes_at = models.DateTimeField(_("closes at"))
    closed_at = models.DateTimeField(null=True, blank=True)
    # Filled at closing: {"<number>": {"<level>": count, ...}, ...}; the ballots stay the source.
    tally = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("vote on recommendations")
        verbose_name_plural = _("votes on recommendations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(threshold_percent__gte=1, threshold_percent__lte=100), name="jury_vote_threshold"
            )
        ]

    def __str__(self) -> str:
        return self.title


class JuryReport(models.Model):
    """The jury's report: its own introduction, the adopted recommendations with their levels of
    support, and the minority views. Published once; the authority's response follows."""

    jury = models.OneToOneField(Jury, on_delete=models.CASCADE, related_name="report")
    introduction = models.TextField(_("introduction by the jury"))
    method = models.TextField(_("how the jury worked"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("jury report")
        verbose_name_plural = _("jury reports")

    def __str__(self) -> str:
        return str(self.jury)


class MinorityView(models.Model):
    """A view some members hold against the majority, published with the report under the number of
    members who signed it (never their names)."""

    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="minority_views")
    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("about the recommendation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="minority_views",
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("minority view"))
    signatories = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("signed by"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("minority view")
        verbose_name_plural = _("minority views")

    def __str__(self) -> str:
        return self.title


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    REJECTED = "rejected", _("Rejected")


class AuthorityResponse(models.Model):
    """The authority's public answer to one adopted recommendation."""

    recommendation = models.OneToOneField(Recommendation, on_delete=models.CASCADE, related_name="response")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reasons = models.TextField(_("reasons"))
    commitments = models.TextField(_("what the authority will do, and by when"), blank=True)
    responded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("response of the authority")
        verbose_name_plural = _("responses of the authority")

    def __str__(self) -> str:
        return f"{self.recommendation} – {self.get_decision_display()}"


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    ABANDONED = "abandoned", _("Abandoned")


class ProgressReport(models.Model):
    """A dated update on what became of an accepted or partly accepted recommendation."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="progress_reports")
    status = models.CharField(_("status"), max_length=12, choices=ProgressStatus.choices)
    text = models.TextField(_("what happened"))
    reported_on = models.DateField(_("date"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        indexes = [models.Index(fields=["recommendation", "reported_on"], name="jury_progress_rec_date")]

    def __str__(self) -> str:
        return f"{self.recommendation} – {self.reported_on}"
