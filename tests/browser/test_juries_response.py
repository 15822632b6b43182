"""The authority's response on a phone (375 x 812, French, axe-clean): the overview of what the
authority answered, its filter without JavaScript, and a recommendation's page with its vote chart,
minority view, answer and progress timeline."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone, translation

from civicplatform.accounts.tests.factories import StaffFactory
from consultations.juries import services_response
from consultations.juries.models import Decision, ProgressStatus
from consultations.juries.tests.factories_response import make_reported_jury

pytestmark = pytest.mark.browser


def _french(msgid: str) -> str:
    with translation.override("fr"):
        return translation.gettext(msgid)


@pytest.fixture(autouse=True)
def _jury_settings(settings):
    settings.ACCOUNTS_STAFF_MFA_REQUIRED = False


def test_a_resident_reads_what_the_authority_answered_on_a_phone(
    page, live_site, assert_accessible, assert_no_horizontal_scroll
):
    staff = StaffFactory()
    jury, recommendations, _members, _former = make_reported_jury(adopted=3)
    services_response.response_publish(
        recommendation=recommendations[0],
        decision=Decision.PARTLY,
        reasons="Seulement la rue 1, faute de budget.",
        commitments="Plantation à l’automne.",
        actor=staff,
    )
    services_response.response_publish(
        recommendation=recommendations[1], decision=Decision.REJECTED, reasons="Rue trop étroite.", actor=staff
    )
    services_response.progress_report_add(
        recommendation=recommendations[0],
        status=ProgressStatus.IN_PROGRESS,
        text="Dix arbres plantés.",
        reported_on=timezone.localdate() - datetime.timedelta(days=3),
        actor=staff,
    )

    page.goto(jury.get_absolute_url())
    page.get_by_role("link", name=_french("What the authority answered")).click()
    page.wait_for_url(re.compile(r"/reponse/$"))
    assert page.locator("h1").inner_text() == _french("What the authority answered")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.get_by_label(_french("Show")).select_option("rejected")
    page.get_by_role("button", name=_french("Filter")).click()
    page.wait_for_url(re.compile(r"decision=rejected"))
    rows = page.locator("table tbody tr")
    assert rows.count() == 1 and "R2." in rows.first.inner_text()
    assert_accessible(page)

    page.get_by_role("link", name=_french("Show all")).click()
    page.get_by_role("link", name=re.compile(r"^R1\.")).click()
    page.wait_for_url(re.compile(r"/recommandations/1/$"))
    main = page.locator("main").inner_text()
    for expected in (
        "Seulement la rue 1, faute de budget.",
        "Plantation à l’automne.",
        "Dix arbres plantés.",
        "Une autre voie",
    ):
        assert expected in main
    assert page.locator("svg[role=img] title").count() == 1
    assert page.locator("table.bar-chart__table tbody tr").count() == 6
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
