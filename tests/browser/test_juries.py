"""Citizen juries on a phone (375 x 812, French, axe-clean): the public page, a volunteer
registering with the code of their letter, and the public draw page with its fingerprints."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from civicplatform.accounts.tests.factories import StaffFactory
from consultations.juries import services
from consultations.juries.models import Registrant
from consultations.juries.tests.factories import BALANCED, make_invitations, make_jury, make_pool

pytestmark = pytest.mark.browser


def _french(msgid: str) -> str:
    with translation.override("fr"):
        return translation.gettext(msgid)


@pytest.fixture(autouse=True)
def _jury_settings(settings):
    settings.ACCOUNTS_STAFF_MFA_REQUIRED = False


def test_a_volunteer_reads_the_jury_page_and_registers_with_the_letter_code(
    page, live_site, assert_accessible, assert_no_horizontal_scroll
):
    jury = make_jury()
    invitation = make_invitations(jury, 1)[0]
    page.goto(jury.get_absolute_url())
    assert page.locator("h1").inner_text() == jury.title
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.get_by_role("link", name=_french("I received a letter: volunteer")).click()
    page.wait_for_url(re.compile(r"/inscription/$"))
    assert_accessible(page)
    page.get_by_label(re.compile(re.escape(_french("Code on your invitation letter")))).fill("ZZZZ-ZZZZ-ZZ")
    page.get_by_label(re.compile("^" + re.escape(_french("First name")))).fill("Lou")
    page.get_by_label(re.compile("^" + re.escape(_french("Last name")))).fill("Durand")
    page.get_by_label(re.compile("^" + re.escape(_french("E-mail")))).fill("lou@example.org")
    page.get_by_label(re.compile("^Gender")).select_option("f")
    page.get_by_label(re.compile("^Age")).select_option("young")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name=_french("Volunteer")).click()
    # A wrong code: the form comes back with the error tied to the field, still accessible.
    assert page.locator("#id_code").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.locator("#id_code").fill(invitation.response_code)
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name=_french("Volunteer")).click()
    page.wait_for_url(re.compile(r"/inscription/merci/$"))
    person = Registrant.objects.get()
    assert person.pseudonym in page.locator("main").inner_text()
    assert_accessible(page)


def test_the_public_draw_page_is_readable_on_a_phone(page, live_site, assert_accessible, assert_no_horizontal_scroll):
    staff = StaffFactory()
    jury = make_jury()
    make_pool(jury, BALANCED)
    run = services.selection_commit(jury=jury, algorithm="maximin", lottery_size=100, actor=staff)
    run = services.selection_compute(run_id=run.pk, legacy_runs=10)
    run = services.selection_draw(run=run, dice="4 0 7", seeds=[], witnesses="Mme Témoin", actor=staff)
    page.goto(jury.get_absolute_url())
    page.get_by_role("link", name=re.compile(re.escape(_french("Draw of the panel")))).click()
    main = page.locator("main").inner_text()
    assert run.commitment in main
    assert all(pseudonym in main for pseudonym in run.selected)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_staff_dashboard_and_the_confirmation_page_are_accessible(
    context, page, live_site, assert_accessible, assert_no_horizontal_scroll
):
    from django.conf import settings as django_settings
    from django.test import Client

    from consultations.juries.models import RegistrantStatus

    staff = StaffFactory()
    jury = make_jury()
    make_pool(jury, BALANCED)
    run = services.selection_commit(jury=jury, algorithm="maximin", lottery_size=100, actor=staff)
    run = services.selection_compute(run_id=run.pk, legacy_runs=10)
    run = services.selection_draw(run=run, dice="4 0 7", seeds=[], witnesses="Mme Témoin", actor=staff)
    first, second = Registrant.objects.filter(pseudonym__in=run.selected)[:2]
    services.registrant_respond(registrant=second, status=RegistrantStatus.DECLINED)

    page.goto("/jurys/confirmer/" + services.confirmation_token(first) + "/")
    assert_accessible(page)
    page.get_by_role("button", name=_french("I confirm my participation")).click()
    page.wait_for_url(re.compile(re.escape(jury.get_absolute_url()) + "$"))
    first.refresh_from_db()
    assert first.status == RegistrantStatus.CONFIRMED

    client = Client()
    client.force_login(staff)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_site.url}])
    page.goto(f"/jurys/{jury.slug}/gestion/")
    assert page.get_by_role("button", name=re.compile(re.escape(_french("Publish the inputs and draw replacements"))))
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
