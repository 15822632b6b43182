"""The one shared form template: labels, required marker in text, errors tied to inputs, summary."""

from __future__ import annotations

from bs4 import BeautifulSoup
from django import forms
from django.utils import translation


class ProposalForm(forms.Form):
    title = forms.CharField(label="Titre du projet", max_length=80, help_text="80 caractères au plus.")
    district = forms.ChoiceField(label="Quartier", choices=[("", "—"), ("centre", "Centre-ville")])
    newsletter = forms.BooleanField(label="Recevoir les nouvelles", required=False)


def render(form) -> BeautifulSoup:
    with translation.override("fr"):
        return BeautifulSoup(str(form), "html.parser")


def test_every_field_has_a_label_and_required_is_said_in_words():
    html = render(ProposalForm())
    label = html.find("label", attrs={"for": "id_title"})
    assert "Titre du projet" in label.get_text()
    assert label.find(class_="field__required").get_text(strip=True) == "(obligatoire)"
    assert html.find("label", attrs={"for": "id_newsletter"}).find(class_="field__required") is None
    assert html.find("input", attrs={"name": "title"})["aria-describedby"] == "id_title_helptext"


def test_errors_are_summarised_and_tied_to_their_inputs():
    html = render(ProposalForm(data={"title": "", "district": ""}))
    summary = html.find(attrs={"data-error-summary": True})
    assert summary["role"] == "alert"
    assert summary["tabindex"] == "-1"
    # French puts a no-break space before the colon ("Titre : Ce champ est obligatoire.").
    assert summary.find("a", href="#id_title").get_text().startswith(f"{ProposalForm().fields['title'].label}\u00a0: ")
    title = html.find("input", attrs={"name": "title"})
    assert title["aria-invalid"] == "true"
    error_id = [i for i in title["aria-describedby"].split() if i.endswith("_error")]
    assert error_id
    assert html.find(id=error_id[0])


def test_what_was_typed_is_kept_when_the_form_is_invalid():
    html = render(ProposalForm(data={"title": "Un square fleuri", "district": ""}))
    assert html.find("input", attrs={"name": "title"})["value"] == "Un square fleuri"
