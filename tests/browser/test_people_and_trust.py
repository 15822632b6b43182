"""People and trust, end to end in a phone-sized browser: a newcomer signs up, confirms by
e-mail, completes a profile, verifies as a resident against the census imported by staff,
reports a comment, and sees a moderator hide it with a public reason. Every page is axe-checked."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import translation

from civicplatform.accounts.models import User, VerificationLevel
from civicplatform.accounts.tests.factories import PASSWORD, StaffFactory, UserFactory
from civicplatform.moderation.models import ModeratorAssignment
from civicplatform.territory.tests.factories import DistrictFactory
from civicplatform.verification.models import RegisterKind
from civicplatform.verification.services.registers import register_import
from cms.tests.fixtures import build_site_tree
from forums.services.comments import comment_create

pytestmark = pytest.mark.browser

EMAIL = "nouvelle@example.org"
NEWCOMER_PASSWORD = "Une-phrase-de-passe-solide-42"
CENSUS = b"last_name,first_names,birth_date,postal_code\nMartin,Claire Anne,1988-03-14,45100\n"
COMMENT_TEXT = "Achetez des montres pas cheres sur mon site"
HIDE_REASON = "Publicite (regle 3 de la charte)"


def _french(msgid: str) -> str:
    with translation.override("fr"):
        return translation.gettext(msgid)


@pytest.fixture
def world(live_site):
    tree = build_site_tree()
    district = DistrictFactory(name="Centre-ville")
    staff = StaffFactory()
    register_import(kind=RegisterKind.CENSUS, data=CENSUS, uploaded_by=staff, source_name="recensement.csv")
    author = UserFactory(pseudonym="Vendeur")
    comment = comment_create(author=author, target=tree["article"].specific, text=COMMENT_TEXT)
    moderator = UserFactory(pseudonym="Modo", email="modo@example.org")
    ModeratorAssignment.objects.create(user=moderator, title="Conseillère municipale")
    yield {"tree": tree, "district": district, "comment": comment, "moderator": moderator}
    # The audit log refuses DELETE (append-only trigger) except inside the retention purge's
    # door; open it here so the harness can empty the tables after this test.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL civicplatform.audit_purge = 'on'")
        cursor.execute("DELETE FROM core_auditevent")


def test_newcomer_to_verified_resident_reports_a_comment_that_a_moderator_hides(
    browser, page, world, live_site, assert_accessible
):
    article_url = world["tree"]["article"].url
    mail.outbox.clear()

    # Sign up.
    page.goto("/comptes/signup/")
    assert_accessible(page)
    page.locator("#id_email").fill(EMAIL)
    page.get_by_label(_french("Public pseudonym")).fill("Claire45")
    page.locator("#id_password1").fill(NEWCOMER_PASSWORD)
    page.locator("#id_password2").fill(NEWCOMER_PASSWORD)
    page.get_by_label(_french("I accept the terms of use and the personal data notice")).check()
    page.get_by_role("button", name=_french("Create my account")).click()
    page.wait_for_load_state()

    # Confirm through the link of the e-mail; confirming logs the person in.
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    match = re.search(r"https?://[^/\s]+(/\S*confirm-email/\S+)", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    page.goto(match.group(1))
    assert_accessible(page)
    page.get_by_role("button", name=_french("Confirm")).click()
    page.wait_for_load_state()
    newcomer = User.objects.get(email=EMAIL)
    assert newcomer.verification_level == VerificationLevel.EMAIL

    # Complete the profile.
    page.goto("/moi/")
    assert_accessible(page)
    page.get_by_label(_french("District")).select_option(label="Centre-ville")
    page.get_by_label(_french("Birth year")).fill("1988")
    page.get_by_label(_french("Postal code")).fill("45100")
    page.get_by_role("button", name=_french("Save my profile")).click()
    page.wait_for_load_state()
    newcomer.refresh_from_db()
    assert newcomer.district_id == world["district"].pk
    assert newcomer.birth_year == 1988
    assert newcomer.postal_code == "45100"

    # Verify as a resident against the census the staff imported.
    page.goto("/verification/registre/")
    assert_accessible(page)
    page.locator("#id_last_name").fill("MARTIN")
    page.locator("#id_first_names").fill("Claire Anne")
    page.get_by_label(_french("Date of birth")).fill("1988-03-14")
    page.get_by_label(_french("Postal code")).fill("45100")
    page.get_by_role("button", name=_french("Verify"), exact=True).click()
    page.wait_for_load_state()
    newcomer.refresh_from_db()
    assert newcomer.verification_level == VerificationLevel.RESIDENT
    with translation.override("fr"):
        resident_label = str(VerificationLevel.RESIDENT.label)
    assert resident_label in page.locator("main").inner_text()
    assert_accessible(page)

    # Report the comment.
    page.goto(article_url)
    comment_card = page.locator(f"#{world['comment'].anchor}")
    assert COMMENT_TEXT in comment_card.inner_text()
    comment_card.locator(".report-link").first.click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label(_french("Spam or advertising")).check()
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert _french("Thank you. Your report has been sent to the moderators.") in page.locator("body").inner_text()

    # A moderator, in a browser of their own, hides it with a public reason.
    moderator_context = browser.new_context(
        viewport={"width": 375, "height": 812}, locale="fr-FR", base_url=live_site.url
    )
    moderator_context.set_default_timeout(10_000)
    try:
        moderator_page = moderator_context.new_page()
        moderator_page.goto("/comptes/login/")
        moderator_page.locator("#id_login").fill(world["moderator"].email)
        moderator_page.locator("#id_password").fill(PASSWORD)
        moderator_page.locator("main form button[type=submit]").first.click()
        moderator_page.wait_for_load_state()
        moderator_page.goto("/moderation/")
        assert_accessible(moderator_page)
        moderator_page.get_by_role("link", name=_french("Review and decide")).first.click()
        moderator_page.wait_for_load_state()
        assert_accessible(moderator_page)
        moderator_page.get_by_label(_french("Public reason")).fill(HIDE_REASON)
        moderator_page.get_by_role("button", name=_french("Hide"), exact=True).click()
        moderator_page.wait_for_load_state()
        world["comment"].refresh_from_db()
        assert world["comment"].is_hidden
    finally:
        moderator_context.close()

    # The newcomer sees the notice with the reason, not the text.
    page.goto(article_url)
    comment_card = page.locator(f"#{world['comment'].anchor}")
    card_text = comment_card.inner_text()
    assert COMMENT_TEXT not in card_text
    assert HIDE_REASON in comment_card.get_by_role("note").inner_text()
    assert_accessible(page)
