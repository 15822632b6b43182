"""Opinion maps in the manner of Pol.is: short statements, agree / disagree / pass votes,
and opinion groups computed by a Celery task (consultations.opinions.grouping)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from civicplatform.core.eligibility import EligibilityFields
from civicplatform.core.phases import DatedPhase
from civicplatform.moderation.models import Moderatable


class Conversation(EligibilityFields, ClusterableModel):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    topic = models.TextField(_("topic"), help_text=_("The question the statements answer."))
    max_statement_length = models.PositiveSmallIntegerField(_("maximum statement length"), default=200)
    # A plain ManyToManyField on a ClusterableModel is not saved by the Wagtail admin form.
    restricted_districts = ParentalManyToManyField(
        "territory.District",
        verbose_name=_("restricted to districts"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty to open it to the whole municipality."),
    )
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("opinion map")
        verbose_name_plural = _("opinion maps")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:conversation", args=[self.slug])

    def get_phases(self) -> list[ConversationPhase]:
        return list(self.phases.all())


class ConversationPhaseKind(models.TextChoices):
    PARTICIPATION = "participation", _("Statements and votes")


class ConversationPhase(DatedPhase):
    conversation = ParentalKey(Conversation, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(
        _("phase"), max_length=32, choices=ConversationPhaseKind.choices, default=ConversationPhaseKind.PARTICIPATION
    )

    class Meta(DatedPhase.Meta):
        verbose_name = _("phase")
        verbose_name_plural = _("phases")


class Statement(Moderatable):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="statements")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.CharField(_("statement"), max_length=400)
    # Seed statements are written by the organisers to start the conversation.
    is_seed = models.BooleanField(_("written by the organisers"), default=False)
    created_at = models.DateTimeField(_("written on"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        indexes = [
            models.Index(fields=["conversation", "moderation_state"], name="consult_statement_visible"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def get_moderation_space(self):
        return self.conversation

    def get_absolute_url(self) -> str:
        return reverse("consultations:conversation", args=[self.conversation.slug])

    @classmethod
    def get_moderation_queryset(cls) -> models.QuerySet:
        return cls._default_manager.select_related("author", "conversation")


class VoteValue(models.IntegerChoices):
    # The Pol.is convention: agree 1, disagree -1, pass 0.
    AGREE = 1, _("Agree")
    DISAGREE = -1, _("Disagree")
    PASS = 0, _("Pass / unsure")


class StatementVote(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(_("vote"), choices=VoteValue.choices)
    created_at = models.DateTimeField(_("voted on"), auto_now_add=True)

    class Meta:
        verbose_name = _("statement vote")
        verbose_name_plural = _("statement votes")
        constraints = [
            models.UniqueConstraint(fields=["statement", "participant"], name="consult_one_vote_per_statement"),
        ]
        indexes = [
            # the vote matrix of a conversation (grouping task, exports)
            models.Index(fields=["conversation", "participant"], name="consult_vote_matrix"),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.value}"


class OpinionGrouping(models.Model):
    """The latest result of the grouping task for a conversation (one row, replaced each run)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="grouping")
    computed_at = models.DateTimeField(_("computed on"))
    participants = models.PositiveIntegerField(_("participants grouped"))
    votes = models.PositiveIntegerField(_("votes counted"))
    k = models.PositiveSmallIntegerField(_("number of groups"))
    silhouette = models.FloatField(_("silhouette"))
    # {"groups": [...], "points": [[x, y, group], ...], "statements": {...}}: see opinions/grouping.py.
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("opinion groups")
        verbose_name_plural = _("opinion groups")

    def __str__(self) -> str:
        return f"{self.conversation} ({self.k})"
