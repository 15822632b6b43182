"""Petitions in a phone-sized browser (375 px), axe-clean at each step.

1. An anonymous visitor signs, confirms from the e-mail, and the count moves.
2. A resident starts a petition, it passes moderation, reaches a threshold, and the
   official answer reaches the signers who asked for it.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.utils import translation

from civicplatform.accounts.tests.factories import ResidentFactory, StaffFactory, UserFactory
from civicplatform.notifications.models import Notification
from civicplatform.territory.tests.factories import DistrictFactory, MunicipalityFactory

pytestmark = pytest.mark.browser

OUTLINE = {"type": "Polygon", "coordinates": [[[1.9, 47.9], [1.91, 47.9], [1.91, 47.91], [1.9, 47.91], [1.9, 47.9]]]}


def _french(msgid: str) -> str:
    with translation.override("fr"):
        return translation.gettext(msgid)


@pytest.fixture(autouse=True)
def _petition_settings(settings):
    settings.PETITIONS_COUNT_CACHE_SECONDS = 0
    settings.PETITIONS_FOLD_DEBOUNCE_SECONDS = 0
    settings.PETITIONS_MAIL_DEBOUNCE_SECONDS = 0
    settings.PETITIONS_SIGNING_CACHE_SECONDS = 0
    settings.ALTCHA_ENABLED = False
    settings.ACCOUNTS_STAFF_MFA_REQUIRED = False


@pytest.fixture(autouse=True)
def _patient_page(page):
    """Signing and publishing answer in well under a second alone, but the whole suite shares two
    cores with other runs: give the form posts and their redirects more time than the default."""
    page.set_default_timeout(20_000)
    page.set_default_navigation_timeout(45_000)


@pytest.fixture
def town(live_site):
    from django.core.cache import cache

    from cms.tests.fixtures import build_site_tree

    build_site_tree()

    from petitions.services.signing import DISTRICTS_CACHE_KEY

    cache.delete(DISTRICTS_CACHE_KEY)
    municipality = MunicipalityFactory()
    DistrictFactory(municipality=municipality, name="Centre-ville", postal_codes=["45100"], outline=OUTLINE)
    return municipality


def _textbox(page, msgid: str):
    """The text field labelled with this (translated) label; "(required)" may follow it."""
    label = _french(msgid)
    return page.get_by_role("textbox", name=re.compile("^" + re.escape(label[0].upper() + label[1:])))


def _log_in(context, live_site, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_site.url}])


def test_an_anonymous_visitor_signs_confirms_from_the_mail_and_the_count_moves(
    page, town, live_site, settings, tmp_path, assert_accessible, assert_no_horizontal_scroll
):
    from petitions.models import PetitionStatus
    from petitions.tests.factories import PetitionFactory

    # As with `make run`: outgoing e-mail is written as files (var/mail/ there, a temporary folder here).
    mailbox = tmp_path / "mail"
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(mailbox)
    petition = PetitionFactory(
        municipality=town, status=PetitionStatus.OPEN, title="Une piste cyclable rue des Écoles", open_for=(3, 20)
    )
    page.goto(petition.get_absolute_url())
    count = page.locator("[data-petition-count]")
    assert count.inner_text().strip() == "0 signature"
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.get_by_role("link", name=_french("Sign this petition")).click()
    assert_accessible(page)
    _textbox(page, "First and last names").fill("Jeanne Martin")
    _textbox(page, "E-mail address").fill("jeanne.martin@example.net")
    _textbox(page, "Postal code").fill("45100")
    page.get_by_role(
        "checkbox",
        name=re.compile(
            re.escape(_french("I agree that my name, e-mail address and postal code are kept to count my signature"))
        ),
    ).check()
    page.get_by_role("button", name=_french("Sign"), exact=True).click()
    page.wait_for_url(re.compile(r"/merci/$"))
    assert page.locator("h1").inner_text() == _french("Check your e-mail")
    assert_accessible(page)

    messages = [file.read_text() for file in mailbox.iterdir()]
    assert len(messages) == 1
    assert "jeanne.martin@example.net" in messages[0]
    link = re.search(r"https?://\S+(/petitions/signature/confirmer/\S+/)", messages[0]).group(1)
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name=_french("Confirm my signature")).click()
    page.wait_for_url(re.compile(re.escape(petition.get_absolute_url()) + "$"))
    assert page.locator("[data-petition-count]").inner_text().strip() == "1 signature"
    assert _french("Thank you: your signature is confirmed.") in page.locator("main").inner_text()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_a_resident_petition_passes_moderation_reaches_a_threshold_and_its_answer_reaches_signers(
    browser, context, page, town, live_site, assert_accessible
):
    from petitions.models import Petition, PetitionConfig, PetitionStatus, Signature
    from petitions.services import counting, signing

    PetitionConfig.objects.create(municipality=town, response_threshold=3, debate_threshold=10, cosponsors_required=1)
    resident = ResidentFactory(pseudonym="Camille")
    _log_in(context, live_site, resident)

    # The resident writes and submits a petition.
    page.goto("/petitions/lancer/")
    assert_accessible(page)
    _textbox(page, "title").fill("Des bancs place du Marché")
    _textbox(page, "summary").fill("Pour que chacun puisse s’asseoir à l’ombre.")
    page.get_by_role("button", name=_french("Save the draft")).click()
    page.get_by_role("link", name=_french("Submit"), exact=True).click()
    page.get_by_role("button", name=_french("Sign and submit")).click()
    petition = Petition.objects.get(author=resident)
    assert petition.status == PetitionStatus.GATHERING
    assert_accessible(page)

    # A co-sponsor supports it; it goes to moderation.
    signing.signature_sign(petition=petition, person=UserFactory(), notify_response=True)
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.MODERATION

    # A staff moderator publishes it from the queue.
    staff_context = browser.new_context(viewport=page.viewport_size, locale="fr-FR", base_url=live_site.url)
    try:
        _log_in(staff_context, live_site, StaffFactory())
        staff_page = staff_context.new_page()
        staff_page.set_default_timeout(20_000)
        staff_page.set_default_navigation_timeout(45_000)
        staff_page.goto("/petitions/moderation/")
        assert_accessible(staff_page)
        staff_page.get_by_role("link", name="Des bancs place du Marché").click()
        assert_accessible(staff_page)
        staff_page.get_by_role("button", name=_french("Publish"), exact=True).click()
        petition.refresh_from_db()
        assert petition.status == PetitionStatus.OPEN

        # Signatures arrive, one by e-mail from someone who wants the answer; the fold notices the threshold.
        signer_with_account = UserFactory()
        signing.signature_sign(petition=petition, person=signer_with_account, notify_response=True)
        by_mail, _created = signing.signature_sign_anonymous(
            petition=petition,
            name="Léa Dupont",
            email="lea.dupont@example.net",
            postal_code="45100",
            ip="192.0.2.10",
            notify_response=True,
        )
        signing.signature_confirm(token=signing.confirmation_token(by_mail))
        counting.counts_fold(petition_ids=[petition.pk])
        petition.refresh_from_db()
        assert petition.status == PetitionStatus.THRESHOLD
        assert Signature.objects.validated().filter(petition=petition).count() == 4

        # Staff publish the official response.
        mail.outbox.clear()
        staff_page.goto(f"/petitions/{petition.slug}/reponse/")
        assert_accessible(staff_page)
        _textbox(staff_page, "Official response").fill("Dix bancs seront installés avant l’été.")
        staff_page.get_by_role("button", name=_french("Publish"), exact=True).click()
        staff_page.wait_for_url(re.compile(re.escape(petition.get_absolute_url()) + "$"))
        assert "Dix bancs seront installés" in staff_page.locator("main").inner_text()
    finally:
        staff_context.close()

    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED
    answered = [message for message in mail.outbox if "lea.dupont@example.net" in message.to]
    assert answered
    assert "Dix bancs seront installés" in answered[0].body
    assert Notification.objects.filter(recipient=signer_with_account, kind="petitions.response").exists()

    # The author's page shows the answer, axe-clean at 375 px.
    page.goto(petition.get_absolute_url())
    assert "Dix bancs seront installés" in page.locator("main").inner_text()
    assert_accessible(page)
