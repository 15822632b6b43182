from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from civicplatform.accounts.tests.factories import ResidentFactory, StaffFactory
from civicplatform.core.models import AuditEvent
from consultations.models import Answer, Response, TextAnswer
from consultations.services.questionnaires import response_submit, text_answer_approve

from .conftest import form_data, full_answers, opt
from .factories import QuestionnaireFactory, add_phase

pytestmark = pytest.mark.django_db


def url(name: str, survey, *args) -> str:
    return reverse(f"consultations:{name}", args=[survey.slug, *args])


def test_every_public_route_round_trips(survey):
    from django.urls import resolve

    for name in ("questionnaire", "questionnaire_answer", "questionnaire_results", "text_moderation"):
        assert resolve(url(name, survey)).view_name == f"consultations:{name}"
    assert resolve(reverse("consultations:index")).view_name == "consultations:index"


def test_the_index_lists_open_questionnaires_and_hides_unpublished_ones(client, survey):
    QuestionnaireFactory(title="Brouillon secret", published=False)
    page = client.get(reverse("consultations:index")).content.decode()
    assert "Vivre à Belleville" in page and "Brouillon secret" not in page


def test_an_unpublished_questionnaire_is_not_found_except_by_staff(client, survey):
    survey.published = False
    survey.save()
    assert client.get(url("questionnaire", survey)).status_code == 404
    client.force_login(StaffFactory())
    assert client.get(url("questionnaire", survey)).status_code == 200


def test_anonymous_is_sent_to_log_in_to_answer(client, survey):
    response = client.get(url("questionnaire_answer", survey))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_answer_form_has_a_legend_or_label_for_every_question(client, survey, resident):
    client.force_login(resident)
    page = client.get(url("questionnaire_answer", survey)).content.decode()
    for question in survey.q.values():
        assert question.text in page
    assert page.count("<legend>") >= 5  # single, multiple, ranking, scale, matrix (+ matrix rows)
    assert f'for="id_q{survey.q["ranking"].pk}_0"' in page  # each rank select has its label
    assert "(required)" in page or "(obligatoire)" in page


def test_a_resident_answers_and_the_answers_are_stored(client, survey, resident):
    client.force_login(resident)
    response = client.post(url("questionnaire_answer", survey), form_data(survey))
    assert response.status_code == 302 and response["Location"] == url("questionnaire_thanks", survey)
    stored = Response.objects.get(respondent=resident)
    assert Answer.objects.get(response=stored, question=survey.q["single"]).option.text == "À vélo"
    ranking = Answer.objects.filter(response=stored, question=survey.q["ranking"]).order_by("value")
    assert [a.option.text for a in ranking] == ["Culture", "Propreté"]
    assert AuditEvent.objects.filter(action="consultations.answer").exists()


def test_a_missing_required_answer_gives_400_with_the_error_next_to_the_question(client, survey, resident):
    client.force_login(resident)
    data = form_data(survey)
    del data[survey.q["single"].field_name]
    response = client.post(url("questionnaire_answer", survey), data)
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not Response.objects.exists()


def test_ranks_must_be_distinct_and_contiguous(client, survey, resident):
    client.force_login(resident)
    data = form_data(survey)
    name = survey.q["ranking"].field_name
    data[f"{name}_0"], data[f"{name}_1"], data[f"{name}_2"] = "1", "1", ""
    assert client.post(url("questionnaire_answer", survey), data).status_code == 400
    data[f"{name}_0"], data[f"{name}_1"] = "1", "3"
    assert client.post(url("questionnaire_answer", survey), data).status_code == 400
    assert not Response.objects.exists()


def test_a_text_over_the_limit_is_refused(client, survey, resident):
    client.force_login(resident)
    response = client.post(url("questionnaire_answer", survey), form_data(survey, text="x" * 201))
    assert response.status_code == 400


def test_the_answer_page_prefills_the_previous_answers_to_change_them(client, survey, resident):
    response_submit(questionnaire=survey, person=resident, answers=full_answers(survey))
    client.force_login(resident)
    page = client.get(url("questionnaire_answer", survey)).content.decode()
    assert "Plus de bancs" in page
    assert f'value="{opt(survey.q["single"], "À vélo")}"' in page.split("checked")[0] or "checked" in page
    client.post(url("questionnaire_answer", survey), form_data(survey, single="En voiture"))
    assert Response.objects.count() == 1
    assert Answer.objects.get(question=survey.q["single"]).option.text == "En voiture"


def test_without_an_account_one_answer_per_browser(client, survey):
    survey.open_to_anyone = True
    survey.save()
    first = client.post(url("questionnaire_answer", survey), form_data(survey))
    assert first.status_code == 302
    assert "consultations_key" in first.cookies
    again = client.get(url("questionnaire_answer", survey))
    assert again.status_code == 403
    assert Response.objects.filter(respondent=None).count() == 1


def test_anonymous_answers_are_rate_limited(client, survey, settings):
    survey.open_to_anyone = True
    survey.save()
    from django.core.cache import cache

    cache.clear()
    statuses = []
    for _n in range(11):
        client.cookies.clear()
        statuses.append(client.post(url("questionnaire_answer", survey), form_data(survey)).status_code)
    assert statuses[:10] == [302] * 10 and statuses[10] == 429


def test_a_closed_questionnaire_says_so(client, resident):
    closed = QuestionnaireFactory(slug="ferme")
    add_phase(closed, start_days=-10, end_days=-1)
    client.force_login(resident)
    response = client.get(reverse("consultations:questionnaire_answer", args=["ferme"]))
    assert response.status_code == 403
    assert "Answering is closed." in response.content.decode() or "clos" in response.content.decode()


def test_answering_only_accepts_get_and_post(client, survey, resident):
    client.force_login(resident)
    assert client.put(url("questionnaire_answer", survey)).status_code == 405
    assert client.post(url("questionnaire_results", survey)).status_code == 405


def test_results_show_counts_charts_and_tables(client, survey):
    for answer in ("À vélo", "À vélo", "À pied"):
        response_submit(questionnaire=survey, person=ResidentFactory(), answers=full_answers(survey, single=answer))
    page = client.get(url("questionnaire_results", survey)).content.decode()
    assert "<svg" in page and "<table" in page
    assert "3 responses" in page or "3 réponses" in page
    # À vélo: 2 of 3 = 66.7 %
    assert "66.7" in page or "66,7" in page


def test_results_are_hidden_until_closing_when_so_chosen(client, survey, resident):
    survey.results_visibility = "after_close"
    survey.save()
    response = client.get(url("questionnaire_results", survey))
    assert response.status_code == 403
    client.force_login(StaffFactory())
    assert client.get(url("questionnaire_results", survey)).status_code == 200


def test_results_page_query_count_does_not_grow_with_responses(client, survey, django_assert_max_num_queries):
    response_submit(questionnaire=survey, person=ResidentFactory(), answers=full_answers(survey))
    with django_assert_max_num_queries(25) as few:
        client.get(url("questionnaire_results", survey))
    for _n in range(15):
        response_submit(questionnaire=survey, person=ResidentFactory(), answers=full_answers(survey))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("questionnaire_results", survey))


def test_free_text_is_listed_only_after_a_moderator_publishes_it(client, survey, resident):
    response_submit(questionnaire=survey, person=resident, answers=full_answers(survey, text="Un kiosque à musique"))
    assert "Un kiosque à musique" not in client.get(url("questionnaire_results", survey)).content.decode()
    staff = StaffFactory()
    client.force_login(staff)
    page = client.get(url("text_moderation", survey)).content.decode()
    assert "Un kiosque à musique" in page
    text = TextAnswer.objects.get()
    response = client.post(url("text_moderate", survey, text.public_id), {"decision": "approve"})
    assert response.status_code == 302
    client.logout()
    assert "Un kiosque à musique" in client.get(url("questionnaire_results", survey)).content.decode()


def test_hiding_a_free_text_needs_a_reason(client, survey, resident):
    response_submit(questionnaire=survey, person=resident, answers=full_answers(survey, text="Mon voisin M. X"))
    client.force_login(StaffFactory())
    text = TextAnswer.objects.get()
    assert client.post(url("text_moderate", survey, text.public_id), {"decision": "hide"}).status_code == 400
    client.post(url("text_moderate", survey, text.public_id), {"decision": "hide", "reason": "Données personnelles"})
    text.refresh_from_db()
    assert text.is_hidden and text.moderation_reason == "Données personnelles"


def test_residents_cannot_moderate_or_export(client, survey, resident):
    client.force_login(resident)
    assert client.get(url("text_moderation", survey)).status_code == 403
    assert client.get(url("questionnaire_export", survey, "csv")).status_code == 403


def test_staff_export_csv_and_xlsx_with_one_column_per_question(client, survey, resident):
    response_submit(questionnaire=survey, person=resident, answers=full_answers(survey, text="=HYPERLINK(1)"))
    text_answer_approve(answer=TextAnswer.objects.get(), actor=StaffFactory())
    client.force_login(StaffFactory())
    response = client.get(url("questionnaire_export", survey, "csv"))
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert len(rows) == 2
    header, row = rows
    assert "Votre avis sur — Les rues" in header
    assert row[header.index("Vos priorités ?")] == "Culture > Propreté"
    assert row[header.index("Quels lieux ?")] == "Parc; Marché"
    assert row[header.index("Une idée ?")] == "'=HYPERLINK(1)"  # never a formula
    assert resident.email not in content
    xlsx = client.get(url("questionnaire_export", survey, "xlsx"))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.values)
    assert values[1][values[0].index("Comment venez-vous ?")] == "À vélo"
    assert client.get(url("questionnaire_export", survey, "pdf")).status_code == 404


def test_the_index_query_count_does_not_grow_with_questionnaires(client, survey, django_assert_max_num_queries):
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("consultations:index"))
    for _n in range(10):
        add_phase(QuestionnaireFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("consultations:index"))
