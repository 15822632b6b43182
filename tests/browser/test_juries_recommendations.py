"""A seated member votes on recommendations on a phone (375 x 812, French, axe-clean): one group of
radio buttons per recommendation, a forgotten one answered with an error tied to it, then the receipt.

Uses the real-browser harness of tests/browser/conftest.py (Debian's Chromium through Playwright)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from civicplatform.accounts.tests.factories import StaffFactory
from civicplatform.ballots.models import SecretBallot
from consultations.juries.tests.recommendations_setup import draft, open_vote, seated_jury

from .conftest import assert_accessible

pytestmark = pytest.mark.browser


def _french(msgid: str) -> str:
    with translation.override("fr"):
        return translation.gettext(msgid)


@pytest.fixture(autouse=True)
def _jury_settings(settings):
    settings.ACCOUNTS_STAFF_MFA_REQUIRED = False


def _log_in(context, live_site, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_site.url}])


def test_a_member_casts_a_secret_vote_with_levels_of_support_on_a_phone(
    page, context, live_site, assert_no_horizontal_scroll
):
    jury, members = seated_jury(2)
    recommendations = [draft(jury, members[0], n) for n in (1, 2)]
    vote = open_vote(jury, StaffFactory(), recommendations)
    _log_in(context, live_site, members[1])

    page.goto(reverse("juries:recommendations", args=[jury.slug]))
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_role("link", name=_french("Vote now")).click()
    page.wait_for_url(re.compile(rf"/votes/{vote.pk}/$"))
    assert page.get_by_role("group", name=re.compile("R1. Titre 1")).is_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    # Only R1 answered: the form comes back with the error on R2, and R1's choice kept.
    page.get_by_role("group", name=re.compile("R1. Titre 1")).get_by_label(_french("I strongly support it")).check()
    page.get_by_role("button", name=_french("Cast my secret vote")).click()
    assert (
        page.get_by_role("group", name=re.compile("R1. Titre 1"))
        .get_by_label(_french("I strongly support it"))
        .is_checked()
    )
    assert _french("Choose a level of support, or abstain.") in page.locator("main").inner_text()
    assert not SecretBallot.objects.exists()
    assert_accessible(page)

    page.get_by_role("group", name=re.compile("R2. Titre 2")).get_by_label(_french("I abstain")).check()
    page.get_by_role("button", name=_french("Cast my secret vote")).click()
    page.wait_for_url(re.compile(r"/recu/$"))
    receipt = page.locator("[data-receipt]").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", receipt)
    assert SecretBallot.objects.get().choices == {"1": 5, "2": 0}
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
