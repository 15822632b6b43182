"""Forms: the answer form built from a questionnaire's questions, and small staff forms.

Every question is one form field, so that the shared field template gives it a label (or
a legend), its help text and its errors. Rankings and matrices are a group of selects or
radio buttons under one legend (`LabelledMultiWidget`): they work without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import Question, QuestionKind, Response, VoteChoice
from .selectors import SectionView


class LabelledMultiWidget(forms.MultiWidget):
    """Several inputs under one legend, each with its own label (ranking selects, matrix rows)."""

    template_name = "consultations/widgets/labelled_multi.html"
    use_fieldset = True

    def __init__(self, widgets: list[forms.Widget], labels: list[str], *, grouped: bool) -> None:
        self.labels = labels
        # A matrix row is a radio group: it needs its own fieldset and legend.
        self.grouped = grouped
        super().__init__(widgets)

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(context["widget"]["subwidgets"], self.labels, strict=False):
            subwidget["label"] = label
        context["widget"]["grouped"] = self.grouped
        return context

    def decompress(self, value: Any) -> list[Any]:
        return list(value) if value else [None] * len(self.widgets)


class RankingField(forms.MultiValueField):
    """One select per option ("1st", "2nd"...); cleans to option ids, best first."""

    def __init__(self, question: Question, **kwargs: Any) -> None:
        self.question = question
        self.option_ids = [option.pk for option in question.options.all() if not option.is_row]
        limit = question.max_choices or len(self.option_ids)
        choices = [("", _("not ranked"))] + [(str(rank), str(rank)) for rank in range(1, limit + 1)]
        fields = [forms.ChoiceField(choices=choices, required=False) for _pk in self.option_ids]
        widget = LabelledMultiWidget(
            [forms.Select(choices=choices) for _pk in self.option_ids],
            [option.text for option in question.options.all() if not option.is_row],
            grouped=False,
        )
        super().__init__(fields=fields, widget=widget, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[Any]) -> list[int]:
        ranks = {pk: int(rank) for pk, rank in zip(self.option_ids, data_list or [], strict=False) if rank}
        if not ranks:
            return []
        used = sorted(ranks.values())
        if len(set(used)) != len(used):
            raise ValidationError(_("Give each rank to one option only."))
        if used != list(range(1, len(used) + 1)):
            raise ValidationError(_("Use the ranks in order, starting from 1, without gaps."))
        return [pk for pk, _rank in sorted(ranks.items(), key=lambda item: item[1])]


class MatrixField(forms.MultiValueField):
    """One radio group per row; cleans to {row id: column id}."""

    def __init__(self, question: Question, **kwargs: Any) -> None:
        options = list(question.options.all())
        self.row_ids = [option.pk for option in options if option.is_row]
        choices = [(str(option.pk), option.text) for option in options if not option.is_row]
        self.required_rows = kwargs.get("required", False)
        fields = [forms.ChoiceField(choices=choices, required=False) for _pk in self.row_ids]
        widget = LabelledMultiWidget(
            [forms.RadioSelect(choices=choices) for _pk in self.row_ids],
            [option.text for option in options if option.is_row],
            grouped=True,
        )
        super().__init__(fields=fields, widget=widget, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[Any]) -> dict[int, int]:
        cells = {row: int(value) for row, value in zip(self.row_ids, data_list or [], strict=False) if value}
        if self.required_rows and cells and len(cells) != len(self.row_ids):
            raise ValidationError(_("Answer every row."))
        return cells


class AnswerForm(forms.Form):
    """The questions of one wave; `answers()` gives the values response_submit() expects."""

    def __init__(self, *args: Any, sections: list[SectionView], response: Response | None = None, **kwargs: Any):
        self.sections = sections
        if response is not None and not kwargs.get("data"):
            kwargs["initial"] = initial_from_response(response, sections)
        super().__init__(*args, **kwargs)
        for view in sections:
            for question in view.questions:
                self.fields[question.field_name] = self._field(question)

    def _field(self, question: Question) -> forms.Field:
        common: dict[str, Any] = {
            "label": question.text,
            "help_text": question.help_text,
            "required": question.required,
        }
        columns = [(str(o.pk), o.text) for o in question.options.all() if not o.is_row]
        kind = question.kind
        if kind == QuestionKind.SINGLE:
            return forms.TypedChoiceField(choices=columns, coerce=int, widget=forms.RadioSelect, **common)
        if kind == QuestionKind.MULTIPLE:
            if question.max_choices:
                limit = ngettext(
                    "Choose at most %(count)d answer.", "Choose at most %(count)d answers.", question.max_choices
                ) % {"count": question.max_choices}
                common["help_text"] = " ".join(part for part in (question.help_text, limit) if part)
            return forms.TypedMultipleChoiceField(
                choices=columns, coerce=int, widget=forms.CheckboxSelectMultiple, **common
            )
        if kind == QuestionKind.SCALE:
            choices = []
            for value in question.scale_values():
                label = str(value)
                if value == question.scale_min and question.scale_min_label:
                    label = f"{value} ({question.scale_min_label})"
                elif value == question.scale_max and question.scale_max_label:
                    label = f"{value} ({question.scale_max_label})"
                choices.append((str(value), label))
            return forms.TypedChoiceField(choices=choices, coerce=int, widget=forms.RadioSelect, **common)
        if kind == QuestionKind.TEXT:
            limit = _("At most %(count)d characters.") % {"count": question.max_length}
            common["help_text"] = " ".join(part for part in (question.help_text, limit) if part)
            return forms.CharField(
                max_length=question.max_length, widget=forms.Textarea(attrs={"rows": 4}), strip=True, **common
            )
        if kind == QuestionKind.RANKING:
            if question.max_choices:
                limit = ngettext(
                    "Rank up to %(count)d option, 1 being your first choice.",
                    "Rank up to %(count)d options, 1 being your first choice.",
                    question.max_choices,
                ) % {"count": question.max_choices}
            else:
                limit = _("Rank the options, 1 being your first choice.")
            common["help_text"] = " ".join(part for part in (question.help_text, limit) if part)
            return RankingField(question, **common)
        return MatrixField(question, **common)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for view in self.sections:
            for question in view.questions:
                value = cleaned.get(question.field_name)
                too_many = question.max_choices and value and len(value) > question.max_choices
                if question.kind == QuestionKind.MULTIPLE and too_many:
                    self.add_error(
                        question.field_name,
                        ngettext(
                            "Choose at most %(count)d answer.",
                            "Choose at most %(count)d answers.",
                            question.max_choices,
                        )
                        % {"count": question.max_choices},
                    )
        return cleaned

    def answers(self) -> dict[int, Any]:
        return {
            question.pk: self.cleaned_data.get(question.field_name)
            for view in self.sections
            for question in view.questions
        }

    def sections_with_fields(self) -> list[tuple[SectionView, list[forms.BoundField]]]:
        return [(view, [self[question.field_name] for question in view.questions]) for view in self.sections]


def initial_from_response(response: Response, sections: list[SectionView]) -> dict[str, Any]:
    """The answer form's initial values from a stored response (to change it)."""
    answers: dict[int, list] = {}
    for answer in response.answers.all():
        answers.setdefault(answer.question_id, []).append(answer)
    texts = {text.question_id: text.text for text in response.texts.all()}
    initial: dict[str, Any] = {}
    for view in sections:
        for question in view.questions:
            rows = answers.get(question.pk, [])
            kind = question.kind
            if kind == QuestionKind.TEXT:
                initial[question.field_name] = texts.get(question.pk, "")
            elif kind == QuestionKind.SINGLE and rows:
                initial[question.field_name] = str(rows[0].option_id)
            elif kind == QuestionKind.MULTIPLE:
                initial[question.field_name] = [str(row.option_id) for row in rows]
            elif kind == QuestionKind.SCALE and rows:
                initial[question.field_name] = str(rows[0].value)
            elif kind == QuestionKind.RANKING:
                rank = {row.option_id: str(row.value) for row in rows}
                initial[question.field_name] = [rank.get(o.pk, "") for o in question.options.all() if not o.is_row]
            elif kind == QuestionKind.MATRIX:
                cell = {row.row_id: str(row.option_id) for row in rows}
                initial[question.field_name] = [cell.get(o.pk, "") for o in question.options.all() if o.is_row]
    return initial


class TextModerationForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason shown in place of the answer"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Needed to hide an answer, for example “contains personal data”."),
    )


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=gettext_lazy("Your answer"),
        choices=VoteChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose Yes, No or Blank vote.")},
    )


class StatementForm(forms.Form):
    def __init__(self, *args: Any, max_length: int = 200, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"] = forms.CharField(
            label=gettext_lazy("Your statement"),
            max_length=max_length,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=gettext_lazy("One short, clear idea that others can agree or disagree with. No personal data."),
        )
