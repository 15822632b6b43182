"""Consultations on a phone (375 x 812, French, axe-clean): a resident answers a questionnaire
and sees the results."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from civicplatform.accounts.tests.factories import ResidentFactory
from civicplatform.territory.tests.factories import DistrictFactory
from consultations.models import Answer, QuestionKind, Response
from consultations.tests.factories import QuestionFactory, QuestionnaireFactory, SectionFactory, add_options, add_phase

pytestmark = pytest.mark.browser


def _log_in(context, live_site, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_site.url}])


@pytest.fixture
def survey(live_site):
    questionnaire = QuestionnaireFactory(slug="mobilites", title="Mobilités", results_visibility="always")
    add_phase(questionnaire)
    section = SectionFactory(questionnaire=questionnaire, title="Vos trajets")
    single = QuestionFactory(section=section, kind=QuestionKind.SINGLE, text="Comment venez-vous ?", required=True)
    add_options(single, "À pied", "À vélo", "En voiture")
    ranking = QuestionFactory(section=section, kind=QuestionKind.RANKING, text="Vos priorités", sort_order=2)
    add_options(ranking, "Trottoirs", "Pistes cyclables")
    scale = QuestionFactory(section=section, kind=QuestionKind.SCALE, text="Satisfaction", sort_order=3)
    matrix = QuestionFactory(section=section, kind=QuestionKind.MATRIX, text="Ces trajets sont", sort_order=4)
    add_options(matrix, "Agréables", "Difficiles", rows=("Gare", "Écoles"))
    QuestionFactory(section=section, kind=QuestionKind.TEXT, text="Une idée ?", sort_order=5, max_length=300)
    return {"questionnaire": questionnaire, "single": single, "scale": scale}


def test_a_resident_answers_a_questionnaire_on_a_phone(
    page, context, live_site, survey, assert_accessible, assert_no_horizontal_scroll
):
    resident = ResidentFactory(district=DistrictFactory(), pseudonym="Camille")
    _log_in(context, live_site, resident)

    page.goto("/consultations/questionnaires/mobilites/")
    assert page.locator("h1").inner_text() == "Mobilités"
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Répondre|Answer")).click()
    page.wait_for_url(re.compile(r"/repondre/$"))
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    # Sending without the required answer: a 400 page whose error summary names the question.
    page.get_by_role("button", name=re.compile("Envoyer|Send")).click()
    assert page.locator(".error-summary").is_visible()
    assert "Comment venez-vous ?" in page.locator(".error-summary").inner_text()
    assert_accessible(page)

    page.get_by_label("À vélo").check()
    page.get_by_label("Trottoirs").select_option("2")
    page.get_by_label("Pistes cyclables").select_option("1")
    page.get_by_role("group", name="Satisfaction").get_by_label("4").check()
    page.get_by_role("group", name="Gare").get_by_label("Agréables").check()
    page.get_by_role("group", name="Écoles").get_by_label("Difficiles").check()
    page.get_by_label(re.compile("Une idée")).fill("Un garage à vélos à la gare")
    page.get_by_role("button", name=re.compile("Envoyer|Send")).click()
    page.wait_for_url(re.compile(r"/merci/$"))
    assert_accessible(page)

    response = Response.objects.get(respondent=resident)
    assert Answer.objects.get(response=response, question=survey["single"]).option.text == "À vélo"
    assert Answer.objects.get(response=response, question=survey["scale"]).value == 4

    page.get_by_role("link", name=re.compile("résultats|results")).click()
    page.wait_for_url(re.compile(r"/resultats/$"))
    assert page.locator("svg[role=img]").count() >= 3
    assert page.locator("table").count() >= 3
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_an_elector_votes_in_a_referendum_and_the_quorum_rule_shows_on_results(
    page, context, live_site, assert_accessible, assert_no_horizontal_scroll
):
    import datetime

    from django.utils import timezone

    from civicplatform.accounts.tests.factories import ElectorFactory
    from civicplatform.ballots.models import ParticipationLedger, SecretBallot
    from consultations.tests.factories import LocalVoteFactory

    vote = LocalVoteFactory(slug="piscine", title="Référendum sur la piscine", registered_electors=4)
    phase = add_phase(vote, start_days=-1, end_days=1)
    elector = ElectorFactory(district=DistrictFactory(), pseudonym="Alix")
    _log_in(context, live_site, elector)

    page.goto("/consultations/scrutins/piscine/")
    assert "LO1112-7" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Voter", exact=True).click()
    page.wait_for_url(re.compile(r"/voter/$"))
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_label("Oui").check()
    page.get_by_role("button", name="Vérifier mon choix").click()
    # Nothing is recorded until the voter confirms the choice shown back to them.
    assert page.locator("[data-vote-confirm]").inner_text() == "Vous allez voter\u00a0: Oui."
    assert not SecretBallot.objects.exists()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="Modifier mon choix").click()
    assert page.get_by_label("Oui").is_checked()
    page.get_by_role("button", name="Vérifier mon choix").click()
    page.get_by_role("button", name="Confirmer mon vote").click()
    page.wait_for_url(re.compile(r"/recu/$"))
    assert re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", page.locator(".receipt__code").inner_text())
    assert_accessible(page)
    assert ParticipationLedger.objects.get().voter == elector
    assert SecretBallot.objects.get().choices == {"choice": "yes"}

    # The poll closes: 1 voter out of 4 registered electors, so the quorum is not met.
    phase.starts_at = timezone.now() - datetime.timedelta(days=2)
    phase.ends_at = timezone.now() - datetime.timedelta(minutes=1)
    phase.save()
    page.goto("/consultations/scrutins/piscine/resultats/")
    outcome = page.locator("[data-quorum]").inner_text()
    assert "Quorum non atteint" in outcome
    assert "25" in page.locator("[data-turnout]").inner_text()
    assert page.locator("svg[role=img]").count() == 1
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_a_panelist_answers_before_and_after_and_the_shift_appears(
    page, context, live_site, assert_accessible, assert_no_horizontal_scroll
):
    import datetime

    from django.utils import timezone

    from civicplatform.accounts.tests.factories import UserFactory
    from consultations.models import PanelMember, PhaseKind

    poll = QuestionnaireFactory(kind="deliberative", slug="tram", title="Le tramway", results_visibility="always")
    before = add_phase(poll, PhaseKind.BEFORE, start_days=-1, end_days=1)
    after = add_phase(poll, PhaseKind.AFTER, start_days=2, end_days=5)
    section = SectionFactory(questionnaire=poll, title="Le projet")
    QuestionFactory(section=section, kind=QuestionKind.SCALE, text="Soutien au tramway", required=True)
    quiz = QuestionFactory(section=section, kind=QuestionKind.SINGLE, text="Coût ?", is_knowledge=True, sort_order=2)
    add_options(quiz, "8 M€", "80 M€", correct="80 M€")
    QuestionFactory(
        section=section, kind=QuestionKind.SCALE, text="Documents équilibrés", after_only=True, sort_order=3
    )
    panelist = UserFactory(pseudonym="Lou")
    PanelMember.objects.create(questionnaire=poll, person=panelist)
    _log_in(context, live_site, panelist)

    page.goto("/consultations/questionnaires/tram/repondre/")
    assert "avant la délibération" in page.locator("main").inner_text()
    assert page.get_by_text("Documents équilibrés").count() == 0
    page.get_by_role("group", name=re.compile("Soutien au tramway")).get_by_label("2").check()
    page.get_by_label("8 M€").check()
    page.get_by_role("button", name=re.compile("Envoyer")).click()
    page.wait_for_url(re.compile(r"/merci/$"))

    # The deliberation takes place; the second answering opens.
    now = timezone.now()
    before.starts_at, before.ends_at = now - datetime.timedelta(days=5), now - datetime.timedelta(days=3)
    before.save()
    after.starts_at, after.ends_at = now - datetime.timedelta(hours=1), now + datetime.timedelta(days=3)
    after.save()
    page.goto("/consultations/questionnaires/tram/repondre/")
    assert "après la délibération" in page.locator("main").inner_text()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_role("group", name=re.compile("Soutien au tramway")).get_by_label("5").check()
    page.get_by_label("80 M€").check()
    page.get_by_role("group", name=re.compile("Documents équilibrés")).get_by_label("4").check()
    page.get_by_role("button", name=re.compile("Envoyer")).click()
    page.wait_for_url(re.compile(r"/merci/$"))

    page.goto("/consultations/questionnaires/tram/resultats/")
    table = page.locator("[data-shift-table]").inner_text()
    assert "Soutien au tramway" in table and "+3" in table
    assert "100" in page.locator("[data-knowledge]").inner_text()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_a_participant_votes_on_statements_and_the_groups_appear_after_the_task(
    page, context, live_site, assert_accessible, assert_no_horizontal_scroll
):
    import datetime

    from django.core.cache import cache
    from django.utils import timezone

    from civicplatform.accounts.tests.factories import UserFactory
    from consultations.models import Conversation, ConversationPhase, Statement, StatementVote
    from consultations.tasks import conversation_group

    cache.clear()
    conversation = Conversation.objects.create(
        slug="centre", title="Le centre-ville", topic="Que faire du centre ?", published=True, min_verification_level=1
    )
    now = timezone.now()
    ConversationPhase.objects.create(
        conversation=conversation, starts_at=now - datetime.timedelta(days=1), ends_at=now + datetime.timedelta(days=5)
    )
    statements = [
        Statement.objects.create(conversation=conversation, text=f"Idée numéro {n}", is_seed=True) for n in range(8)
    ]
    # Twenty neighbours already voted, in two camps that agree on the last idea.
    neighbours = [UserFactory() for _n in range(20)]
    StatementVote.objects.bulk_create(
        StatementVote(
            statement=s,
            conversation=conversation,
            participant=p,
            value=1 if j == 7 else (1 if (i % 2) == (j % 2) else -1),
        )
        for i, p in enumerate(neighbours)
        for j, s in enumerate(statements)
    )
    participant = UserFactory(pseudonym="Sam")
    _log_in(context, live_site, participant)

    page.goto("/consultations/cartes/centre/")
    assert page.locator("[data-no-groups]").count() == 1
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    for n in range(8):
        card = page.locator("[data-statement]")
        assert card.count() == 1
        text = card.inner_text()
        number = int(text.rsplit(" ", 1)[1])
        choice = "D’accord" if number % 2 == 0 or number == 7 else "Pas d’accord"
        page.get_by_role("button", name=choice, exact=True).click()
        page.wait_for_load_state()
        assert f"Propositions votées\xa0: {n + 1} sur 8" in page.locator("[data-progress]").inner_text()
    assert page.locator("[data-no-statement]").count() == 1

    assert conversation_group(conversation.pk) == 2
    page.reload()
    groups = page.locator("[data-groups]").inner_text()
    assert "21 participants forment 2 groupes" in groups and "Vous êtes dans le groupe" in groups
    assert page.locator("svg.opinion-map circle").count() == 21
    assert "Idée numéro 7" in page.locator("[data-consensus]").inner_text()
    assert page.locator("[data-groups-table] tbody tr").count() == 2
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
