"""Who may take part: one policy object for every participation tool.

Each process (budget vote, petition, consultation, jury) declares a policy:
a minimum verification level, optionally a set of districts and a minimum
age. `EligibilityPolicy.check(user, today=...)` answers "may this person take
part here?" and, when the answer is no, says why in one plain sentence with a
link to what the person can do about it. The phase of the process and "has
already taken part" stay with each tool: they are facts about the process,
not about the person.

Models reuse the fields through `EligibilityFields` (an abstract model) and
get their policy from `eligibility_policy()`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from civicplatform.accounts.models import VerificationLevel


class Refusal(models.TextChoices):
    """Why a person may not take part: stable codes for templates and tests."""

    NONE = "", _("Allowed")
    LOGIN = "login", _("Not logged in")
    INACTIVE = "inactive", _("Account closed")
    EMAIL = "email", _("E-mail not confirmed")
    RESIDENT = "resident", _("Not a verified resident")
    ELECTOR = "elector", _("Not a registered elector")
    DISTRICT = "district", _("Other district")
    BIRTH_YEAR = "birth_year", _("Birth year unknown")
    AGE = "age", _("Too young")


@dataclass(frozen=True)
class Decision:
    """The answer to "may this person take part?", with a sentence and a way forward."""

    allowed: bool
    reason: str = ""
    code: str = Refusal.NONE
    link_url: str = ""
    link_label: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(allowed=True)


@dataclass(frozen=True)
class EligibilityPolicy:
    """Conditions a person must meet to take part in one process.

    `districts` holds District ids; None means the whole municipality.
    `min_age` is reached during the calendar year: we only know birth years
    (asking for a full birth date would collect more than we need), so a person
    born in 2010 may take part in a "16 and over" vote from 1 January 2026.
    """

    min_level: int = VerificationLevel.EMAIL
    districts: frozenset[int] | None = None
    min_age: int | None = None
    # District names for the refusal sentence; looked up on refusal when empty.
    district_names: tuple[str, ...] = field(default=(), compare=False)

    def check(self, user, *, today: datetime.date) -> Decision:
        """Decide for `user` (possibly anonymous) on the day `today`."""
        if user is None or not user.is_authenticated:
            return Decision(
                allowed=False,
                code=Refusal.LOGIN,
                reason=gettext("Log in to take part."),
                link_url=reverse("account_login"),
                link_label=gettext("Log in"),
            )
        if not user.is_active or getattr(user, "erased_at", None):
            return Decision(
                allowed=False,
                code=Refusal.INACTIVE,
                reason=gettext("This account is closed and can no longer take part."),
            )
        level = user.verification_level or VerificationLevel.NONE
        if level < self.min_level:
            return self._level_refusal(level)
        if self.districts is not None and user.district_id not in self.districts:
            return Decision(
                allowed=False,
                code=Refusal.DISTRICT,
                reason=gettext("This participation is reserved for residents %(districts)s.")
                % {"districts": self.district_phrase()},
                link_url=reverse("verification:start"),
                link_label=gettext("Check my district"),
            )
        if self.min_age is not None:
            if not user.birth_year:
                return Decision(
                    allowed=False,
                    code=Refusal.BIRTH_YEAR,
                    reason=ngettext(
                        "This participation is open from the age of %(age)d: give your birth year in your profile.",
                        "This participation is open from the age of %(age)d: give your birth year in your profile.",
                        self.min_age,
                    )
                    % {"age": self.min_age},
                    link_url=reverse("accounts:profile"),
                    link_label=gettext("My account"),
                )
            if today.year - user.birth_year < self.min_age:
                return Decision(
                    allowed=False,
                    code=Refusal.AGE,
                    reason=ngettext(
                        "You must be at least %(age)d year old.",
                        "You must be at least %(age)d years old.",
                        self.min_age,
                    )
                    % {"age": self.min_age},
                )
        return ALLOWED

    def _level_refusal(self, level: int) -> Decision:
        verify_url = reverse("verification:start")
        verify_label = gettext("Verify my residence")
        if level < VerificationLevel.EMAIL:
            return Decision(
                allowed=False,
                code=Refusal.EMAIL,
                reason=gettext("Confirm your e-mail address to take part."),
                link_url=reverse("account_email"),
                link_label=gettext("Confirm my e-mail address"),
            )
        if self.min_level >= VerificationLevel.ELECTOR:
            return Decision(
                allowed=False,
                code=Refusal.ELECTOR,
                reason=gettext(
                    "This participation is reserved for voters registered on the electoral list of the municipality."
                ),
                link_url=verify_url,
                link_label=gettext("Verify that I am registered"),
            )
        if self.districts is not None:
            reason = gettext("This participation is reserved for verified residents %(districts)s.") % {
                "districts": self.district_phrase()
            }
        else:
            reason = gettext("This participation is reserved for verified residents of the municipality.")
        return Decision(
            allowed=False, code=Refusal.RESIDENT, reason=reason, link_url=verify_url, link_label=verify_label
        )

    def district_phrase(self) -> str:
        names = list(self.district_names)
        if not names and self.districts:
            from civicplatform.territory.models import District

            names = list(District.objects.filter(pk__in=self.districts).order_by("name").values_list("name", flat=True))
        # The phrase carries its own "of": French contracts it ("du quartier", "des quartiers").
        if len(names) == 1:
            return gettext("of the %(name)s district") % {"name": names[0]}
        if not names:
            return gettext("of the selected districts")
        return gettext("of the districts %(names)s") % {"names": ", ".join(names)}


def policy_for(
    *,
    min_level: int = VerificationLevel.EMAIL,
    districts: Iterable | None = None,
    min_age: int | None = None,
) -> EligibilityPolicy:
    """Build a policy from District objects or ids (None or empty: the whole municipality)."""
    if not districts:
        return EligibilityPolicy(min_level=min_level, min_age=min_age)
    items = list(districts)
    ids = frozenset(getattr(item, "pk", item) for item in items)
    names = tuple(sorted(item.name for item in items if hasattr(item, "name")))
    return EligibilityPolicy(
        min_level=min_level,
        districts=ids,
        min_age=min_age,
        district_names=names if len(names) == len(ids) else (),
    )


class EligibilityFields(models.Model):
    """Abstract fields a participation process uses to declare who may take part.

    Subclasses get `restricted_districts` (empty: the whole municipality) and
    build their policy with `eligibility_policy()`; prefetch
    `restricted_districts` on list pages.
    """

    min_verification_level = models.PositiveSmallIntegerField(
        _("who may take part"),
        choices=VerificationLevel.choices,
        default=VerificationLevel.RESIDENT,
        help_text=_("The minimum verification a person needs to take part."),
    )
    min_age = models.PositiveSmallIntegerField(
        _("minimum age"),
        null=True,
        blank=True,
        help_text=_("Counted in years reached during the calendar year. Leave empty for no age limit."),
    )
    restricted_districts = models.ManyToManyField(
        "territory.District",
        verbose_name=_("restricted to districts"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty to open it to the whole municipality."),
    )

    class Meta:
        abstract = True

    def eligibility_policy(self) -> EligibilityPolicy:
        districts = list(self.restricted_districts.all()) if self.pk else []
        return policy_for(min_level=self.min_verification_level, districts=districts, min_age=self.min_age)


def eligibility_summary(policy: EligibilityPolicy) -> str:
    """One sentence describing who may take part, for process pages."""
    opening = {
        VerificationLevel.NONE: gettext("Open to everyone with an account"),
        VerificationLevel.EMAIL: gettext("Open to everyone with a confirmed e-mail address"),
        VerificationLevel.RESIDENT: gettext("Open to verified residents"),
        VerificationLevel.ELECTOR: gettext("Open to registered voters"),
    }[VerificationLevel(policy.min_level)]
    parts = [opening]
    if policy.districts is not None:
        parts.append(policy.district_phrase())
    if policy.min_age:
        parts.append(ngettext("aged %(age)d or over", "aged %(age)d or over", policy.min_age) % {"age": policy.min_age})
    return " ".join(parts) + "."
