"""The seated jury's workspace on a phone (375 x 812, French, axe-clean): a member enters the
workspace from the jury's page, reads the next session and asks an expert a question."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone, translation

from civicplatform.accounts.tests.factories import StaffFactory, UserFactory
from consultations.juries import services_workspace
from consultations.juries.models import ExpertHearing, ExpertQuestion, JurySession, Registrant, RegistrantStatus
from consultations.juries.tests.factories import make_jury, make_pool

pytestmark = pytest.mark.browser


def _french(msgid: str) -> str:
    with translation.override("fr"):
        return translation.gettext(msgid)


@pytest.fixture(autouse=True)
def _jury_settings(settings):
    settings.ACCOUNTS_STAFF_MFA_REQUIRED = False


def test_a_member_enters_the_workspace_and_asks_an_expert(
    context, page, live_site, assert_accessible, assert_no_horizontal_scroll
):
    from django.conf import settings as django_settings
    from django.test import Client

    jury = make_jury()
    person = make_pool(jury, [("f", "young")])[0]
    Registrant.objects.filter(pk=person.pk).update(status=RegistrantStatus.CONFIRMED)
    member = UserFactory(pseudonym="Membre")
    services_workspace.seat_claim(registrant=person, user=member)
    services_workspace.workspace_open(jury=jury, actor=StaffFactory())
    start = timezone.now() + datetime.timedelta(days=3)
    session = JurySession.objects.create(
        jury=jury,
        title="Séance sur le stationnement",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
        agenda="Accueil\nAudition des commerçants",
    )
    ExpertHearing.objects.create(session=session, expert_name="Marc Aubert", topic="Les commerces")

    client = Client()
    client.force_login(member)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_site.url}])
    page.goto(jury.get_absolute_url())
    page.get_by_role("link", name=_french("Enter the jury's workspace")).click()
    page.wait_for_url(re.compile(r"/espace/$"))
    main = page.locator("main").inner_text()
    assert "Séance sur le stationnement" in main and "Audition des commerçants" in main
    assert page.get_by_role("link", name=_french("Members' forum")).first.is_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.get_by_role("navigation", name=_french("Jury workspace")).get_by_role(
        "link", name=_french("Questions to experts")
    ).click()
    page.wait_for_url(re.compile(r"/espace/questions/$"))
    page.get_by_label(re.compile("^" + re.escape(_french("Expert the question is for")))).fill("Marc Aubert")
    page.get_by_label(re.compile("^" + re.escape(_french("Your question")))).fill("Quoi ?")
    page.get_by_role("button", name=_french("Send the question")).click()
    # Too short: the form comes back with the error tied to the field, still accessible.
    assert page.locator("#id_text").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.get_by_label(re.compile("^" + re.escape(_french("Your question")))).fill(
        "Combien de places de livraison faut-il rue Pasteur ?"
    )
    page.get_by_role("button", name=_french("Send the question")).click()
    page.wait_for_url(re.compile(r"/espace/questions/$"))
    assert "Combien de places de livraison" in page.locator("main").inner_text()
    assert ExpertQuestion.objects.get().asked_by == member
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
