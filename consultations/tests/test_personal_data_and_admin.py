"""GDPR hooks (export, erasure), the registry entries, and the Wagtail admin for staff."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civicplatform.accounts.tests.factories import StaffFactory
from civicplatform.core import registry
from consultations.models import Response, Statement, StatementVote, TextAnswer
from consultations.services.questionnaires import response_submit

from .conftest import full_answers

pytestmark = pytest.mark.django_db


def test_the_app_registers_its_exporters_hooks_and_menu():
    assert {"consultations.responses", "consultations.statements"} <= set(registry.personal_data_exporters())
    assert "consultations" in registry.erasure_hooks()
    assert "consultations" in {section.key for section in registry.nav_sections()}
    assert registry.has_capability("reportable", TextAnswer)
    assert registry.has_capability("reportable", Statement)


def test_export_lists_a_persons_own_answers(survey, resident):
    response_submit(questionnaire=survey, person=resident, answers=full_answers(survey))
    rows = registry.personal_data_exporters()["consultations.responses"](resident)
    assert {"questionnaire", "question", "answer"} <= set(rows[0])
    assert any(row["answer"] == "Plus de bancs" for row in rows)
    assert any(row["answer"] == "À vélo" for row in rows)


def test_erasure_keeps_the_counts_but_forgets_the_person(survey, resident, other_resident):
    response_submit(questionnaire=survey, person=resident, answers=full_answers(survey))
    response_submit(questionnaire=survey, person=other_resident, answers=full_answers(survey))
    registry.erasure_hooks()["consultations"](resident)
    assert Response.objects.count() == 2
    assert not Response.objects.filter(respondent=resident).exists()
    assert TextAnswer.objects.count() == 1  # free text may identify: deleted
    assert not StatementVote.objects.filter(participant=resident).exists()


def test_staff_can_open_the_snippet_admin_of_questionnaires_and_votes(client, survey):
    client.force_login(StaffFactory(is_superuser=True))
    for model in ("questionnaire", "question", "localvote", "conversation"):
        url = reverse(f"wagtailsnippets_consultations_{model}:list")
        assert client.get(url).status_code == 200, model
        assert client.get(reverse(f"wagtailsnippets_consultations_{model}:add")).status_code == 200, model
    edit = reverse("wagtailsnippets_consultations_questionnaire:edit", args=[survey.pk])
    page = client.get(edit).content.decode()
    assert "Vivre à Belleville" in page


def test_staff_build_a_questionnaire_then_a_question_in_the_admin(client, district):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    from consultations.models import Question, Questionnaire

    client.force_login(StaffFactory(is_superuser=True))
    data = nested_form_data(
        {
            "title": "Les jardins partagés",
            "slug": "jardins",
            "kind": "survey",
            "summary": "",
            "introduction": "Dites-nous tout.",
            "editable": "on",
            "results_visibility": "after_close",
            "published": "on",
            "min_verification_level": "2",
            "min_age": "",
            "phases": inline_formset(
                [{"kind": "answer", "starts_at": "2026-12-01 09:00", "ends_at": "2026-12-31 18:00"}]
            ),
            "sections": inline_formset([{"title": "Votre jardin", "description": "", "sort_order": "1"}]),
            "panel": inline_formset([]),
            "events": inline_formset([]),
            "briefings": inline_formset([]),
        }
    )
    data["restricted_districts"] = [str(district.pk)]  # nested_form_data would number a list
    response = client.post(reverse("wagtailsnippets_consultations_questionnaire:add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    questionnaire = Questionnaire.objects.get(slug="jardins")
    assert questionnaire.phases.count() == 1 and list(questionnaire.restricted_districts.all()) == [district]
    section = questionnaire.sections.get()

    data = nested_form_data(
        {
            "section": str(section.pk),
            "kind": "multiple",
            "text": "Que cultiveriez-vous ?",
            "help_text": "",
            "required": "on",
            "sort_order": "1",
            "max_choices": "2",
            "scale_min": "1",
            "scale_max": "5",
            "scale_min_label": "",
            "scale_max_label": "",
            "max_length": "1000",
            "options": inline_formset(
                [
                    {"text": "Légumes", "sort_order": "1"},
                    {"text": "Fleurs", "sort_order": "2"},
                    {"text": "Aromatiques", "sort_order": "3"},
                ]
            ),
        }
    )
    response = client.post(reverse("wagtailsnippets_consultations_question:add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get(text="Que cultiveriez-vous ?")
    assert [o.text for o in question.options.all()] == ["Légumes", "Fleurs", "Aromatiques"]
    assert question.max_choices == 2 and question.required
