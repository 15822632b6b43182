"""The seated jury's workspace: who sits (a confirmed volunteer linked to an account), the sessions
with their agenda, briefing materials and expert hearings, and the members' written questions to
experts. The members-only forum is a `forums.Forum` linked from the jury (`Jury.forum`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .recruitment import Jury, Registrant, RegistrantStatus


class SeatQuerySet(models.QuerySet):
    def current(self) -> SeatQuerySet:
        """Seats whose member sits now: not ended, and still a confirmed member."""
        return self.filter(ended_at__isnull=True, registrant__status=RegistrantStatus.CONFIRMED)


class Seat(models.Model):
    """A confirmed volunteer's seat, once they have linked it to their account to enter the workspace.

    Volunteers need no account to register; a seated member gets one (or uses theirs) to work with
    the others. One account per seat and one seat per account and jury, enforced by the database.
    """

    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="seats")
    registrant = models.OneToOneField(Registrant, on_delete=models.CASCADE, related_name="seat")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jury_seats")
    linked_at = models.DateTimeField(auto_now_add=True)
    # Set when the member leaves the panel (withdrawn or replaced): the history stays, access ends.
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = SeatQuerySet.as_manager()

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [models.UniqueConstraint(fields=["jury", "user"], name="jury_seat_one_per_user")]

    def __str__(self) -> str:
        return f"{self.jury} – {self.registrant.pseudonym}"


class JurySession(models.Model):
    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), help_text=_("One item per line."))
    # Written after the session; published on the jury's public page with the agenda.
    summary = models.TextField(_("summary of the session"), blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="jury_session_ends_after"
            )
        ]
        indexes = [models.Index(fields=["jury", "starts_at"], name="jury_session_jury_start")]

    def __str__(self) -> str:
        return self.title

    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class BriefingMaterial(models.Model):
    """A document given to the jury: a file or a link, with a plain summary. Public unless staff
    keep it to the members (a draft, a document under copyright)."""

    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="materials")
    session = models.ForeignKey(
        JurySession,
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="materials",
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    file = models.FileField(_("file"), upload_to="juries/materials/%Y/", blank=True)
    url = models.URLField(_("link"), blank=True)
    is_public = models.BooleanField(_("published on the public page"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("briefing material")
        verbose_name_plural = _("briefing materials")

    def __str__(self) -> str:
        return self.title


class ExpertHearing(models.Model):
    """An expert or stakeholder heard by the jury during a session, with their declared interests."""

    session = models.ForeignKey(
        JurySession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="hearings"
    )
    expert_name = models.CharField(_("expert"), max_length=200)
    affiliation = models.CharField(_("organisation or role"), max_length=200, blank=True)
    topic = models.CharField(_("topic"), max_length=300)
    interests = models.TextField(_("declaration of interests"), blank=True)
    recording_url = models.URLField(_("recording or slides"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["session__starts_at", "order", "id"]
        verbose_name = _("expert hearing")
        verbose_name_plural = _("expert hearings")

    def __str__(self) -> str:
        return f"{self.expert_name} – {self.topic}"


class ExpertQuestion(models.Model):
    """A member's written question to an expert; staff type in the expert's written answer.

    The member is kept (to tell them the answer arrived) but never shown: the workspace and the
    public page say "a member of the jury".
    """

    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="expert_questions")
    hearing = models.ForeignKey(
        ExpertHearing,
        verbose_name=_("hearing"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    addressed_to = models.CharField(_("addressed to"), max_length=200)
    text = models.TextField(_("question"), max_length=2000)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="jury_expert_questions"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("written answer"), blank=True)
    answered_by_name = models.CharField(_("answered by"), max_length=200, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    is_public = models.BooleanField(_("published on the public page"), default=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
        verbose_name = _("question to an expert")
        verbose_name_plural = _("questions to experts")
        indexes = [models.Index(fields=["jury", "asked_at"], name="jury_question_jury_asked")]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
