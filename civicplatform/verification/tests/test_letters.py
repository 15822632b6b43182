from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from civicplatform.accounts.models import VerificationLevel
from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.core.models import AuditEvent
from civicplatform.territory.tests.factories import DistrictFactory
from civicplatform.verification.models import PostalLetter, VerificationEvent
from civicplatform.verification.services.letters import (
    letter_cancel,
    letter_code_check,
    letter_mark_sent,
    letter_request,
)

pytestmark = pytest.mark.django_db

ADDRESS = {
    "recipient": "Camille Martin",
    "address_line1": "12 rue des Lilas",
    "address_line2": "Bâtiment B",
    "postal_code": "45120",
    "city": "Belleville-sur-Loire",
}
START = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)


@pytest.fixture
def lilas(db):
    return DistrictFactory(name="Les Lilas", postal_codes=["45120"])


@pytest.fixture
def sent_letter(lilas, staff):
    with time_machine.travel(START, tick=False):
        user = UserFactory()
        letter = letter_request(user=user, **ADDRESS)
        code = letter.code
        letter_mark_sent(letter=letter, staff=staff)
    letter.refresh_from_db()
    return letter, code


def test_request_keeps_the_address_and_a_code_until_the_letter_is_sent(lilas):
    user = UserFactory()
    letter = letter_request(user=user, **ADDRESS)
    assert letter.status == PostalLetter.Status.REQUESTED
    assert letter.address_line1 == "12 rue des Lilas"
    assert len(letter.code) == 9
    assert VerificationEvent.objects.get(user=user).kind == "letter_requested"
    assert AuditEvent.objects.for_target(user).filter(action="verification.letter_requested").exists()


def test_addresses_outside_the_municipality_are_refused(lilas):
    with pytest.raises(ValidationError) as excinfo:
        letter_request(user=UserFactory(), **{**ADDRESS, "postal_code": "75001"})
    assert "postal_code" in excinfo.value.message_dict


def test_verified_residents_and_people_with_a_letter_on_its_way_cannot_ask_again(lilas, resident):
    with pytest.raises(ValidationError):
        letter_request(user=resident, **ADDRESS)
    user = UserFactory()
    letter_request(user=user, **ADDRESS)
    with pytest.raises(ValidationError):
        letter_request(user=user, **ADDRESS)


def test_marking_sent_erases_the_address_and_the_clear_code_and_starts_30_days(sent_letter, staff):
    letter, _code = sent_letter
    assert letter.status == PostalLetter.Status.SENT
    assert letter.sent_by == staff
    assert (letter.recipient, letter.address_line1, letter.address_line2, letter.city, letter.code) == ("",) * 5
    assert letter.postal_code == "45120"
    assert letter.expires_at == START + datetime.timedelta(days=30)
    with pytest.raises(ValidationError):
        letter_mark_sent(letter=letter, staff=staff)


def test_right_code_makes_the_person_a_resident_of_the_letter_district(sent_letter, lilas):
    letter, code = sent_letter
    with time_machine.travel(START + datetime.timedelta(days=3), tick=False):
        result = letter_code_check(user=letter.user, code=code.lower())
    assert result.ok
    user = letter.user
    user.refresh_from_db()
    assert user.verification_level == VerificationLevel.RESIDENT
    assert user.district == lilas
    letter.refresh_from_db()
    assert letter.status == PostalLetter.Status.USED
    event = VerificationEvent.objects.filter(user=user, kind="verified").get()
    assert event.method == "postal"
    assert AuditEvent.objects.for_target(user).filter(action="verification.verified").exists()


def test_code_expires_30_days_after_sending(sent_letter):
    letter, code = sent_letter
    with time_machine.travel(START + datetime.timedelta(days=30, seconds=1), tick=False):
        result = letter_code_check(user=letter.user, code=code)
    assert not result.ok
    assert "Ce code a expiré" in result.message
    letter.user.refresh_from_db()
    assert letter.user.verification_level == VerificationLevel.EMAIL


def test_five_wrong_codes_end_the_letter_even_for_the_right_code(sent_letter):
    letter, code = sent_letter
    with time_machine.travel(START + datetime.timedelta(days=1), tick=False):
        messages = [letter_code_check(user=letter.user, code="WRNG-CODE").message for _ in range(5)]
        assert "Il vous reste 4 essais" in messages[0]
        assert "Il vous reste 1 essai." in messages[3]
        assert "dernier essai" in messages[4]
        result = letter_code_check(user=letter.user, code=code)
    assert not result.ok
    assert "Trop de codes erronés" in result.message
    letter.refresh_from_db()
    assert letter.attempts == 5


def test_after_expiry_a_new_letter_can_be_requested(sent_letter):
    letter, _code = sent_letter
    with time_machine.travel(START + datetime.timedelta(days=31), tick=False):
        new = letter_request(user=letter.user, **ADDRESS)
    letter.refresh_from_db()
    assert letter.status == PostalLetter.Status.CANCELLED
    assert new.status == PostalLetter.Status.REQUESTED


def test_codes_only_work_for_the_account_that_asked(sent_letter):
    _letter, code = sent_letter
    assert not letter_code_check(user=UserFactory(), code=code).ok


def test_person_can_cancel_a_pending_letter_and_the_address_is_erased(lilas):
    user = UserFactory()
    letter = letter_request(user=user, **ADDRESS)
    letter_cancel(letter=letter, user=user)
    letter.refresh_from_db()
    assert letter.status == PostalLetter.Status.CANCELLED
    assert letter.address_line1 == ""
    assert letter.code == ""
