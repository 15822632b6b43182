import re
import pytest
from django.core import mail
from tests.browser.test_petitions import _petition_settings, _empty_audit_log_before_flush, town, _textbox, _french  # noqa
pytestmark = pytest.mark.browser
VARIANT = "B"

def test_1_variant(page, town, live_site):
    from petitions.models import PetitionStatus
    from petitions.tests.factories import PetitionFactory
    petition = PetitionFactory(municipality=town, status=PetitionStatus.OPEN, open_for=(3, 20))
    page.goto(petition.get_absolute_url())
    if VARIANT == "A":
        return
    page.goto(f"/petitions/{petition.slug}/signer/")
    _textbox(page, "First and last names").fill("Jeanne Martin")
    _textbox(page, "E-mail address").fill("jeanne.martin@example.net")
    _textbox(page, "Postal code").fill("45100")
    page.locator("#id_consent").check()
    page.get_by_role("button", name=_french("Sign"), exact=True).click()
    page.wait_for_url(re.compile(r"/merci/$"))
    if VARIANT == "B":
        return
    link = re.search(r"https?://\S+(/petitions/signature/confirmer/\S+/)", mail.outbox[0].body).group(1)
    page.goto(link)
    page.get_by_role("button", name=_french("Confirm my signature")).click()

def test_2_check(live_site):
    from django.db import connection
    assert hasattr(connection, "_test_serialized_contents")
