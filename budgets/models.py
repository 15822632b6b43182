"""Participatory budgets: a process, its dated phases, its budgets and the projects residents propose.

Amounts and costs are whole euros (PositiveBigIntegerField): municipal budgets are voted
in euros, projects are estimated to the euro, and integers keep the knapsack tally exact.
The ballots, the ledger of who voted and the results live in budgets.voting and
budgets.results; they build on the names declared here.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicplatform.core.eligibility import EligibilityFields, EligibilityPolicy
from civicplatform.core.phases import DatedPhase
from civicplatform.moderation.models import Moderatable

from .querysets import BudgetPhaseQuerySet, BudgetProcessQuerySet, ProjectQuerySet


class VotingScope(models.TextChoices):
    OWN_DISTRICT = "own_district", _("Own district only")
    OWN_DISTRICT_AND_CITYWIDE = "own_district_citywide", _("Own district and the city-wide budget")
    ANY_ONE = "any_one", _("Any one budget of the voter's choice")
    ALL = "all", _("Every budget")


class BallotType(models.TextChoices):
    KNAPSACK = "knapsack", _("Spend the budget (knapsack)")
    APPROVAL = "approval", _("Approve projects")
    CUMULATIVE = "cumulative", _("Share points between projects")
    RANKED = "ranked", _("Rank projects")


class TallyRule(models.TextChoices):
    GREEDY = "greedy", _("Most votes first, skipping projects that no longer fit")
    GREEDY_NO_SKIP = "greedy-no-skip", _("Most votes first, stopping at the first project that does not fit")
    GREEDY_THRESHOLD = "greedy-threshold", _("Most votes first, only projects above a vote threshold")
    MES_ADD1 = "mes-add1", _("Method of equal shares")
    MES_ADD1_GREEDY = "mes-add1-greedy", _("Method of equal shares, completed by most votes")


class TieBreaking(models.TextChoices):
    # The values are budgets.tally.tiebreak chains.
    DEFAULT = "min_cost,max_votes,id", _("Cheaper project, then more votes, then project number")
    ID = "id", _("Project number only")


class PhaseKind(models.TextChoices):
    INFORMATION = "information", _("Information")
    SUBMISSION = "submission", _("Submission of project ideas")
    REVIEW = "review", _("Technical review")
    SHORTLIST = "shortlist", _("Shortlist by supports")
    VOTING = "voting", _("Vote")
    RESULTS = "results", _("Results")
    IMPLEMENTATION = "implementation", _("Implementation")


class ProjectStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    FEASIBLE = "feasible", _("Feasible")
    UNFEASIBLE = "unfeasible", _("Not feasible")
    MERGED = "merged", _("Merged into another project")
    SHORTLISTED = "shortlisted", _("Shortlisted for the vote")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")
    IN_PROGRESS = "in_progress", _("Work in progress")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn by its author")


# After the vote a project keeps its place on the published ballot whatever its result.
VOTED_STATUSES = (ProjectStatus.SELECTED, ProjectStatus.NOT_SELECTED)
# Statuses of a project the city carries out (milestones may be recorded).
IMPLEMENTATION_STATUSES = (ProjectStatus.SELECTED, ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED)


class BudgetProcess(EligibilityFields):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    voting_scope = models.CharField(
        _("budgets a person may vote in"),
        max_length=32,
        choices=VotingScope.choices,
        default=VotingScope.OWN_DISTRICT_AND_CITYWIDE,
    )
    ballot_type = models.CharField(
        _("ballot type"), max_length=16, choices=BallotType.choices, default=BallotType.KNAPSACK
    )
    min_projects = models.PositiveSmallIntegerField(_("minimum number of projects"), null=True, blank=True)
    max_projects = models.PositiveSmallIntegerField(_("maximum number of projects"), null=True, blank=True)
    points_total = models.PositiveIntegerField(
        _("points per voter"), null=True, blank=True, help_text=_("Cumulative ballots only.")
    )
    max_points_per_project = models.PositiveIntegerField(
        _("maximum points per project"), null=True, blank=True, help_text=_("Cumulative ballots only.")
    )
    rank_k = models.PositiveSmallIntegerField(
        _("number of projects to rank"), null=True, blank=True, help_text=_("Ranked ballots only.")
    )
    tally_rule = models.CharField(
        _("counting rule"), max_length=24, choices=TallyRule.choices, default=TallyRule.GREEDY
    )
    threshold = models.PositiveIntegerField(
        _("vote threshold"),
        null=True,
        blank=True,
        help_text=_("Minimum number of votes a project needs (threshold counting rule only)."),
    )
    tie_breaking = models.CharField(
        _("tie-breaking"), max_length=64, choices=TieBreaking.choices, default=TieBreaking.DEFAULT
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    is_imported = models.BooleanField(
        _("imported"), default=False, help_text=_("Created from a Pabulib .pb file rather than run on the platform.")
    )
    created_at = models.DateTimeField(_("created on"), default=timezone.now)

    objects = BudgetProcessQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("budget process")
        verbose_name_plural = _("budget processes")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_projects__isnull=True)
                | Q(max_projects__isnull=True)
                | Q(min_projects__lte=models.F("max_projects")),
                name="budgets_process_min_le_max",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budgets:process", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.min_projects is not None and self.max_projects is not None and self.min_projects > self.max_projects:
            errors["max_projects"] = _("The maximum number of projects cannot be lower than the minimum.")
        if self.ballot_type == BallotType.CUMULATIVE and not self.points_total:
            errors["points_total"] = _("A cumulative ballot needs a number of points per voter.")
        if self.ballot_type == BallotType.RANKED and not self.rank_k:
            errors["rank_k"] = _("A ranked ballot needs the number of projects to rank.")
        if self.tally_rule == TallyRule.GREEDY_THRESHOLD and not self.threshold:
            errors["threshold"] = _("The threshold counting rule needs a vote threshold.")
        if errors:
            raise ValidationError(errors)

    def eligibility_policy(self) -> EligibilityPolicy:
        # Cached on the instance: a page asks several permissions of the same process.
        cached = getattr(self, "_eligibility_policy", None)
        if cached is None:
            cached = self._eligibility_policy = super().eligibility_policy()
        return cached

    # Phases are read from `phases.all()` and filtered in Python so that a page that
    # prefetches "phases" answers every question below without another query.
    def get_phases(self) -> list[BudgetPhase]:
        """The enabled phases, in date order (disabled phases are skipped everywhere)."""
        return sorted((p for p in self.phases.all() if p.enabled), key=lambda p: p.starts_at)

    def phase(self, kind: str) -> BudgetPhase | None:
        return next((p for p in self.get_phases() if p.kind == kind), None)

    def has_phase(self, kind: str) -> bool:
        return self.phase(kind) is not None

    def current_phase(self, now: datetime.datetime | None = None) -> BudgetPhase | None:
        """The open phase; when phases overlap, the one that started last."""
        now = now or timezone.now()
        active = [p for p in self.get_phases() if p.is_active_at(now)]
        return active[-1] if active else None

    def next_phase(self, now: datetime.datetime | None = None) -> BudgetPhase | None:
        now = now or timezone.now()
        return next((p for p in self.get_phases() if p.is_upcoming_at(now)), None)

    def is_phase_open(self, kind: str, now: datetime.datetime | None = None) -> bool:
        phase = self.phase(kind)
        return phase is not None and phase.is_active_at(now)

    def is_voting_open(self, now: datetime.datetime | None = None) -> bool:
        return self.is_phase_open(PhaseKind.VOTING, now)

    def has_voting_started(self, now: datetime.datetime | None = None) -> bool:
        phase = self.phase(PhaseKind.VOTING)
        return phase is not None and not phase.is_upcoming_at(now)

    def is_voting_over(self, now: datetime.datetime | None = None) -> bool:
        """The vote is closed, or the process has no vote on the platform (imported results)."""
        phase = self.phase(PhaseKind.VOTING)
        return phase is None or phase.is_finished_at(now)


class BudgetPhase(DatedPhase):
    process = models.ForeignKey(
        BudgetProcess, verbose_name=_("process"), on_delete=models.CASCADE, related_name="phases"
    )
    kind = models.CharField(_("phase"), max_length=32, choices=PhaseKind.choices)
    description = models.TextField(_("description"), blank=True)
    enabled = models.BooleanField(
        _("enabled"), default=True, help_text=_("Untick to skip this phase: it no longer appears nor opens.")
    )

    objects = BudgetPhaseQuerySet.as_manager()

    class Meta(DatedPhase.Meta):
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            *DatedPhase.Meta.constraints,
            models.UniqueConstraint(fields=["process", "kind"], name="budgets_phase_unique_kind"),
        ]
        indexes = [
            # The home page and the "open now" filters (PhaseQuerySet.active).
            models.Index(fields=["starts_at", "ends_at"], name="budgets_phase_dates_idx"),
        ]


class Budget(models.Model):
    process = models.ForeignKey(
        BudgetProcess, verbose_name=_("process"), on_delete=models.CASCADE, related_name="budgets"
    )
    slug = models.SlugField(_("slug"), max_length=120)
    name = models.CharField(_("name"), max_length=200)
    district = models.ForeignKey(
        "territory.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budgets",
        help_text=_("Leave empty for a city-wide budget."),
    )
    # Whole euros.
    amount = models.PositiveBigIntegerField(_("amount (euros)"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        # City-wide budget first, then districts by name.
        ordering = [models.F("district").asc(nulls_first=True), "name"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint(fields=["process", "slug"], name="budgets_budget_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_citywide(self) -> bool:
        return self.district_id is None


class Category(models.Model):
    process = models.ForeignKey(
        BudgetProcess, verbose_name=_("process"), on_delete=models.CASCADE, related_name="categories"
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["process", "slug"], name="budgets_category_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class Project(Moderatable):
    process = models.ForeignKey(
        BudgetProcess, verbose_name=_("process"), on_delete=models.CASCADE, related_name="projects"
    )
    budget = models.ForeignKey(Budget, verbose_name=_("budget"), on_delete=models.PROTECT, related_name="projects")
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Whole euros: `cost` as estimated by the proposer, `final_cost` as set by the review.
    cost = models.PositiveBigIntegerField(_("estimated cost (euros)"))
    final_cost = models.PositiveBigIntegerField(_("cost after review (euros)"), null=True, blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    district = models.ForeignKey(
        "territory.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="budget_projects",
    )
    address = models.CharField(_("address or place"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="budget_projects",
    )
    # The Pabulib project_id of an imported project; blank for projects proposed here.
    external_id = models.CharField(_("external identifier"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.SUBMITTED
    )
    review_reason = models.TextField(_("public review reason"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_projects",
    )
    # Implementation progress, 0-100, copied from the latest milestone.
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    created_at = models.DateTimeField(_("submitted on"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        permissions = [
            ("review_project", _("Can review budget projects (technical evaluator)")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "external_id"],
                condition=~Q(external_id=""),
                name="budgets_project_unique_external_id",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="budgets_project_progress_le_100"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="budgets_project_lat_lng_together",
            ),
        ]
        indexes = [
            # Project list filters (selectors.project_list): process + status, newest first.
            models.Index(fields=["process", "status", "-created_at"], name="budgets_project_list_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budgets:project", kwargs={"slug": self.process.slug, "public_id": self.public_id})

    def clean(self) -> None:
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": _("Give both the latitude and the longitude, or neither.")})
        if self.budget_id and self.process_id and self.budget.process_id != self.process_id:
            raise ValidationError({"budget": _("This budget belongs to another process.")})

    @property
    def ballot_cost(self) -> int:
        """The cost voters see and the tally uses: the reviewed cost when there is one."""
        return self.final_cost if self.final_cost is not None else self.cost

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def is_on_ballot(self) -> bool:
        """On the ballot: shortlisted (or feasible when there is no shortlist), and kept after the vote."""
        if self.status in VOTED_STATUSES:
            return True
        if self.process.has_phase(PhaseKind.SHORTLIST):
            return self.status == ProjectStatus.SHORTLISTED
        return self.status in (ProjectStatus.FEASIBLE, ProjectStatus.SHORTLISTED)

    @property
    def is_implemented(self) -> bool:
        return self.status in IMPLEMENTATION_STATUSES

    def accepts_comments(self) -> bool:
        """The discussion stays open while the project is alive (forums reads this)."""
        return not self.is_hidden and self.status not in (ProjectStatus.MERGED, ProjectStatus.WITHDRAWN)

    def get_moderation_space(self) -> models.Model | None:
        return self.process

    def get_moderation_preview(self) -> str:
        return f"{self.title}\n\n{self.summary}\n\n{self.description}".strip()

    @classmethod
    def get_moderation_queryset(cls) -> models.QuerySet:
        return cls._default_manager.select_related("author", "process")


def project_photo_path(instance: ProjectPhoto, filename: str) -> str:
    # A random name: the uploaded file name may carry personal data and must not be guessable.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"budgets/projects/{uuid.uuid4().hex}.{extension}"


class ProjectPhoto(models.Model):
    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=project_photo_path)
    alt_text = models.CharField(
        _("description of the photo"),
        max_length=250,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("added on"), default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("project photo")
        verbose_name_plural = _("project photos")

    def __str__(self) -> str:
        return self.alt_text


class Support(models.Model):
    """A resident's support for a feasible project during the shortlist phase."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="budget_supports"
    )
    created_at = models.DateTimeField(_("supported on"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            # One support per person per project, even under concurrent clicks.
            models.UniqueConstraint(fields=["project", "user"], name="budgets_support_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.project}"


def milestone_photo_path(instance: Milestone, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"budgets/milestones/{uuid.uuid4().hex}.{extension}"


class Milestone(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    status = models.CharField(
        _("status"), max_length=120, blank=True, help_text=_('In a few words, e.g. "Works started".')
    )
    photo = models.ImageField(_("photo"), upload_to=milestone_photo_path, blank=True)
    photo_alt_text = models.CharField(_("description of the photo"), max_length=250, blank=True)
    created_at = models.DateTimeField(_("added on"), default=timezone.now)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="budgets_milestone_progress_le_100"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.photo and not self.photo_alt_text:
            raise ValidationError({"photo_alt_text": _("Describe the photo for people who cannot see it.")})
