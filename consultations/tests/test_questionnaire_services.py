from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from civicplatform.accounts.tests.factories import StaffFactory, UserFactory
from civicplatform.core.models import AuditEvent
from civicplatform.moderation import services as moderation
from civicplatform.territory.tests.factories import DistrictFactory
from consultations.models import Answer, Response, TextAnswer, Wave
from consultations.services.questionnaires import (
    AlreadyAnswered,
    AnswerRefused,
    response_submit,
    text_answer_approve,
)

from .conftest import full_answers, opt

pytestmark = pytest.mark.django_db


def test_it_records_one_row_per_choice_and_an_audit_row(survey, resident):
    response = response_submit(questionnaire=survey, person=resident, answers=full_answers(survey))
    q = survey.q
    assert response.respondent == resident and response.wave == Wave.SINGLE
    ranking = list(Answer.objects.filter(response=response, question=q["ranking"]).order_by("value"))
    assert [(a.option.text, a.value) for a in ranking] == [("Culture", 1), ("Propreté", 2)]
    assert Answer.objects.filter(response=response, question=q["multiple"]).count() == 2
    assert Answer.objects.get(response=response, question=q["scale"]).value == 4
    cells = {(a.row.text, a.option.text) for a in Answer.objects.filter(response=response, question=q["matrix"])}
    assert cells == {("Les rues", "Mal"), ("Les parcs", "Bien")}
    assert TextAnswer.objects.get(response=response).text == "Plus de bancs"
    assert AuditEvent.objects.filter(action="consultations.answer", actor=resident).count() == 1


def test_a_second_response_replaces_the_first_when_answers_are_editable(survey, resident):
    response_submit(questionnaire=survey, person=resident, answers=full_answers(survey))
    response_submit(questionnaire=survey, person=resident, answers=full_answers(survey, single="À pied"))
    assert Response.objects.filter(questionnaire=survey).count() == 1
    chosen = Answer.objects.get(question=survey.q["single"]).option.text
    assert chosen == "À pied"
    assert AuditEvent.objects.filter(action="consultations.answer_change").count() == 1


def test_it_refuses_a_second_response_when_answers_are_final(survey, resident):
    survey.editable = False
    survey.save()
    response_submit(questionnaire=survey, person=resident, answers=full_answers(survey))
    with pytest.raises(AlreadyAnswered):
        response_submit(questionnaire=survey, person=resident, answers=full_answers(survey, single="À pied"))
    assert Answer.objects.get(question=survey.q["single"]).option.text == "À vélo"


def test_the_database_refuses_two_responses_of_one_person(survey, resident):
    Response.objects.create(questionnaire=survey, respondent=resident)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(questionnaire=survey, respondent=resident)


def test_the_database_refuses_two_responses_of_one_browser(survey):
    Response.objects.create(questionnaire=survey, anonymous_key="abc")
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(questionnaire=survey, anonymous_key="abc")


def test_anonymous_answers_need_an_open_questionnaire_and_a_browser_key(survey):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(AnswerRefused):
        response_submit(questionnaire=survey, person=AnonymousUser(), answers=full_answers(survey), anonymous_key="k1")
    survey.open_to_anyone = True
    survey.save()
    response = response_submit(
        questionnaire=survey, person=AnonymousUser(), answers=full_answers(survey), anonymous_key="k1"
    )
    assert response.respondent is None and response.anonymous_key == "k1"
    with pytest.raises(AlreadyAnswered):
        response_submit(questionnaire=survey, person=AnonymousUser(), answers=full_answers(survey), anonymous_key="k1")


def test_a_required_question_must_be_answered(survey, resident):
    answers = full_answers(survey)
    answers[survey.q["single"].pk] = None
    with pytest.raises(ValidationError) as error:
        response_submit(questionnaire=survey, person=resident, answers=answers)
    assert survey.q["single"].field_name in error.value.error_dict
    assert not Response.objects.exists()


def test_an_option_of_another_question_is_refused(survey, resident):
    answers = full_answers(survey)
    answers[survey.q["single"].pk] = opt(survey.q["multiple"], "Parc")
    with pytest.raises(ValidationError):
        response_submit(questionnaire=survey, person=resident, answers=answers)
    assert not Response.objects.exists()


def test_too_many_choices_are_refused(survey, resident):
    answers = full_answers(survey)
    answers[survey.q["multiple"].pk] = [o.pk for o in survey.q["multiple"].options.all()]
    with pytest.raises(ValidationError):
        response_submit(questionnaire=survey, person=resident, answers=answers)


def test_answers_are_refused_before_opening_and_after_closing(survey, resident):
    phase = survey.phases.get()
    with pytest.raises(AnswerRefused):
        response_submit(
            questionnaire=survey,
            person=resident,
            answers=full_answers(survey),
            now=phase.starts_at - datetime.timedelta(1),
        )
    with pytest.raises(AnswerRefused) as error:
        response_submit(questionnaire=survey, person=resident, answers=full_answers(survey), now=phase.ends_at)
    assert str(error.value.decision.reason) == "La consultation est close."


def test_a_district_questionnaire_refuses_residents_of_other_districts(survey, resident):
    survey.min_verification_level = 2
    survey.save()
    survey.restricted_districts.set([DistrictFactory(name="Les Rives")])
    survey.save()  # a parental many-to-many is written on save
    stored = type(survey).objects.get(pk=survey.pk)
    assert list(stored.restricted_districts.values_list("name", flat=True)) == ["Les Rives"]
    with pytest.raises(AnswerRefused) as error:
        response_submit(questionnaire=stored, person=resident, answers=full_answers(survey))
    assert error.value.decision.code == "district"
    with pytest.raises(AnswerRefused):
        response_submit(questionnaire=stored, person=UserFactory(verification_level=1), answers=full_answers(survey))


def test_a_changed_free_text_goes_back_to_moderation(survey, resident):
    response_submit(questionnaire=survey, person=resident, answers=full_answers(survey))
    text = TextAnswer.objects.get()
    text_answer_approve(answer=text, actor=StaffFactory())
    response_submit(questionnaire=survey, person=resident, answers=full_answers(survey))
    assert TextAnswer.objects.get().approved_at is not None  # unchanged text keeps its approval
    response_submit(questionnaire=survey, person=resident, answers=full_answers(survey, text="Des arbres"))
    changed = TextAnswer.objects.get()
    assert changed.text == "Des arbres" and changed.approved_at is None


def test_only_moderators_approve_and_a_hidden_answer_cannot_be_approved(survey, resident):
    response_submit(questionnaire=survey, person=resident, answers=full_answers(survey))
    text = TextAnswer.objects.get()
    with pytest.raises(PermissionDenied):
        text_answer_approve(answer=text, actor=resident)
    staff = StaffFactory()
    moderation.content_hide(content=text, actor=staff, reason="Données personnelles")
    with pytest.raises(ValidationError):
        text_answer_approve(answer=text, actor=staff)
    assert TextAnswer.objects.get().approved_at is None
