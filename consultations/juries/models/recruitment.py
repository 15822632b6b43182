from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicplatform.core.phases import DatedPhase

# Response codes avoid characters that are easy to confuse on paper (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_response_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def new_pseudonym() -> str:
    return "P-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


class JuryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RECRUITING = "recruiting", _("Recruitment")
    SELECTING = "selecting", _("Selection by lot")
    DELIBERATING = "deliberating", _("Deliberation")
    REPORTED = "reported", _("Report delivered")
    RESPONDED = "responded", _("Authority has responded")


class JuryQuerySet(models.QuerySet):
    def visible_to(self, user) -> JuryQuerySet:
        """Published juries, and every jury for staff (used by generic views such as "follow")."""
        if getattr(user, "is_authenticated", False) and user.has_perm("juries.manage_jury"):
            return self
        return self.filter(published=True)


class Jury(models.Model):
    """A citizen jury or citizens' assembly convened on one question the authority commits to answer."""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("question put to the jury"))
    remit = models.TextField(_("remit"), help_text=_("What the jury is asked to do, and within which limits."))
    out_of_scope = models.TextField(_("out of scope"), blank=True)
    commissioner = models.CharField(_("commissioned by"), max_length=200)
    commitment = models.TextField(
        _("commitment to respond"), help_text=_("How and when the authority will answer each recommendation.")
    )
    panel_size = models.PositiveSmallIntegerField(_("panel size"))
    oversight_group = models.TextField(_("oversight group"), blank=True, help_text=_("One member per line."))
    status = models.CharField(_("status"), max_length=16, choices=JuryStatus.choices, default=JuryStatus.DRAFT)
    published = models.BooleanField(_("published"), default=False)
    # The members-only forum of the seated jury (created with the workspace, see services).
    forum = models.OneToOneField(
        "forums.Forum", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="jury"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = JuryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("citizen jury")
        verbose_name_plural = _("citizen juries")
        constraints = [models.CheckConstraint(condition=models.Q(panel_size__gte=2), name="jury_panel_size_min")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("juries:detail", args=[self.slug])

    def oversight_members(self) -> list[str]:
        return [line.strip() for line in self.oversight_group.splitlines() if line.strip()]


class JuryPhaseKind(models.TextChoices):
    RECRUITMENT = "recruitment", _("Registration of volunteers")
    SELECTION = "selection", _("Selection by lot")
    SESSIONS = "sessions", _("Jury sessions")
    RESPONSE = "response", _("Response of the authority")


class JuryPhase(DatedPhase):
    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=32, choices=JuryPhaseKind.choices)

    class Meta(DatedPhase.Meta):
        verbose_name = _("phase")
        verbose_name_plural = _("timeline")
        constraints = [
            *DatedPhase.Meta.constraints,
            models.UniqueConstraint(fields=["jury", "kind"], name="jury_phase_unique_kind"),
        ]
        indexes = [models.Index(fields=["jury", "starts_at"], name="jury_phase_jury_start")]


class Feature(models.Model):
    """A stratification question (age band, gender, district, education, or one staff define)."""

    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="features")
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("question"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("stratification feature")
        verbose_name_plural = _("stratification features")
        constraints = [models.UniqueConstraint(fields=["jury", "key"], name="jury_feature_unique_key")]

    def __str__(self) -> str:
        return self.label


class FeatureValue(models.Model):
    """One answer to a feature, with its census share and the quota (min-max seats) on the panel."""

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="values")
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("answer"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    census_share = models.DecimalField(_("census share (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    min_seats = models.PositiveSmallIntegerField(_("minimum seats"), default=0)
    max_seats = models.PositiveSmallIntegerField(_("maximum seats"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("answer and quota")
        verbose_name_plural = _("answers and quotas")
        constraints = [
            models.UniqueConstraint(fields=["feature", "key"], name="jury_value_unique_key"),
            models.CheckConstraint(
                condition=models.Q(min_seats__lte=models.F("max_seats")), name="jury_value_min_le_max"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class InvitationBatch(models.Model):
    """Addresses drawn at random from an imported list; only the drawn ones are stored."""

    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="batches")
    source_name = models.CharField(_("source list"), max_length=200)
    source_count = models.PositiveIntegerField(_("addresses in the list"))
    source_sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("letters"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation batch")
        verbose_name_plural = _("invitation batches")

    def __str__(self) -> str:
        return f"{self.jury} – {self.size}"


class Invitation(models.Model):
    batch = models.ForeignKey(InvitationBatch, on_delete=models.CASCADE, related_name="invitations")
    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="invitations")
    response_code = models.CharField(max_length=10, unique=True, default=new_response_code)
    addressee = models.CharField(_("addressee"), max_length=200, blank=True)
    address_line = models.CharField(_("address"), max_length=250)
    postcode = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("city"), max_length=120)
    # Keyed hash of the normalised address: one household, one letter, at most one seat.
    household_key = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["jury", "household_key"], name="jury_invitation_one_per_household"),
        ]

    def __str__(self) -> str:
        return self.response_code


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    PHONE = "phone", _("Telephone (entered by staff)")


class RegistrantStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    SELECTED = "selected", _("Selected")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Registrant(models.Model):
    """A volunteer in the pool: contact details kept for staff, a pseudonym for everything public."""

    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="registrants")
    invitation = models.ForeignKey(Invitation, on_delete=models.PROTECT, related_name="registrants")
    pseudonym = models.CharField(max_length=12, default=new_pseudonym)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    answers = models.JSONField(default=dict)
    consent_at = models.DateTimeField(_("consent given on"))
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.WEB)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=RegistrantStatus.choices, default=RegistrantStatus.REGISTERED)
    # Claimed before the "you have been drawn" e-mail is sent, so a redelivered task sends it once.
    notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["jury", "pseudonym"], name="jury_registrant_unique_pseudonym"),
            # The same person cannot register twice from one invited address.
            models.UniqueConstraint(
                models.functions.Lower("first_name"),
                models.functions.Lower("last_name"),
                "invitation",
                name="jury_registrant_once_per_invitation",
            ),
        ]
        indexes = [models.Index(fields=["jury", "status"], name="jury_registrant_status")]

    def __str__(self) -> str:
        return self.pseudonym

    @property
    def household_label(self) -> str:
        """Pseudonymous household id for published files (the invitation's code would identify the letter)."""
        from ..sortition.draw import sha256_hex

        return "H-" + sha256_hex(f"{self.jury_id}:{self.invitation.household_key}")[:10]


class RunStatus(models.TextChoices):
    COMMITTED = "committed", _("Inputs published")
    RUNNING = "running", _("Computing")
    COMPUTED = "computed", _("Panels published, waiting for the draw")
    DRAWN = "drawn", _("Drawn")
    FAILED = "failed", _("Failed")


class SelectionRun(models.Model):
    """One selection by lot: its published inputs, the fair distribution, the m panels and the draw."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="runs")
    algorithm = models.CharField(_("algorithm"), max_length=16, default="maximin")
    panel_size = models.PositiveSmallIntegerField(_("seats to fill"))
    lottery_size = models.PositiveIntegerField(_("number of equally likely panels"), default=1000)
    is_replacement = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.COMMITTED)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    # Published files (canonical text) and their hashes.
    pool_csv = models.TextField()
    quotas_csv = models.TextField()
    settings_json = models.TextField()
    commitment = models.CharField(max_length=64)
    panels_json = models.TextField(blank=True)
    panels_sha256 = models.CharField(max_length=64, blank=True)
    # Results.
    min_probability = models.FloatField(null=True)
    legacy_min_probability = models.FloatField(null=True)
    legacy_probabilities = models.JSONField(default=dict, blank=True)
    randomness_json = models.TextField(blank=True)
    panel_number = models.PositiveIntegerField(null=True)
    selected = models.JSONField(default=list, blank=True)
    witnesses = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    computed_at = models.DateTimeField(null=True)
    drawn_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("selection by lot")
        verbose_name_plural = _("selections by lot")

    def __str__(self) -> str:
        return f"{self.jury} – {self.created_at:%Y-%m-%d}"
