"""Consultation fixtures: a survey with one question of each kind, open now."""

from __future__ import annotations

import pytest

from consultations.models import QuestionKind

from .factories import QuestionFactory, QuestionnaireFactory, SectionFactory, add_options, add_phase


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.ACCOUNTS_STAFF_MFA_REQUIRED = False


@pytest.fixture
def survey(db):
    """ "Vivre à Belleville": open to confirmed e-mail accounts, answers editable, results public."""
    questionnaire = QuestionnaireFactory(
        slug="vivre-a-belleville", title="Vivre à Belleville", results_visibility="always"
    )
    add_phase(questionnaire)
    first = SectionFactory(questionnaire=questionnaire, title="Vos habitudes", sort_order=1)
    second = SectionFactory(questionnaire=questionnaire, title="Vos idées", sort_order=2)
    single = QuestionFactory(
        section=first, kind=QuestionKind.SINGLE, text="Comment venez-vous ?", required=True, sort_order=1
    )
    add_options(single, "À pied", "À vélo", "En voiture")
    multiple = QuestionFactory(
        section=first, kind=QuestionKind.MULTIPLE, text="Quels lieux ?", max_choices=2, sort_order=2
    )
    add_options(multiple, "Parc", "Marché", "Médiathèque")
    ranking = QuestionFactory(section=first, kind=QuestionKind.RANKING, text="Vos priorités ?", sort_order=3)
    add_options(ranking, "Propreté", "Sécurité", "Culture")
    scale = QuestionFactory(
        section=second,
        kind=QuestionKind.SCALE,
        text="Satisfaction ?",
        scale_min=1,
        scale_max=5,
        scale_min_label="pas du tout",
        scale_max_label="tout à fait",
        sort_order=1,
    )
    text = QuestionFactory(section=second, kind=QuestionKind.TEXT, text="Une idée ?", max_length=200, sort_order=2)
    matrix = QuestionFactory(section=second, kind=QuestionKind.MATRIX, text="Votre avis sur", sort_order=3)
    add_options(matrix, "Bien", "Mal", rows=("Les rues", "Les parcs"))
    questionnaire.q = {
        "single": single,
        "multiple": multiple,
        "ranking": ranking,
        "scale": scale,
        "text": text,
        "matrix": matrix,
    }
    return questionnaire


def opt(question, text: str) -> int:
    return next(option.pk for option in question.options.all() if option.text == text)


def full_answers(survey, *, single="À vélo", text="Plus de bancs") -> dict[int, object]:
    q = survey.q
    return {
        q["single"].pk: opt(q["single"], single),
        q["multiple"].pk: [opt(q["multiple"], "Parc"), opt(q["multiple"], "Marché")],
        q["ranking"].pk: [opt(q["ranking"], "Culture"), opt(q["ranking"], "Propreté")],
        q["scale"].pk: 4,
        q["text"].pk: text,
        q["matrix"].pk: {
            opt(q["matrix"], "Les rues"): opt(q["matrix"], "Mal"),
            opt(q["matrix"], "Les parcs"): opt(q["matrix"], "Bien"),
        },
    }


def form_data(survey, *, single="À vélo", text="Plus de bancs") -> dict[str, object]:
    """The same answers as full_answers, as the answer form posts them."""
    q = survey.q
    ranking = list(q["ranking"].options.all())
    ranks = {"Culture": "1", "Propreté": "2"}
    matrix_rows = [o for o in q["matrix"].options.all() if o.is_row]
    cells = {"Les rues": opt(q["matrix"], "Mal"), "Les parcs": opt(q["matrix"], "Bien")}
    data = {
        q["single"].field_name: str(opt(q["single"], single)),
        q["multiple"].field_name: [str(opt(q["multiple"], "Parc")), str(opt(q["multiple"], "Marché"))],
        q["scale"].field_name: "4",
        q["text"].field_name: text,
    }
    for index, option in enumerate(ranking):
        data[f"{q['ranking'].field_name}_{index}"] = ranks.get(option.text, "")
    for index, row in enumerate(matrix_rows):
        data[f"{q['matrix'].field_name}_{index}"] = str(cells[row.text])
    return data
