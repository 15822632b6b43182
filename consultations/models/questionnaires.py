"""Questionnaires: staff build them (sections, questions, options), residents answer them.

The same model serves a plain survey and a deliberative poll: a deliberative poll is
answered twice (waves "before" and "after" the deliberation), with knowledge questions
scored and evaluation questions asked only after. Answers are stored one row per chosen
option (or scale value, or rank), so that results are a single GROUP BY whatever the
number of responses. Free-text answers are kept apart (`TextAnswer`) because they are
moderated before anyone else reads them.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from civicplatform.core.eligibility import EligibilityFields
from civicplatform.core.phases import DatedPhase
from civicplatform.moderation.models import Moderatable


class QuestionnaireKind(models.TextChoices):
    SURVEY = "survey", _("Questionnaire")
    DELIBERATIVE = "deliberative", _("Deliberative poll")


class ResultsVisibility(models.TextChoices):
    ALWAYS = "always", _("Public while answering is open")
    AFTER_CLOSE = "after_close", _("Public once answering has closed")
    STAFF = "staff", _("Staff only")


class PhaseKind(models.TextChoices):
    ANSWER = "answer", _("Answering")
    BEFORE = "before", _("Answering before the deliberation")
    DELIBERATION = "deliberation", _("Deliberation")
    AFTER = "after", _("Answering after the deliberation")


class Wave(models.TextChoices):
    """Which answering a response belongs to (a survey has one, a deliberative poll two)."""

    SINGLE = "single", _("Answers")
    BEFORE = "before", _("Before the deliberation")
    AFTER = "after", _("After the deliberation")


# The wave a response is filed under, by the kind of the phase open when it is given.
WAVE_OF_PHASE = {PhaseKind.ANSWER: Wave.SINGLE, PhaseKind.BEFORE: Wave.BEFORE, PhaseKind.AFTER: Wave.AFTER}


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    RANKING = "ranking", _("Ranking")
    SCALE = "scale", _("Scale")
    TEXT = "text", _("Free text")
    MATRIX = "matrix", _("Matrix (one choice per row)")


CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING, QuestionKind.MATRIX}


class Questionnaire(EligibilityFields, ClusterableModel):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=QuestionnaireKind.choices, default=QuestionnaireKind.SURVEY
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    open_to_anyone = models.BooleanField(
        _("open to anyone, without an account"),
        default=False,
        help_text=_("One answer per browser; the other conditions below are then ignored. Not for deliberative polls."),
    )
    editable = models.BooleanField(
        _("answers can be changed until closing"),
        default=True,
        help_text=_("Logged-in respondents can come back and change their answers while answering is open."),
    )
    results_visibility = models.CharField(
        _("results"), max_length=16, choices=ResultsVisibility.choices, default=ResultsVisibility.AFTER_CLOSE
    )
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
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:questionnaire", args=[self.slug])

    def clean(self) -> None:
        super().clean()
        if self.open_to_anyone and self.kind == QuestionnaireKind.DELIBERATIVE:
            raise ValidationError({"open_to_anyone": _("A deliberative poll is answered by its panel only.")})

    @property
    def is_deliberative(self) -> bool:
        return self.kind == QuestionnaireKind.DELIBERATIVE

    def get_phases(self) -> list[QuestionnairePhase]:
        return list(self.phases.all())

    def active_phase(self, now: datetime.datetime | None = None) -> QuestionnairePhase | None:
        now = now or timezone.now()
        for phase in self.get_phases():
            if phase.kind in WAVE_OF_PHASE and phase.is_active_at(now):
                return phase
        return None

    def current_wave(self, now: datetime.datetime | None = None) -> str | None:
        phase = self.active_phase(now)
        return WAVE_OF_PHASE[phase.kind] if phase else None

    def answering_phases(self) -> list[QuestionnairePhase]:
        return [phase for phase in self.get_phases() if phase.kind in WAVE_OF_PHASE]

    def opens_at(self) -> datetime.datetime | None:
        phases = self.answering_phases()
        return min(phase.starts_at for phase in phases) if phases else None

    def closes_at(self) -> datetime.datetime | None:
        phases = self.answering_phases()
        return max(phase.ends_at for phase in phases) if phases else None

    def is_closed(self, now: datetime.datetime | None = None) -> bool:
        closing = self.closes_at()
        return closing is not None and closing <= (now or timezone.now())

    def is_upcoming(self, now: datetime.datetime | None = None) -> bool:
        opening = self.opens_at()
        return opening is None or opening > (now or timezone.now())

    def results_are_public(self, now: datetime.datetime | None = None) -> bool:
        if self.results_visibility == ResultsVisibility.ALWAYS:
            return not self.is_upcoming(now)
        if self.results_visibility == ResultsVisibility.AFTER_CLOSE:
            return self.is_closed(now)
        return False


class QuestionnairePhase(DatedPhase):
    questionnaire = ParentalKey(Questionnaire, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=32, choices=PhaseKind.choices, default=PhaseKind.ANSWER)

    class Meta(DatedPhase.Meta):
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        indexes = [
            # Questionnaire.active_phase() and the index page's open questionnaires.
            models.Index(fields=["questionnaire", "starts_at"], name="consult_phase_q_start"),
        ]


class Section(ClusterableModel):
    questionnaire = ParentalKey(Questionnaire, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return f"{self.questionnaire} — {self.title}"


class Question(ClusterableModel):
    section = models.ForeignKey(Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("type"), max_length=16, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)
    sort_order = models.PositiveIntegerField(_("position"), default=0)
    max_choices = models.PositiveSmallIntegerField(
        _("maximum number of choices"), null=True, blank=True, help_text=_("Multiple choice and ranking only.")
    )
    scale_min = models.SmallIntegerField(_("scale from"), default=1)
    scale_max = models.SmallIntegerField(_("scale to"), default=5)
    scale_min_label = models.CharField(_("label of the lowest value"), max_length=60, blank=True)
    scale_max_label = models.CharField(_("label of the highest value"), max_length=60, blank=True)
    max_length = models.PositiveIntegerField(_("maximum length (characters)"), default=1000)
    is_knowledge = models.BooleanField(
        _("knowledge question"),
        default=False,
        help_text=_("Deliberative polls: a single-choice question with one correct option, scored before and after."),
    )
    after_only = models.BooleanField(
        _("asked only after the deliberation"),
        default=False,
        help_text=_("Deliberative polls: the participants' evaluation of the process."),
    )

    class Meta:
        ordering = ["section__sort_order", "section_id", "sort_order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(condition=Q(scale_max__gt=models.F("scale_min")), name="consult_scale_ordered"),
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        super().clean()
        if self.scale_max is not None and self.scale_min is not None:
            if self.scale_max <= self.scale_min:
                raise ValidationError({"scale_max": _("The scale must end above where it starts.")})
            if self.scale_max - self.scale_min > 10:
                raise ValidationError({"scale_max": _("A scale has at most 11 steps.")})
        if self.is_knowledge and self.kind != QuestionKind.SINGLE:
            raise ValidationError({"is_knowledge": _("A knowledge question is a single-choice question.")})

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"

    def scale_values(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))


class Option(models.Model):
    """A choice of a question; for a matrix, `is_row` marks the rows (the others are the columns)."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("text"), max_length=200)
    is_row = models.BooleanField(_("matrix row"), default=False)
    is_correct = models.BooleanField(_("correct answer"), default=False)
    sort_order = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.text


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    DESK = "desk", _("assisted at the desk")


class Response(models.Model):
    """One person's answers to one wave of a questionnaire."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="responses")
    # Null for answers given without an account, and after the person erased their account.
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Answers without an account: a random key kept in a signed cookie of the browser.
    anonymous_key = models.CharField(max_length=32, blank=True, default="")
    wave = models.CharField(_("wave"), max_length=8, choices=Wave.choices, default=Wave.SINGLE)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.ONLINE)
    created_at = models.DateTimeField(_("answered on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed on"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            # One response per person and wave: the database refuses a second one, even concurrently.
            models.UniqueConstraint(
                fields=["questionnaire", "respondent", "wave"],
                condition=Q(respondent__isnull=False),
                name="consult_one_response_per_person",
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "anonymous_key", "wave"],
                condition=~Q(anonymous_key=""),
                name="consult_one_response_per_browser",
            ),
        ]
        indexes = [
            # results and exports: responses of one questionnaire and wave
            models.Index(fields=["questionnaire", "wave"], name="consult_response_wave"),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} {self.wave} {self.public_id}"


class Answer(models.Model):
    """One chosen option (single, multiple), ranked option (`value` = rank from 1), scale
    value (`value`), or matrix cell (`row` and the chosen column `option`)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    option = models.ForeignKey(Option, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    row = models.ForeignKey(Option, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            # results: one GROUP BY over a questionnaire's questions (selectors.questionnaire_results)
            models.Index(fields=["question", "option", "row", "value"], name="consult_answer_count"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.option_id or self.value}"


class TextAnswer(Moderatable):
    """A free-text answer: read by a moderator before it is listed with the results."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="texts")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="texts")
    text = models.TextField(_("answer"))
    approved_at = models.DateTimeField(_("approved on"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("free-text answer")
        verbose_name_plural = _("free-text answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="consult_one_text_per_question"),
        ]
        indexes = [
            # the moderation list and the published answers of a question
            models.Index(fields=["question", "approved_at"], name="consult_text_approved"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_published(self) -> bool:
        return self.approved_at is not None and not self.is_hidden

    def get_moderation_space(self):
        return self.question.section.questionnaire

    def get_moderation_author(self):
        return self.response.respondent

    def get_moderation_author_id(self) -> int | None:
        return self.response.respondent_id

    def get_absolute_url(self) -> str:
        return reverse("consultations:questionnaire_results", args=[self.question.section.questionnaire.slug])

    @classmethod
    def get_moderation_queryset(cls) -> models.QuerySet:
        return cls._default_manager.select_related("response", "question__section__questionnaire")
