"""Ballot forms, one class per ballot type, each with its limits.

A form validates the choices and turns them into what the ballot stores::

    {"projects": [project pk, ...]}                        knapsack, approval (any order)
    {"projects": [pk, ...]}                                ranked (best first)
    {"projects": [pk, ...], "points": [n, ...]}            cumulative (most points first)

Options are identified by the project's public UUID in the page, never by its
sequential id. Every form can say how much of the budget (or of the points) the
current choices use, even when they are invalid: the "remaining budget" meter is
recomputed by the server on "Check my ballot" so it works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from budgets.models import BallotType, Budget, BudgetProcess, Project
from civicplatform.ballots.receipts import receipt_normalise

RANK_FIELD = "rank_%d"
POINTS_FIELD = "points_%s"


def _euros(amount: int) -> str:
    return _("%(amount)s €") % {"amount": number_format(amount, force_grouping=True)}


@dataclass(frozen=True)
class Meter:
    """How much of the ballot's allowance the choices use: money, points or projects."""

    kind: str  # "money", "points" or "count"
    total: int | None
    used: int

    @property
    def remaining(self) -> int | None:
        return None if self.total is None else self.total - self.used

    @property
    def over(self) -> bool:
        return self.total is not None and self.used > self.total

    def describe(self) -> str:
        """One sentence; ballot.js writes the same sentences from `texts()` as the choices change."""
        if self.kind == "count":
            return self.texts()["left"].replace("{n}", number_format(self.used))
        if self.over:
            return self.texts()["over"].replace("{n}", number_format(self.used - self.total, force_grouping=True))
        return self.texts()["left"].replace("{n}", number_format(self.remaining, force_grouping=True))

    def texts(self) -> dict[str, str]:
        """The meter's sentences with "{n}" where the number goes (no plural forms needed)."""
        if self.kind == "money":
            amount = str(_("%(amount)s €") % {"amount": "{n}"})
            return {
                "left": str(_("Remaining budget: %(amount)s.") % {"amount": amount}),
                "over": str(_("Over budget by %(amount)s.") % {"amount": amount}),
            }
        if self.kind == "points":
            return {
                "left": str(_("Points left to give: %(count)s.") % {"count": "{n}"}),
                "over": str(_("Points over the limit: %(count)s.") % {"count": "{n}"}),
            }
        if self.total is None:
            return {"left": str(_("Projects chosen: %(count)s.") % {"count": "{n}"}), "over": ""}
        text = str(_("Projects chosen: %(count)s out of %(total)s at most.") % {"count": "{n}", "total": self.total})
        return {"left": text, "over": text}


class ProjectCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose labels show the cost, with data-cost for the live meter."""

    option_template_name = "budgets/voting/_ballot_option.html"

    def __init__(self, *args: Any, projects: dict[str, Project] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.projects = projects or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):  # noqa: PLR0913
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        project = self.projects.get(str(value))
        if project is not None:
            option["attrs"]["data-cost"] = project.ballot_cost
            option["project"] = project
        return option


class ReceiptField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Your receipt code"))
        kwargs.setdefault("help_text", _("The code you were given when you voted, such as K7QF-2M9X-HT4P-W8CZ."))
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "class": "receipt-input"}
        )

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if value and receipt_normalise(value) is None:
            raise ValidationError(
                _("A receipt code has 16 letters and digits, such as K7QF-2M9X-HT4P-W8CZ."), code="receipt"
            )
        return receipt_normalise(value) if value else value


class BallotForm(forms.Form):
    """Common ground of the ballot forms; subclasses add their fields and limits."""

    ballot_type: ClassVar[str]

    def __init__(
        self,
        data: Any = None,
        *,
        process: BudgetProcess,
        budget: Budget,
        projects: Sequence[Project],
        with_receipt: bool = False,
        validate_ballot: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.validate_ballot = validate_ballot
        self.process = process
        self.budget = budget
        self.projects = list(projects)
        self.by_public_id = {str(project.public_id): project for project in self.projects}
        self.by_pk = {project.pk: project for project in self.projects}
        if with_receipt:
            self.fields["receipt"] = ReceiptField()
        self.add_ballot_fields()

    # -- what subclasses provide
    def add_ballot_fields(self) -> None:
        raise NotImplementedError

    def chosen_projects(self) -> list[Project]:
        """The projects the submitted (or initial) data names, valid or not, for the meter."""
        raise NotImplementedError

    def meter(self) -> Meter | None:
        return None

    def clean_ballot(self, data: dict[str, Any]) -> None:
        """The ballot type's limits; runs after the fields are clean."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["chosen"] = self.chosen_from_cleaned(data)
        # "Show my current ballot" only needs the receipt: no limit applies to what is on screen.
        if self.validate_ballot and not self.errors:
            self.clean_ballot(data)
        return data

    def chosen_from_cleaned(self, data: dict[str, Any]) -> list[Project]:
        raise NotImplementedError

    def _value(self, name: str) -> Any:
        """A field's raw value: submitted when the form is bound, else its initial value."""
        if self.is_bound:
            return self.data.get(self.add_prefix(name), "")
        return self.initial.get(name, "")

    def _values(self, name: str) -> list[str]:
        if self.is_bound:
            return self.data.getlist(self.add_prefix(name)) if hasattr(self.data, "getlist") else []
        return list(self.initial.get(name, []))

    @classmethod
    def initial_from(cls, choices: dict[str, Any], projects: Sequence[Project]) -> dict[str, Any]:
        """Form initial data showing a stored ballot (to change it)."""
        raise NotImplementedError

    def ballot_choices(self) -> dict[str, Any]:
        """What the ballot stores; call after is_valid()."""
        return {"projects": [project.pk for project in self.cleaned_data["chosen"]]}

    # -- shared helpers
    @property
    def min_projects(self) -> int:
        return max(self.process.min_projects or 1, 1)

    @property
    def max_projects(self) -> int | None:
        return self.process.max_projects

    def _check_count(self, count: int, field: str | None) -> None:
        if count < self.min_projects:
            self.add_error(
                field,
                ngettext(
                    "Choose at least %(min)d project.",
                    "Choose at least %(min)d projects.",
                    self.min_projects,
                )
                % {"min": self.min_projects},
            )
        elif self.max_projects is not None and count > self.max_projects:
            self.add_error(
                field,
                ngettext(
                    "Choose at most %(max)d project (you chose %(count)d).",
                    "Choose at most %(max)d projects (you chose %(count)d).",
                    self.max_projects,
                )
                % {"max": self.max_projects, "count": count},
            )


class _CheckboxBallotForm(BallotForm):
    def add_ballot_fields(self) -> None:
        self.fields["projects"] = forms.MultipleChoiceField(
            label=_("Projects"),
            required=False,
            choices=[(str(project.public_id), project.title) for project in self.projects],
            widget=ProjectCheckboxes(projects=self.by_public_id),
            error_messages={"invalid_choice": _("One of the chosen projects is not on this ballot any more.")},
        )

    def chosen_projects(self) -> list[Project]:
        raw = self._values("projects")
        return [self.by_public_id[value] for value in dict.fromkeys(raw) if value in self.by_public_id]

    def chosen_from_cleaned(self, data: dict[str, Any]) -> list[Project]:
        return [self.by_public_id[value] for value in data.get("projects", [])]

    @classmethod
    def initial_from(cls, choices: dict[str, Any], projects: Sequence[Project]) -> dict[str, Any]:
        by_pk = {project.pk: project for project in projects}
        return {"projects": [str(by_pk[pk].public_id) for pk in choices.get("projects", []) if pk in by_pk]}

    def clean_ballot(self, data: dict[str, Any]) -> None:
        self._check_count(len(data["chosen"]), "projects")


class KnapsackBallotForm(_CheckboxBallotForm):
    """Choose projects whose total cost fits in the budget."""

    ballot_type = BallotType.KNAPSACK

    def add_ballot_fields(self) -> None:
        super().add_ballot_fields()
        self.fields["projects"].help_text = _("Choose the projects you want, up to a total of %(amount)s.") % {
            "amount": _euros(self.budget.amount)
        }

    def meter(self) -> Meter:
        return Meter(
            kind="money",
            total=self.budget.amount,
            used=sum(project.ballot_cost for project in self.chosen_projects()),
        )

    def clean_ballot(self, data: dict[str, Any]) -> None:
        super().clean_ballot(data)
        total = sum(project.ballot_cost for project in data["chosen"])
        if total > self.budget.amount and "projects" not in self.errors:
            self.add_error(
                "projects",
                _(
                    "Your projects cost %(total)s, %(over)s more than the budget of %(amount)s: untick a project "
                    "to fit in the budget."
                )
                % {
                    "total": _euros(total),
                    "over": _euros(total - self.budget.amount),
                    "amount": _euros(self.budget.amount),
                },
            )


class ApprovalBallotForm(_CheckboxBallotForm):
    """Approve between a minimum and a maximum number of projects."""

    ballot_type = BallotType.APPROVAL

    def add_ballot_fields(self) -> None:
        super().add_ballot_fields()
        if self.max_projects:
            help_text = _("Choose from %(min)d to %(max)d projects.") % {
                "min": self.min_projects,
                "max": self.max_projects,
            }
        else:
            help_text = ngettext(
                "Choose at least %(min)d project.", "Choose at least %(min)d projects.", self.min_projects
            ) % {"min": self.min_projects}
        self.fields["projects"].help_text = help_text

    def meter(self) -> Meter:
        return Meter(kind="count", total=self.max_projects, used=len(self.chosen_projects()))


class CumulativeBallotForm(BallotForm):
    """Spread a number of points between projects, with a maximum per project."""

    ballot_type = BallotType.CUMULATIVE

    @property
    def points_total(self) -> int:
        return self.process.points_total or 0

    @property
    def max_per_project(self) -> int:
        return self.process.max_points_per_project or self.points_total

    def add_ballot_fields(self) -> None:
        for project in self.projects:
            field = forms.IntegerField(
                label=project.title,
                required=False,
                min_value=0,
                max_value=self.max_per_project,
                help_text=_euros(project.ballot_cost),
                error_messages={
                    "max_value": _("At most %(limit_value)s points per project."),
                    "min_value": _("Points cannot be negative."),
                    "invalid": _("Enter a whole number of points."),
                },
            )
            field.widget.attrs.update({"data-points": "", "inputmode": "numeric"})
            self.fields[POINTS_FIELD % project.public_id] = field

    def _raw_points(self) -> list[tuple[Project, int]]:
        pairs = []
        for project in self.projects:
            raw = self._value(POINTS_FIELD % project.public_id)
            try:
                value = int(str(raw).strip() or 0)
            except ValueError:
                continue
            if value > 0:
                pairs.append((project, value))
        return pairs

    def chosen_projects(self) -> list[Project]:
        return [project for project, _points in self._raw_points()]

    def meter(self) -> Meter:
        return Meter(
            kind="points", total=self.points_total, used=sum(points for _project, points in self._raw_points())
        )

    @classmethod
    def initial_from(cls, choices: dict[str, Any], projects: Sequence[Project]) -> dict[str, Any]:
        by_pk = {project.pk: project for project in projects}
        return {
            POINTS_FIELD % by_pk[pk].public_id: points
            for pk, points in zip(choices.get("projects", []), choices.get("points", []), strict=False)
            if pk in by_pk
        }

    def chosen_from_cleaned(self, data: dict[str, Any]) -> list[Project]:
        given = [
            (project, data.get(POINTS_FIELD % project.public_id) or 0)
            for project in self.projects
            if (data.get(POINTS_FIELD % project.public_id) or 0) > 0
        ]
        # Most points first (the pabulib order), then the ballot's own order.
        given.sort(key=lambda pair: -pair[1])
        data["points"] = [points for _project, points in given]
        return [project for project, _points in given]

    def clean_ballot(self, data: dict[str, Any]) -> None:
        used = sum(data["points"])
        if used == 0:
            self.add_error(None, _("Give at least one point to a project."))
        elif used > self.points_total:
            self.add_error(
                None,
                _("You gave %(used)d points but you have %(total)d: take %(over)d away.")
                % {"used": used, "total": self.points_total, "over": used - self.points_total},
            )
        else:
            self._check_count(len(data["chosen"]), None)

    def ballot_choices(self) -> dict[str, Any]:
        return {
            "projects": [project.pk for project in self.cleaned_data["chosen"]],
            "points": list(self.cleaned_data["points"]),
        }


class RankedBallotForm(BallotForm):
    """Rank up to k projects, best first."""

    ballot_type = BallotType.RANKED

    @property
    def rank_k(self) -> int:
        return min(self.process.rank_k or len(self.projects), len(self.projects)) or 1

    def add_ballot_fields(self) -> None:
        options = [("", _("— no project —"))] + [(str(project.public_id), project.title) for project in self.projects]
        for rank in range(1, self.rank_k + 1):
            self.fields[RANK_FIELD % rank] = forms.ChoiceField(
                label=_("Choice number %(rank)d") % {"rank": rank},
                required=False,
                choices=options,
                error_messages={"invalid_choice": _("This project is not on this ballot any more.")},
            )

    def _raw_ranking(self) -> list[str]:
        return [str(self._value(RANK_FIELD % rank)) for rank in range(1, self.rank_k + 1)]

    def chosen_projects(self) -> list[Project]:
        return [self.by_public_id[value] for value in dict.fromkeys(self._raw_ranking()) if value in self.by_public_id]

    def meter(self) -> Meter:
        return Meter(kind="count", total=self.rank_k, used=len(self.chosen_projects()))

    @classmethod
    def initial_from(cls, choices: dict[str, Any], projects: Sequence[Project]) -> dict[str, Any]:
        by_pk = {project.pk: project for project in projects}
        ranked = [by_pk[pk] for pk in choices.get("projects", []) if pk in by_pk]
        return {RANK_FIELD % (index + 1): str(project.public_id) for index, project in enumerate(ranked)}

    def chosen_from_cleaned(self, data: dict[str, Any]) -> list[Project]:
        ranking = [data.get(RANK_FIELD % rank, "") for rank in range(1, self.rank_k + 1)]
        return [self.by_public_id[value] for value in ranking if value in self.by_public_id]

    def clean_ballot(self, data: dict[str, Any]) -> None:
        ranking = [data.get(RANK_FIELD % rank, "") for rank in range(1, self.rank_k + 1)]
        seen: dict[str, int] = {}
        for index, value in enumerate(ranking, start=1):
            if not value:
                continue
            if value in seen:
                self.add_error(
                    RANK_FIELD % index,
                    _("“%(project)s” is already your choice number %(rank)d.")
                    % {"project": self.by_public_id[value].title, "rank": seen[value]},
                )
            seen[value] = seen.get(value, index)
        last_filled = max((index for index, value in enumerate(ranking, start=1) if value), default=0)
        for index in range(1, last_filled):
            if not ranking[index - 1]:
                self.add_error(
                    RANK_FIELD % index,
                    _("Fill your choices in order: choice number %(rank)d is empty but a later one is not.")
                    % {"rank": index},
                )
                break
        if not self.errors:
            self._check_count(len(data["chosen"]), RANK_FIELD % 1)


FORMS: dict[str, type[BallotForm]] = {
    BallotType.KNAPSACK: KnapsackBallotForm,
    BallotType.APPROVAL: ApprovalBallotForm,
    BallotType.CUMULATIVE: CumulativeBallotForm,
    BallotType.RANKED: RankedBallotForm,
}


def ballot_form_class(process: BudgetProcess) -> type[BallotForm]:
    return FORMS[process.ballot_type]


class ReceiptForm(forms.Form):
    """Find my ballot: the receipt code only."""

    receipt = ReceiptField()


class PaperBallotsImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of paper ballots"),
        help_text=_(
            "One ballot per line: the budget's short name, then the project codes separated by commas "
            "(for points ballots, code:points). Separator: semicolon."
        ),
    )
