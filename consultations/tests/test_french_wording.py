"""French wording that must agree with what it describes: the status of a questionnaire (a
masculine noun, unlike the feminine "phase" of the core labels) and counts of one."""

from __future__ import annotations

import pytest
from django.utils import translation

from consultations.models import QuestionnaireKind
from consultations.selectors import featured_consultations

from .factories import QuestionnaireFactory, add_phase

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", QuestionnaireKind.values)
def test_the_home_page_status_of_an_open_questionnaire_reads_well_in_french(kind):
    add_phase(QuestionnaireFactory(kind=kind, title="Mobilités"))
    with translation.override("fr"):
        (item,) = featured_consultations(3)
        line = f"{item.kind} · {item.status}"
    # Not "Questionnaire · ouverte": the core's phase label is feminine.
    assert line in {"Questionnaire · en cours", "Sondage délibératif · en cours"}


def test_the_questionnaire_page_badge_reads_well_in_french(client, survey):
    page = client.get(survey.get_absolute_url()).content.decode()
    assert '<span class="badge">en cours</span>' in page
    assert '<span class="badge">ouverte</span>' not in page
